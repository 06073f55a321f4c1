package io.nauta.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.it.Kubectl;
import io.nauta.core.pki.CertificateAuthority;
import io.nauta.core.pki.CertificateRequest;
import io.nauta.core.pki.IssuedCertificate;
import io.nauta.core.pki.Kubeconfigs;
import io.nauta.core.pki.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A federation as {@code deploy/nauta up --federation 3} starts it: three member clusters (usa-3,
 * asia-2, europe-1) and the gateway, each a set of processes from the packaged jars, under a
 * NAUTA_HOME of its own; kubectl against the contexts of the kubeconfig it writes.
 */
final class Federation implements AutoCloseable {

  static final List<String> MEMBERS = List.of("usa-3", "asia-2", "europe-1");

  private final Path root;
  private final Path home;
  private final int port;
  private final Map<String, String> env;

  private Federation(Path root, Path home, int port, Map<String, String> env) {
    this.root = root;
    this.home = home;
    this.port = port;
    this.env = Map.copyOf(env);
  }

  /**
   * Starts it with {@code --runtime simulated} (pods turn Running without containers) and the jars
   * as they are ({@code NAUTA_NO_BUILD=1}); fails with the launcher's output if it does not come up
   * within {@code timeout}.
   */
  static Federation up(Path root, Path home, Duration timeout, String... extraArgs) {
    return up(root, home, timeout, 3, "simulated", Map.of(), extraArgs);
  }

  /**
   * Starts the first {@code members} of {@link #MEMBERS} with {@code --runtime runtime} ({@code
   * docker}: real containers, which needs root for the egress guard), the launcher's environment
   * with {@code env} added.
   */
  static Federation up(
      Path root,
      Path home,
      Duration timeout,
      int members,
      String runtime,
      Map<String, String> env,
      String... extraArgs) {
    int port = freePort();
    Federation f = new Federation(root, home, port, env);
    List<String> args =
        new ArrayList<>(
            List.of(
                "up",
                "--federation",
                String.valueOf(members),
                "--runtime",
                runtime,
                "--port",
                String.valueOf(port)));
    args.addAll(List.of(extraArgs));
    Result r = f.launcher(timeout, args.toArray(String[]::new));
    if (r.exitCode != 0) {
      f.close();
      throw new IllegalStateException(
          "deploy/nauta up --federation " + members + " failed:\n" + r.output);
    }
    return f;
  }

  /** {@code deploy/nauta down}, whatever state the federation is in. */
  @Override
  public void close() {
    // A frozen process must thaw to stop gracefully.
    for (String member : MEMBERS) {
      Long pid = javaPid(member, "apiserver");
      if (pid != null) {
        signal("CONT", pid);
      }
    }
    launcher(Duration.ofMinutes(3), "down");
  }

  Path home() {
    return home;
  }

  Path kubeconfig() {
    return home.resolve("kubeconfig");
  }

  String gatewayUrl() {
    return "https://127.0.0.1:" + port;
  }

  Kubectl kubectl() {
    return new Kubectl(kubeconfig());
  }

  /** kubectl in a context: {@code gateway} or a member's name. */
  Kubectl.Result in(String context, String... args) {
    List<String> all = new ArrayList<>(List.of("--context", context));
    all.addAll(List.of(args));
    return kubectl().run(all.toArray(String[]::new));
  }

  Kubectl.Result applyIn(String context, String yaml) {
    return kubectl().runWithInput(yaml, "--context", context, "apply", "-f", "-");
  }

  /** {@code -o jsonpath=...} of an object in a context; empty when it is not there. */
  String jsonpath(String context, String namespace, String object, String path) {
    Kubectl.Result r = in(context, "-n", namespace, "get", object, "-o", "jsonpath={" + path + "}");
    return r.exitCode() == 0 ? r.stdout().trim() : "";
  }

  boolean exists(String context, String namespace, String object) {
    return in(context, "-n", namespace, "get", object, "-o", "name").exitCode() == 0;
  }

  /**
   * The pid of a member component's JVM (the launcher's pid file names its supervisor, whose child
   * the JVM is), or null.
   */
  Long javaPid(String member, String component) {
    Path pidFile = home.resolve("members").resolve(member).resolve("run/" + component + ".pid");
    if (!Files.exists(pidFile)) {
      return null;
    }
    try {
      long supervisor = Long.parseLong(Files.readString(pidFile).trim());
      return ProcessHandle.of(supervisor)
          .flatMap(
              p ->
                  p.children()
                      .filter(c -> c.info().command().orElse("").endsWith("java"))
                      .findFirst())
          .map(ProcessHandle::pid)
          .orElse(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void signal(String signal, long pid) {
    try {
      Process p = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start();
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * kubectl as {@code user} of the gateway, with a client certificate from the gateway's client CA
   * (its PKI in this NAUTA_HOME), against {@code server} (the gateway, or a path under it).
   */
  Kubectl gatewayUser(String user) {
    Path pki = home.resolve("pki");
    Path file = home.resolve("kubeconfig-" + user);
    if (!Files.exists(file)) {
      IssuedCertificate cert =
          new CertificateAuthority(
                  Pem.parseCertificate(Pem.read(pki.resolve("client-ca.crt"))),
                  Pem.parsePrivateKey(Pem.read(pki.resolve("client-ca.key"))))
              .issue(CertificateRequest.client(user, List.of(), Duration.ofDays(1)), Instant.now());
      try {
        Files.writeString(
            file,
            Kubeconfigs.withClientCertificate(
                gatewayUrl(),
                Pem.read(pki.resolve("server-ca.crt")),
                Pem.certificate(cert.certificate()),
                Pem.privateKey(cert.key()),
                user));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new Kubectl(file);
  }

  record Result(int exitCode, String output) {}

  private Result launcher(Duration timeout, String... args) {
    List<String> command = new ArrayList<>();
    command.add(root.resolve("deploy/nauta").toString());
    command.addAll(List.of(args));
    try {
      Path log = Files.createTempFile(home.getParent(), "launcher-", ".log");
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      pb.redirectOutput(log.toFile());
      pb.environment().put("NAUTA_HOME", home.toString());
      pb.environment().put("NAUTA_NO_BUILD", "1");
      pb.environment().put("NAUTA_READY_TIMEOUT", "240");
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        p.destroy();
        return new Result(-1, Files.readString(log) + "\n(timed out)");
      }
      return new Result(p.exitValue(), Files.readString(log));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * A free port for the gateway, below the kernel's ephemeral range (32768 on): the launcher gives
   * the members the ports after it, free when it picks them but bound only once their JVMs start,
   * and in the ephemeral range any outgoing connection meanwhile may take one. Below 30000 so the
   * members' ports stay clear of their node-port ranges too.
   */
  private static int freePort() {
    for (int attempt = 0; attempt < 200; attempt++) {
      int candidate = 20000 + ThreadLocalRandom.current().nextInt(9000);
      try (ServerSocket s = new ServerSocket(candidate)) {
        return s.getLocalPort();
      } catch (IOException taken) {
        // another one
      }
    }
    throw new IllegalStateException("no free port found between 20000 and 29000");
  }

  static void assertOk(Kubectl.Result r) {
    assertThat(r.exitCode()).as(r.toString()).isZero();
  }
}
