package io.nauta.federation.support;

import io.nauta.api.support.TestRedis;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.ClientTransport;
import io.nauta.core.client.KubeClient;
import io.nauta.core.component.ComponentRunner;
import io.nauta.core.component.LeaseLossAction;
import io.nauta.federation.FederationGateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A real federation gateway in the test JVM: {@link FederationGateway} on a random port, HTTPS and
 * RBAC on, on database {@value #DEFAULT_DATABASE} of the test Redis (members started with {@link
 * io.nauta.api.support.TestApiServer} use database 0, or others by {@link #redisUrl}), with a PKI
 * of its own (one per JVM, not the members'). A lost lease is recorded ({@link #leaseLosses()}),
 * not an exit.
 */
public final class TestGateway implements AutoCloseable {

  public static final int DEFAULT_DATABASE = 1;

  private static Path sharedPki;

  private final ConfigurableApplicationContext context;
  private final int port;
  private final List<String> leaseLosses;

  private TestGateway(ConfigurableApplicationContext context, List<String> leaseLosses) {
    this.context = context;
    this.port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    this.leaseLosses = leaseLosses;
  }

  /** The test Redis's database {@code db}. */
  public static String redisUrl(int db) {
    return TestRedis.url() + "/" + db;
  }

  /** Empties database {@code db} of the test Redis (not the others: members may live there). */
  public static void flushDatabase(int db) {
    io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redisUrl(db));
    try (var c = client.connect()) {
      c.sync().flushdb();
    } finally {
      client.shutdown();
    }
  }

  /** Starts a gateway; {@code properties} are extra {@code key=value} settings. */
  public static TestGateway start(String... properties) {
    return start(ctx -> {}, properties);
  }

  /**
   * Starts a gateway with extra beans registered by {@code beans} (e.g. a test's {@link
   * io.nauta.federation.runtime.FederationController}) before the context refreshes.
   */
  public static TestGateway start(Consumer<GenericApplicationContext> beans, String... properties) {
    List<String> given = List.of(properties);
    List<String> props = new ArrayList<>();
    props.add("server.port=0");
    props.add("server.address=127.0.0.1");
    if (given.stream().noneMatch(p -> p.startsWith("nauta.redis.url="))) {
      props.add("nauta.redis.url=" + redisUrl(DEFAULT_DATABASE));
    }
    if (given.stream().noneMatch(p -> p.startsWith("nauta.security.pki-dir="))) {
      props.add("nauta.security.pki-dir=" + sharedPki());
    }
    props.add("nauta.admission.service-account.enabled=false");
    props.addAll(given);
    List<String> losses = new CopyOnWriteArrayList<>();
    ConfigurableApplicationContext ctx =
        FederationGateway.application()
            .initializers(
                c -> {
                  GenericApplicationContext g = (GenericApplicationContext) c;
                  g.registerBean(LeaseLossAction.class, () -> losses::add);
                  beans.accept(g);
                })
            .run(props.stream().map(p -> "--" + p).toArray(String[]::new));
    TestGateway gateway = new TestGateway(ctx, losses);
    gateway.awaitReady();
    return gateway;
  }

  private static synchronized Path sharedPki() {
    if (sharedPki == null) {
      try {
        sharedPki = Files.createTempDirectory("nauta-gateway-pki-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return sharedPki;
  }

  private void awaitReady() {
    WebTestClient client = client();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (client.get().uri("/readyz").exchange().returnResult(String.class).getStatus().value()
          == 200) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("gateway did not become ready");
  }

  public int port() {
    return port;
  }

  public String url() {
    return "https://127.0.0.1:" + port;
  }

  public Path pkiDir() {
    return Path.of(context.getEnvironment().getProperty("nauta.security.pki-dir"));
  }

  /**
   * The admin's kubeconfig ({@code nauta-admin}, {@code system:masters}), for kubectl; shared by
   * the gateways of this JVM, it names the one started last.
   */
  public Path kubeconfig() {
    return pkiDir().resolve("admin.kubeconfig");
  }

  /**
   * The admin's client settings, for this gateway: gateways sharing the PKI share its admin
   * kubeconfig, whose server is the one started last.
   */
  public ClientConfig clientConfig() {
    ClientConfig admin = ClientConfig.fromKubeconfig(kubeconfig());
    return new ClientConfig(
        url(),
        admin.token(),
        admin.namespace(),
        admin.certificateAuthority(),
        admin.clientCertificate(),
        admin.clientKey(),
        admin.insecureSkipTlsVerify());
  }

  /** A Nauta client of the gateway as its admin. */
  public KubeClient kubeClient() {
    return new KubeClient(clientConfig());
  }

  /** A WebTestClient of the gateway as its admin. */
  public WebTestClient client() {
    return WebTestClient.bindToServer(
            new ReactorClientHttpConnector(ClientTransport.httpClient(clientConfig())))
        .baseUrl(url())
        .responseTimeout(Duration.ofSeconds(30))
        .build();
  }

  /** The federation controllers' runner. */
  public ComponentRunner runner() {
    return context.getBean(ComponentRunner.class);
  }

  /** Components whose lease this gateway lost. */
  public List<String> leaseLosses() {
    return List.copyOf(leaseLosses);
  }

  public <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  public ConfigurableApplicationContext context() {
    return context;
  }

  @Override
  public void close() {
    context.close();
  }
}
