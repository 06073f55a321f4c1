package io.nauta.operatorsdk;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.nauta.api.support.RedisProcess;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;

/**
 * Nauta as {@code deploy/nauta up} runs it, reduced to what an operator needs: a {@code
 * redis-server} of its own, the API server and one controller manager (garbage collector,
 * deployment and replica set controllers), each a JVM started from its module's executable jar,
 * secure as by default (HTTPS, client certificates from the PKI the API server makes on its first
 * start, RBAC). Processes and not contexts in this JVM, because Nauta is built on fabric8 8.0.0 and
 * the operator SDK on 7.5.2. Closing it ends every process it started.
 */
final class NautaProcesses implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final Path logs;
  final Path pki;
  final String server;

  NautaProcesses() {
    logs = Path.of(System.getProperty("nauta.operator-sdk.logs", "target/operator-sdk-it"));
    try {
      Files.createDirectories(logs);
      // A test JVM that ends without closing this (System.exit, a surefire timeout) still ends
      // what it started.
      Runtime.getRuntime().addShutdownHook(new Thread(this::close, "nauta-processes-cleanup"));
      Path home = Files.createTempDirectory("nauta-operator-sdk-");
      closing(() -> deleteTree(home));
      pki = home.resolve("pki");
      RedisProcess redis = closing(RedisProcess.start("no"));
      int apiPort = freePort();
      server = "https://127.0.0.1:" + apiPort;
      start(
          "apiserver",
          "platform-api",
          List.of(
              "--server.address=127.0.0.1",
              "--server.port=" + apiPort,
              "--nauta.security.pki-dir=" + pki,
              "--nauta.redis.url=" + redis.url()));
      // The API server makes the PKI on its first start, and the kubeconfigs for its port once it
      // listens; /readyz answers anyone, as in Kubernetes.
      Awaitility.await("the API server's PKI")
          .atMost(START_TIMEOUT)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> Files.exists(serverCa()));
      HttpClient http = HttpClient.newBuilder().sslContext(trustingServerCa()).build();
      awaitReady(http, "the API server", server);
      int controllersPort = freePort();
      start(
          "controller-manager",
          "platform-controllers",
          List.of(
              "--server.address=127.0.0.1",
              "--server.port=" + controllersPort,
              "--nauta.controllers.kubeconfig=" + pki.resolve("controller-manager.kubeconfig"),
              "--nauta.controllers.root-ca-file=" + serverCa(),
              "--server.ssl.certificate=" + pki.resolve("controller-manager-serving.crt"),
              "--server.ssl.certificate-private-key="
                  + pki.resolve("controller-manager-serving.key")));
      awaitReady(http, "the controller manager", "https://127.0.0.1:" + controllersPort);
    } catch (IOException e) {
      close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  private static void awaitReady(HttpClient http, String what, String url) {
    HttpRequest ready = HttpRequest.newBuilder(URI.create(url + "/readyz")).build();
    Awaitility.await(what + " is ready (" + url + "/readyz)")
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
  }

  /** A fabric8 client as the cluster's admin (the PKI's {@code admin.kubeconfig}). */
  KubernetesClient admin() {
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(null, readString(pki.resolve("admin.kubeconfig")), null))
        .build();
  }

  /** The server's CA, as a pod's service account volume carries it ({@code ca.crt}). */
  Path serverCa() {
    return pki.resolve("server-ca.crt");
  }

  /** Runs {@code module}'s executable jar; its output goes to {@code <logs>/<name>.log}. */
  private void start(String name, String module, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Small heaps, the serial collector and C1 only: they start fast on a small, shared machine.
    command.addAll(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    command.add("-jar");
    command.add(execJar(module).toString());
    command.addAll(args);
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(logs.resolve(name + ".log").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    closing(
        () -> {
          process.destroy();
          if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
          }
        });
  }

  /**
   * {@code <module>/target/<module>-*-exec.jar}, which {@code mvn verify} packages before this
   * module's tests run.
   */
  private static Path execJar(String module) throws IOException {
    Path root = Path.of(System.getProperty("nauta.root", "..")).toAbsolutePath().normalize();
    Path target = root.resolve(module).resolve("target");
    try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
      return files
          .filter(p -> p.getFileName().toString().matches(module + "-.*-exec\\.jar"))
          .max(Comparator.comparing(p -> p.toFile().lastModified()))
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no "
                          + target
                          + "/"
                          + module
                          + "-*-exec.jar: build the reactor first (mvn -B -DskipTests package)"));
    }
  }

  private SSLContext trustingServerCa() {
    try (InputStream pem = Files.newInputStream(serverCa())) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(pem));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      return ssl;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private synchronized <T extends AutoCloseable> T closing(T resource) {
    toClose.add(resource);
    return resource;
  }

  @Override
  public synchronized void close() {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      try {
        toClose.get(i).close();
      } catch (Exception e) {
        // ending the others matters more
      }
    }
    toClose.clear();
  }
}
