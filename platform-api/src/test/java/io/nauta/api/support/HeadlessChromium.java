package io.nauta.api.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Debian's headless {@code chromium} driven through the DevTools protocol (a WebSocket the JDK's
 * client speaks; no Selenium): navigate, evaluate JavaScript in the page, wait for what it shows,
 * take a screenshot. Pages come from the test PKI's server certificate, which the throw-away
 * profile does not trust, so it runs with {@code --ignore-certificate-errors}; nothing but the test
 * server is loaded.
 */
public final class HeadlessChromium implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  /** The flags this machine's closed network and a throw-away profile need. */
  public static List<String> command(Path profile, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--ignore-certificate-errors"));
    command.addAll(List.of(args));
    return command;
  }

  private final Process process;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  private HeadlessChromium(Process process, WebSocket.Builder builder, URI page) {
    this.process = process;
    this.socket = builder.buildAsync(page, new Listener()).join();
  }

  /** Starts Chromium with an empty page of {@code width} x {@code height} CSS pixels. */
  public static HeadlessChromium start(Path profile, int width, int height) throws IOException {
    Process process =
        new ProcessBuilder(
                command(
                    profile,
                    "--remote-debugging-port=0",
                    "--window-size=" + width + "," + height,
                    "about:blank"))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      URI browser = awaitDevTools(process);
      HttpClient http = HttpClient.newHttpClient();
      URI list = URI.create("http://" + browser.getAuthority() + "/json/list");
      JsonNode targets =
          JSON.readTree(
              http.send(HttpRequest.newBuilder(list).build(), HttpResponse.BodyHandlers.ofString())
                  .body());
      URI page = null;
      for (JsonNode t : targets) {
        if ("page".equals(t.path("type").asString())) {
          page = URI.create(t.path("webSocketDebuggerUrl").asString());
        }
      }
      if (page == null) {
        throw new IllegalStateException("Chromium has no page target: " + targets);
      }
      return new HeadlessChromium(process, http.newWebSocketBuilder(), page);
    } catch (IOException | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The browser's DevTools address, from the line Chromium writes on stderr; drains the rest. */
  private static URI awaitDevTools(Process process) throws IOException {
    BufferedReader err =
        new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    CompletableFuture<URI> found = new CompletableFuture<>();
    Thread drain =
        new Thread(
            () -> {
              StringBuilder seen = new StringBuilder();
              try {
                String line;
                while ((line = err.readLine()) != null) {
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    found.complete(URI.create(m.group(1)));
                  } else if (!found.isDone()) {
                    seen.append(line).append('\n');
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
              found.completeExceptionally(
                  new IllegalStateException("Chromium exited before DevTools listened:\n" + seen));
            },
            "chromium-stderr");
    drain.setDaemon(true);
    drain.start();
    try {
      return found.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Chromium's DevTools did not come up", e);
    }
  }

  /** Sends a DevTools command and waits for its result. */
  public JsonNode call(String method, Map<String, ?> params) {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    socket
        .sendText(
            JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true)
        .join();
    try {
      JsonNode reply = answer.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (reply.has("error")) {
        throw new IllegalStateException(method + ": " + reply.path("error"));
      }
      return reply.path("result");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(method + " got no answer", e);
    } finally {
      pending.remove(id);
    }
  }

  /** Evaluates {@code expression} in the page (awaiting a promise) and returns its value. */
  public JsonNode evaluate(String expression) {
    JsonNode result =
        call(
            "Runtime.evaluate",
            Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
    if (result.has("exceptionDetails")) {
      throw new IllegalStateException(expression + ": " + result.path("exceptionDetails"));
    }
    return result.path("result").path("value");
  }

  /** Opens {@code url} and waits until the page has loaded. */
  public void navigate(String url, Duration timeout) {
    call("Page.navigate", Map.of("url", url));
    await(
        "document.readyState + ' ' + location.href",
        s -> s.startsWith("complete ") && !s.endsWith("about:blank"),
        timeout);
  }

  /**
   * Evaluates {@code expression} (a string) every 100 ms until {@code until} holds, and returns it;
   * fails with the last value after {@code timeout}.
   */
  public String await(String expression, Predicate<String> until, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = evaluate(expression).asString("");
        if (until.test(last)) {
          return last;
        }
      } catch (IllegalStateException e) {
        // the page is between documents (a navigation, a redirect)
        last = e.getMessage();
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError(
        "timed out after " + timeout + " waiting on " + expression + "; last: " + last);
  }

  /** The page's DOM as HTML, as {@code --dump-dom} writes it. */
  public String dom() {
    return evaluate("document.documentElement.outerHTML").asString();
  }

  /** A PNG of the whole page, written to {@code file}. */
  public Path screenshot(Path file) throws IOException {
    JsonNode shot =
        call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, Base64.getDecoder().decode(shot.path("data").asString()));
    return file;
  }

  @Override
  public void close() {
    try {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(2, TimeUnit.SECONDS).join();
    } catch (RuntimeException e) {
      // the browser is stopped below either way
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Collects a message's fragments and hands each reply to the call waiting on its id. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder message = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      message.append(data);
      if (last) {
        JsonNode reply = JSON.readTree(message.toString());
        message.setLength(0);
        if (reply.has("id")) {
          CompletableFuture<JsonNode> answer = pending.get(reply.path("id").asInt());
          if (answer != null) {
            answer.complete(reply);
          }
        }
      }
      webSocket.request(1);
      return null;
    }
  }
}
