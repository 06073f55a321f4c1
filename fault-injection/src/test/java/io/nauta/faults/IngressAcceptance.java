package io.nauta.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.faults.QuickStartIT.Result;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Issue 21's acceptance of the ingress controller, as written, on the Nauta that {@code
 * deploy/nauta up} started on Docker (the controller as the launcher runs it, real pods, real
 * kubectl and curl): deployments {@code web} and {@code api} (two replicas each) and a WebSocket
 * echo ({@code nauta/wsecho:local}) behind one Ingress on {@code shop.example} with a TLS section
 * whose Secret the test makes with {@code openssl}. Checked: {@code /} reaches web, {@code
 * /api/...} api (Prefix), {@code /apix} not api, an unknown host 404; every replica answers over 30
 * requests; HTTPS by SNI with the test's certificate ({@code curl --resolve --cacert}); a WebSocket
 * echo; a 100 MiB response streamed while the controller's used heap and RSS grow by far less;
 * scaling api to 0 gives 503, and back to 2 the first answer comes within a second of the first pod
 * Ready (as a watch sees it), every replica within a second of the last.
 *
 * <p>{@link #apply()} runs before the examples are checked (its pods start meanwhile), {@link
 * #check()} after; {@link #delete()} with the examples'.
 */
final class IngressAcceptance {

  static final String NAMESPACE = "shop";
  private static final long BIG = 100L << 20;
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final Duration READY_TO_ROUTED = Duration.ofSeconds(1);

  private final BiFunction<String, Duration, Result> shell;
  private final Path checkout;
  private final Path dir;
  private final Map<String, String> env;
  private final String k = "kubectl -n " + NAMESPACE + " ";
  private final String http;
  private final int httpsPort;

  /**
   * @param shell runs a command in the checkout (logged) and returns its result
   * @param checkout the checkout {@code deploy/nauta up} runs from (its {@code .nauta})
   * @param env the launcher's environment (the ingress controller's ports)
   */
  IngressAcceptance(
      BiFunction<String, Duration, Result> shell, Path checkout, Map<String, String> env) {
    this.shell = shell;
    this.checkout = checkout;
    this.dir = checkout.resolve("ingress-acceptance");
    this.env = new HashMap<>(env);
    this.env.put("KUBECONFIG", checkout.resolve(".nauta/kubeconfig").toString());
    this.http = "http://127.0.0.1:" + env.get("NAUTA_INGRESS_HTTP_PORT");
    this.httpsPort = Integer.parseInt(env.get("NAUTA_INGRESS_HTTPS_PORT"));
  }

  /** A CA and shop.example's certificate (openssl), the Secret, the manifests applied. */
  void apply() throws IOException {
    ok(
        "docker image inspect nauta/wsecho:local >/dev/null || { echo 'no image nauta/wsecho:local:"
            + " deploy/images/build.sh builds it with gcc'; exit 1; }");
    Files.createDirectories(dir);
    try (InputStream in = IngressAcceptance.class.getResourceAsStream("/ingress/shop.yaml")) {
      Files.write(dir.resolve("shop.yaml"), in.readAllBytes());
    }
    ok(
        "cd "
            + dir
            + " && openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=shop-test-ca"
            + " -keyout ca.key -out ca.crt 2>&1"
            + " && openssl req -newkey rsa:2048 -nodes -subj /CN=shop.example"
            + " -keyout tls.key -out tls.csr 2>&1"
            + " && printf 'subjectAltName=DNS:shop.example\\n' > san.ext"
            + " && openssl x509 -req -in tls.csr -CA ca.crt -CAkey ca.key -CAcreateserial"
            + " -days 1 -extfile san.ext -out tls.crt 2>&1");
    ok("kubectl create namespace " + NAMESPACE);
    ok(
        k
            + "create secret tls shop-tls --cert="
            + dir.resolve("tls.crt")
            + " --key="
            + dir.resolve("tls.key"));
    ok(k + "apply -f " + dir.resolve("shop.yaml"));
  }

  /** Everything the acceptance lists, in one pass over the running pods. */
  void check() {
    long start = System.nanoTime();
    ok(k + "wait --for=condition=available deploy/web deploy/api deploy/echo --timeout=120s");
    say(String.format("shop's deployments available %.1f s after the examples", secs(start)));

    // Host and path: / is web, /api/... is api (Prefix), /apix is not /api, an unknown host 404.
    assertThat(until(curl("/"), "^web web-")).startsWith("web web-");
    assertThat(quick(curl("/api/items")).output()).startsWith("api api-");
    assertThat(quick(curl("/apix")).output())
        .as("/apix is not under the Prefix /api: web's page")
        .startsWith("web web-");
    assertThat(quick(status("nobody.example", "/")).output()).isEqualTo("404");

    // Every replica answers over 30 requests (one curl, keep-alive, round-robin behind).
    for (String app : List.of("web", "api")) {
      String path = app.equals("web") ? "/" : "/api/items";
      String out = quick(curl("'" + path + "?[1-30]'")).output();
      assertThat(out.lines().count()).as(app + ": 30 answers").isEqualTo(30);
      assertThat(answered(out)).as(app + "'s replicas over 30 requests").isEqualTo(pods(app));
    }

    // HTTPS by SNI with the Secret's certificate: curl trusts only the test's CA.
    String https =
        "curl -s -m 5 -w ' %{http_version}' --cacert "
            + dir.resolve("ca.crt")
            + " --resolve shop.example:"
            + httpsPort
            + ":127.0.0.1 https://shop.example:"
            + httpsPort
            + "/";
    assertThat(until(https, "^web web-")).as("HTTPS, and HTTP/2 by ALPN").endsWith(" 2");

    // A WebSocket echo through the ingress (Reactor Netty's client; curl 7.88 has no ws://).
    for (String message : List.of("hello through the ingress", "x".repeat(40_000))) {
      assertThat(websocketEcho(message)).as("the echo of a WebSocket message").isEqualTo(message);
    }

    streamsBigResponse();
    scalesToZeroAndBack();
    say(String.format("ingress acceptance checked in %.1f s", secs(start)));
  }

  /** The namespace and everything in it deleted (the launcher's down removes what is left). */
  void delete() {
    ok("kubectl delete namespace " + NAMESPACE + " --wait=false");
  }

  /**
   * 100 MiB from web's sparse file through the proxy, while {@code jstat} samples the controller's
   * used heap every 50 ms and /proc its RSS: neither may grow by a third of it.
   */
  private void streamsBigResponse() {
    long pid = ingressJavaPid();
    Sampler sampler = new Sampler(pid);
    try {
      sampler.awaitSamples(3);
      long heapBefore = sampler.heap.get(sampler.heap.size() - 1);
      long rssBefore = sampler.rss.get(sampler.rss.size() - 1);
      int heapFrom = sampler.heap.size();
      int rssFrom = sampler.rss.size();
      long t = System.nanoTime();
      String out =
          quick(
                  "curl -s -m 60 -o /dev/null -w '%{http_code} %{size_download}' -H 'Host:"
                      + " shop.example' "
                      + http
                      + "/big")
              .output();
      double took = secs(t);
      sampler.awaitSamples(sampler.heap.size() + 2);
      long heapPeak = max(sampler.heap.subList(heapFrom, sampler.heap.size()));
      long rssPeak = max(sampler.rss.subList(rssFrom, sampler.rss.size()));
      say(
          String.format(
              "100 MiB through the ingress in %.2f s; controller's used heap %d -> peak %d MiB,"
                  + " RSS %d -> peak %d MiB",
              took, heapBefore >> 20, heapPeak >> 20, rssBefore >> 20, rssPeak >> 20));
      assertThat(out).isEqualTo("200 " + BIG);
      assertThat(heapPeak - heapBefore)
          .as("growth of the controller's used heap while streaming 100 MiB")
          .isLessThan(BIG / 3);
      assertThat(rssPeak - rssBefore)
          .as("growth of the controller's RSS while streaming 100 MiB")
          .isLessThan(BIG / 3);
    } finally {
      sampler.stop();
    }
  }

  /**
   * api scaled to 0: 503 once its endpoints are gone. Back to 2: a watch on api's pods says when
   * each is Ready, curl every 50 ms says when the ingress answers from it.
   */
  private void scalesToZeroAndBack() {
    Set<String> old = pods("api");
    ok(k + "scale deploy/api --replicas=0");
    long t = System.nanoTime();
    Result r;
    do {
      r = quick(curl("/api/items") + " -w ' %{http_code}'");
    } while (!r.output().endsWith(" 503") && pause(t, 50));
    assertThat(r.output()).as("api scaled to 0").contains("no ready endpoint for").endsWith(" 503");
    say(String.format("api scaled to 0: 503 after %.1f s", secs(t)));

    Map<String, Long> ready = new ConcurrentHashMap<>();
    Process watch =
        start(
            k
                + "get pods -l app=api -w -o jsonpath='{.metadata.name} {.status.conditions[?(@.type"
                + "==\"Ready\")].status}{\"\\n\"}'");
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  String[] f = line.strip().split(" ");
                  if (f.length == 2 && f[1].equals("True") && !old.contains(f[0])) {
                    ready.putIfAbsent(f[0], System.nanoTime());
                  }
                }
              } catch (IOException e) {
                // the watch was stopped
              }
            },
            "api-ready-watch");
    reader.setDaemon(true);
    reader.start();
    Map<String, Long> answered = new HashMap<>();
    try {
      ok(k + "scale deploy/api --replicas=2");
      t = System.nanoTime();
      do {
        Result a = quick(curl("/api/items") + " -w ' %{http_code}'");
        long now = System.nanoTime();
        if (a.output().endsWith(" 200")) {
          answered.putIfAbsent(a.output().split("\\s+")[1], now);
        }
      } while ((answered.size() < 2 || ready.size() < 2) && pause(t, 50));
    } finally {
      watch.destroy();
    }
    assertThat(answered.keySet()).as("api's new replicas answering").hasSize(2);
    assertThat(ready.keySet()).as("Ready, as the watch saw").isEqualTo(answered.keySet());
    long firstReady = ready.values().stream().min(Long::compare).orElseThrow();
    long lastReady = ready.values().stream().max(Long::compare).orElseThrow();
    long firstAnswer = answered.values().stream().min(Long::compare).orElseThrow();
    long allAnswered = answered.values().stream().max(Long::compare).orElseThrow();
    say(
        String.format(
            "api back to 2: first answer %d ms after the first pod Ready, every replica %d ms"
                + " after the last Ready",
            (firstAnswer - firstReady) / 1_000_000, (allAnswered - lastReady) / 1_000_000));
    assertThat(Duration.ofNanos(firstAnswer - firstReady))
        .as("from the first api pod Ready to the ingress answering from it")
        .isLessThanOrEqualTo(READY_TO_ROUTED);
    assertThat(Duration.ofNanos(allAnswered - lastReady))
        .as("from the last api pod Ready to every replica answering")
        .isLessThanOrEqualTo(READY_TO_ROUTED);
  }

  private String websocketEcho(String message) {
    return HttpClient.create()
        .headers(h -> h.set("Host", "shop.example"))
        .websocket()
        .uri(http.replace("http://", "ws://") + "/ws")
        .handle(
            (in, out) ->
                out.sendString(Mono.just(message))
                    .then()
                    .thenMany(in.aggregateFrames(1 << 20).receive().asString())
                    .take(1))
        .blockFirst(Duration.ofSeconds(10));
  }

  /** The pid of the controller's JVM: the child of the launcher's supervisor for ingress. */
  private long ingressJavaPid() {
    try {
      long supervisor =
          Long.parseLong(Files.readString(checkout.resolve(".nauta/run/ingress.pid")).strip());
      return ProcessHandle.of(supervisor)
          .orElseThrow(() -> new AssertionError("the ingress controller's supervisor is gone"))
          .children()
          .filter(p -> p.info().command().orElse("").endsWith("java"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no java under the ingress supervisor"))
          .pid();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The controller's used heap ({@code jstat -gc}) and RSS ({@code /proc}), every 50 ms. */
  private static final class Sampler {
    final List<Long> heap = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<Long> rss = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Process jstat;
    private final Thread threads;

    Sampler(long pid) {
      Path bin = Path.of(System.getProperty("java.home"), "bin", "jstat");
      try {
        jstat =
            new ProcessBuilder(bin.toString(), "-gc", Long.toString(pid), "50")
                .redirectErrorStream(true)
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      threads =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(jstat.getInputStream(), StandardCharsets.UTF_8))) {
                  List<String> header = Arrays.asList(in.readLine().strip().split("\\s+"));
                  int[] used = {
                    header.indexOf("S0U"), header.indexOf("S1U"),
                    header.indexOf("EU"), header.indexOf("OU")
                  };
                  for (String line; (line = in.readLine()) != null; ) {
                    String[] f = line.strip().split("\\s+");
                    if (f.length != header.size() || f[0].equals("S0C")) {
                      continue;
                    }
                    double kb = 0;
                    for (int i : used) {
                      kb += Double.parseDouble(f[i]);
                    }
                    heap.add((long) (kb * 1024));
                    rss.add(rss(pid));
                  }
                } catch (IOException | RuntimeException e) {
                  // jstat stopped
                }
              },
              "ingress-heap-sampler");
      threads.setDaemon(true);
      threads.start();
    }

    private static long rss(long pid) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
          if (line.startsWith("VmRSS:")) {
            return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
          }
        }
      } catch (IOException e) {
        // gone
      }
      return 0;
    }

    void awaitSamples(int n) {
      long t = System.nanoTime();
      while (heap.size() < n) {
        assertThat(jstat.isAlive() || heap.size() >= n)
            .as("jstat samples the controller's heap")
            .isTrue();
        if (!pause(t, 20)) {
          throw new AssertionError("jstat gave " + heap.size() + " samples, not " + n);
        }
      }
    }

    void stop() {
      jstat.destroy();
    }
  }

  private static long max(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).max().orElse(0);
  }

  private Set<String> pods(String app) {
    return Arrays.stream(
            quick(k + "get pods -l app=" + app + " -o jsonpath='{.items[*].metadata.name}'")
                .output()
                .strip()
                .split("\\s+"))
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The pod names on answer lines ({@code web <pod>}). */
  private static Set<String> answered(String out) {
    return out.lines()
        .map(l -> l.split(" "))
        .filter(f -> f.length >= 2)
        .map(f -> f[1])
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private String curl(String path) {
    return "curl -s -m 5 -H 'Host: shop.example' " + http + path;
  }

  private String status(String host, String path) {
    return "curl -s -m 5 -o /dev/null -w '%{http_code}' -H 'Host: " + host + "' " + http + path;
  }

  /** Runs the command until its output finds {@code regex}. */
  private String until(String command, String regex) {
    Pattern p = Pattern.compile(regex);
    long t = System.nanoTime();
    Result r;
    do {
      r = quick(command);
      if (r.exitCode() == 0 && p.matcher(r.output()).find()) {
        return r.output();
      }
    } while (pause(t, 200));
    throw new AssertionError("`" + command + "` never showed " + regex + ":\n" + r.output());
  }

  /** A logged command of the test's shell that must succeed. */
  private String ok(String command) {
    Result r = shell.apply(command, WAIT.plusSeconds(30));
    assertThat(r.exitCode())
        .as("ingress acceptance: `%s` failed (exit %d):%n%s", r.command(), r.exitCode(), r.output())
        .isZero();
    return r.output();
  }

  /** A command run at once, unlogged: the polls, many a second. */
  private Result quick(String command) {
    Process p = start(command);
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      return new Result(command, p.exitValue(), out, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Process start(String command) {
    ProcessBuilder pb =
        new ProcessBuilder(new ArrayList<>(List.of("bash", "-c", command)))
            .directory(checkout.toFile())
            .redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits {@code millis}; false once {@link #WAIT} has passed since {@code since}. */
  private static boolean pause(long since, long millis) {
    if (System.nanoTime() - since > WAIT.toNanos()) {
      return false;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return true;
  }

  private static double secs(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static void say(String line) {
    System.out.println("[ingress] " + line);
  }
}
