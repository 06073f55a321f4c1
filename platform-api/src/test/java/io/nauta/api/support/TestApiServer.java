package io.nauta.api.support;

import io.nauta.api.NautaApiServer;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.ClientTransport;
import io.nauta.core.pki.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A real API server process-in-a-context on a random port, on the test Redis. Several can run at
 * once on one Redis (as several API server replicas would), and one can be stopped and started
 * again to test what survives a restart.
 */
public final class TestApiServer implements AutoCloseable {

  private final ConfigurableApplicationContext context;
  private final int port;

  private TestApiServer(ConfigurableApplicationContext context) {
    this.context = context;
    this.port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
  }

  /** Whether the server runs with {@code nauta.security.enabled}: HTTPS and authentication. */
  public boolean secure() {
    return Boolean.parseBoolean(context.getEnvironment().getProperty("nauta.security.enabled"));
  }

  /** The PKI directory of a secure server. */
  public Path pkiDir() {
    return Path.of(context.getEnvironment().getProperty("nauta.security.pki-dir"));
  }

  /** Empties the test Redis, then starts a server on it: what most test classes want. */
  public static TestApiServer startOnEmptyRedis(String... properties) {
    TestRedis.flush();
    return start(properties);
  }

  /**
   * Starts a server; {@code properties} are extra {@code key=value} settings ({@code
   * nauta.redis.url} among them replaces the test Redis, e.g. with a proxy in front of it).
   */
  public static TestApiServer start(String... properties) {
    List<String> props = new ArrayList<>();
    props.add("server.port=0");
    if (List.of(properties).stream().noneMatch(p -> p.startsWith("server.address="))) {
      props.add("server.address=127.0.0.1");
    }
    if (List.of(properties).stream().noneMatch(p -> p.startsWith("nauta.redis.url="))) {
      props.add("nauta.redis.url=" + TestRedis.url());
    }
    props.addAll(List.of(properties));
    // As command-line arguments, they override application.yaml (default properties would not).
    ConfigurableApplicationContext ctx =
        new SpringApplicationBuilder(NautaApiServer.class)
            .run(props.stream().map(p -> "--" + p).toArray(String[]::new));
    TestApiServer server = new TestApiServer(ctx);
    server.awaitReady();
    return server;
  }

  private void awaitReady() {
    WebTestClient client = client();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      int status =
          client.get().uri("/readyz").exchange().returnResult(String.class).getStatus().value();
      if (status == 200) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("API server did not become ready");
  }

  public int port() {
    return port;
  }

  public String url() {
    return (secure() ? "https" : "http") + "://127.0.0.1:" + port;
  }

  /**
   * A JDK HTTP client that trusts this secure server's CA and presents no certificate, as {@code
   * curl --cacert} would; it trusts the same CA on the components' HTTPS ports.
   */
  public HttpClient anonymousHttpClient() {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry(
          "ca", Pem.parseCertificate(Pem.read(pkiDir().resolve("server-ca.crt"))));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      return HttpClient.newBuilder().sslContext(ssl).build();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A client of this server; on a secure server it trusts the server CA and is the admin. */
  public WebTestClient client() {
    WebTestClient.Builder builder =
        secure()
            ? WebTestClient.bindToServer(
                new ReactorClientHttpConnector(
                    ClientTransport.httpClient(
                        ClientConfig.fromKubeconfig(pkiDir().resolve("admin.kubeconfig")))))
            : WebTestClient.bindToServer();
    return builder
        .baseUrl(url())
        .responseTimeout(Duration.ofSeconds(30))
        .codecs(c -> c.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
        .build();
  }

  public <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  /**
   * A kubeconfig file for this server, for kubectl and the fabric8 client; on a secure server the
   * admin's, which the server wrote into its PKI directory.
   */
  public Path kubeconfig(Path dir) {
    if (secure()) {
      return pkiDir().resolve("admin.kubeconfig");
    }
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: nauta
          cluster:
            server: %s
        users:
        - name: nauta
          user: {}
        contexts:
        - name: nauta
          context:
            cluster: nauta
            user: nauta
            namespace: default
        current-context: nauta
        """
            .formatted(url());
    try {
      Path file = dir.resolve("kubeconfig-" + port);
      Files.writeString(file, yaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    context.close();
  }
}
