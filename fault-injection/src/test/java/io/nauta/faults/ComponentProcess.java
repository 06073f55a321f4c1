package io.nauta.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One Nauta component as a JVM of its own, run from its module's executable jar as {@code
 * deploy/nauta} runs it, and what the fault cases do to it: {@code kill -9}, {@code kill -STOP},
 * {@code kill -CONT}, a restart. Like the launcher's supervisor it starts the process again when it
 * exits with {@link #LEASE_LOST_EXIT} (it lost its leader lease, or saw Redis go back in time) and
 * leaves it ended on any other exit. Its output goes to {@code <logs>/<name>.log}, appended across
 * restarts.
 */
final class ComponentProcess implements AutoCloseable {

  /** LeaseLossAction.EXIT_CODE of platform-core: the launcher starts such a process again. */
  static final int LEASE_LOST_EXIT = 75;

  private static volatile HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * Trusts the cluster's server CA from now on: the components serve their health and metrics ports
   * over HTTPS with certificates it signed.
   */
  static void trustServerCa(Path serverCa) {
    try {
      java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry(
          "ca", io.nauta.core.pki.Pem.parseCertificate(io.nauta.core.pki.Pem.read(serverCa)));
      javax.net.ssl.TrustManagerFactory tmf =
          javax.net.ssl.TrustManagerFactory.getInstance(
              javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).sslContext(ssl).build();
    } catch (java.security.GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private final String name;
  private final List<String> command;
  private final Path log;
  private final String readyUrl;
  private final List<Integer> exitCodes = new CopyOnWriteArrayList<>();
  private volatile Process process;
  private volatile boolean closing;

  ComponentProcess(String name, String module, List<String> args, Path logs, String readyUrl) {
    this.name = name;
    this.log = logs.resolve(name + ".log");
    this.readyUrl = readyUrl;
    Path jar = ExecJars.of(module);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The serial collector: six JVMs share a small machine in CI. The heap deploy/nauta gives each
    // component: at 384m the API server of this suite kept ~270 MB live (12,000 cached objects) and
    // made full collections of 0.5-0.8 s every 15-25 s on a quiet machine.
    cmd.add("-Xmx512m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:TieredStopAtLevel=1");
    // Each run's collections beside its log (the pid tells restarts apart): a component that stops
    // answering for seconds is either waiting on something or collecting, and this says which.
    cmd.add("-Xlog:gc:file=" + logs.resolve(name + "-gc-%p.log") + ":uptime,time");
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(args);
    this.command = List.copyOf(cmd);
  }

  String name() {
    return name;
  }

  String readyUrl() {
    return readyUrl;
  }

  /** Starts the process (again); does not wait for it to be ready. */
  synchronized ComponentProcess start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " still runs (pid " + process.pid() + ")");
    }
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(
          log,
          "=== " + Instant.now() + " starting " + name + ": " + String.join(" ", command) + "\n",
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      process = p;
      p.onExit().thenAccept(this::exited);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The launcher's supervisor: a process that lost its lease is started afresh. */
  private void exited(Process p) {
    int code = p.exitValue();
    exitCodes.add(code);
    System.out.println("[faults] " + name + " (pid " + p.pid() + ") exited with status " + code);
    if (code == LEASE_LOST_EXIT && !closing) {
      synchronized (this) {
        if (process == p && !closing) {
          System.out.println("[faults] " + name + " exited to start afresh; starting it again");
          start();
        }
      }
    }
  }

  /** Exit statuses seen so far, in order. */
  List<Integer> exitCodes() {
    return List.copyOf(exitCodes);
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** Waits until {@code /readyz} answers 200; fails at once, with the log's tail, if it exits. */
  ComponentProcess awaitReady(Duration timeout) {
    try {
      Awaitility.await(name + " ready at " + readyUrl)
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                Process p = process;
                if (p != null && !p.isAlive() && !restartPending(p)) {
                  throw new AssertionError(
                      name
                          + " exited with status "
                          + p.exitValue()
                          + " while starting:\n"
                          + logTail(40));
                }
                return answersReady();
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "\n" + logTail(40), e);
    }
    return this;
  }

  private boolean restartPending(Process p) {
    return p.exitValue() == LEASE_LOST_EXIT && !closing;
  }

  boolean answersReady() {
    return get(readyUrl) == 200;
  }

  /** A GET with a short timeout: the status, or -1 when nothing answered. */
  static int get(String url) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The body of a GET, or "" when nothing answered. */
  static String getBody(String url) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** {@code kill -9} of the process and anything it started; waits until it is gone. */
  void kill9() {
    Process p = process;
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    awaitGone(p);
  }

  /** {@code kill -STOP}: the process stays, but runs no instruction until {@link #resume}. */
  void freeze() {
    signal("STOP");
  }

  /** {@code kill -CONT}. */
  void resume() {
    signal("CONT");
  }

  private void signal(String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The process running now (a restart replaces it). */
  Process process() {
    return process;
  }

  /**
   * Waits for {@code p} (taken with {@link #process()} before the fault: the supervisor may have
   * replaced it by now) to exit on its own, and returns its status.
   */
  int awaitExit(Process p, Duration timeout) {
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(name + " still runs after " + timeout + "\n" + logTail(30));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return p.exitValue();
  }

  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | java.io.UncheckedIOException e) {
      return "(no log at " + log + ")";
    }
  }

  private static void awaitGone(Process p) {
    try {
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        throw new IllegalStateException("pid " + p.pid() + " did not end after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Kills the process tree (thawed first, so a frozen process can die too); never restarts it. */
  @Override
  public void close() {
    closing = true;
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    try {
      signal("CONT");
    } catch (RuntimeException e) {
      // already gone
    }
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
