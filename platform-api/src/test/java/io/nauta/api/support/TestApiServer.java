package io.nauta.api.support;

import io.nauta.api.NautaApiServer;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.ClientTransport;
import io.nauta.core.pki.CertificateAuthority;
import io.nauta.core.pki.CertificateRequest;
import io.nauta.core.pki.IssuedCertificate;
import io.nauta.core.pki.Kubeconfigs;
import io.nauta.core.pki.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
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
 *
 * <p>It runs as Nauta does by default: HTTPS, authentication and RBAC ({@code
 * nauta.security.enabled}). Every server of a test JVM shares one PKI (a temporary directory made
 * on first use), unless a test names its own {@code nauta.security.pki-dir}; {@link #client()},
 * {@link #kubeconfig(Path)} and {@link #clientConfig()} are the admin ({@code nauta-admin} in
 * {@code system:masters}), {@link #clientAs}/{@link #kubeconfigAs} another user with a client
 * certificate from the PKI's client CA, {@link #anonymousClient()} nobody. A test about plain HTTP
 * opts out with {@link #PLAIN_HTTP}.
 */
public final class TestApiServer implements AutoCloseable {

  /** The deliberate opt-out, for tests about plain HTTP: pass it to {@link #start}. */
  public static final String PLAIN_HTTP = "nauta.security.enabled=false";

  private static final String PKI_DIR = "nauta.security.pki-dir=";
  private static Path sharedPki;
  private static final tools.jackson.databind.json.JsonMapper JSON =
      tools.jackson.databind.json.JsonMapper.builder().build();

  /** Issued client certificates by identity and PKI: issuing one costs a key pair. */
  private static final Map<String, IssuedCertificate> issued = new ConcurrentHashMap<>();

  private final ConfigurableApplicationContext context;
  private final int port;
  private Path kubeconfigDir;

  private TestApiServer(ConfigurableApplicationContext context) {
    this.context = context;
    this.port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
  }

  /** Whether the server runs with {@code nauta.security.enabled}: HTTPS and authentication. */
  public boolean secure() {
    return Boolean.parseBoolean(
        context.getEnvironment().getProperty("nauta.security.enabled", "true"));
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
   * nauta.redis.url} among them replaces the test Redis, e.g. with a proxy in front of it; {@link
   * #PLAIN_HTTP} turns security off; {@code nauta.security.pki-dir} gives the server its own PKI).
   */
  public static TestApiServer start(String... properties) {
    List<String> given = List.of(properties);
    List<String> props = new ArrayList<>();
    // A given port: a server started again where clients (or a federation gateway) expect it.
    if (given.stream().noneMatch(p -> p.startsWith("server.port="))) {
      props.add("server.port=0");
    }
    if (given.stream().noneMatch(p -> p.startsWith("server.address="))) {
      props.add("server.address=127.0.0.1");
    }
    if (given.stream().noneMatch(p -> p.startsWith("nauta.redis.url="))) {
      props.add("nauta.redis.url=" + TestRedis.url());
    }
    // A bare API server has no service-accounts controller to make each namespace's "default"
    // account, so pod creates would wait for it and be refused (as on a bare kube-apiserver):
    // ServiceAccount admission is on only where a test asks for it.
    if (given.stream().noneMatch(p -> p.startsWith(SERVICE_ACCOUNT_ADMISSION))) {
      props.add(SERVICE_ACCOUNT_ADMISSION + "false");
    }
    // Fixtures' nodes name addresses no agent listens on (192.0.2.x, TEST-NET-1, leaves this
    // machine): resource metrics scrape them only where a test asks for it.
    if (given.stream().noneMatch(p -> p.startsWith(RESOURCE_METRICS))) {
      props.add(RESOURCE_METRICS + "false");
    }
    // Security is not switched on here: it is the server's default, which every test thus checks.
    boolean plain = given.contains(PLAIN_HTTP);
    if (!plain && given.stream().noneMatch(p -> p.startsWith(PKI_DIR))) {
      props.add(PKI_DIR + sharedPki());
    }
    props.addAll(given);
    // As command-line arguments, they override application.yaml (default properties would not).
    ConfigurableApplicationContext ctx =
        new SpringApplicationBuilder(NautaApiServer.class)
            .run(props.stream().map(p -> "--" + p).toArray(String[]::new));
    TestApiServer server = new TestApiServer(ctx);
    server.awaitReady();
    return server;
  }

  /** One PKI for every server of this JVM: made by the first, reused (not remade) by the others. */
  private static synchronized Path sharedPki() {
    if (sharedPki == null) {
      try {
        Path dir = Files.createTempDirectory("nauta-test-pki-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "test-pki-cleanup"));
        sharedPki = dir;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return sharedPki;
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind
    }
  }

  private void awaitReady() {
    WebTestClient client = anonymousClient();
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

  /** The admin's client settings for this server (plain URL on a server without security). */
  public ClientConfig clientConfig() {
    return secure() ? ClientConfig.fromKubeconfig(kubeconfig()) : ClientConfig.fromUrl(url());
  }

  /**
   * {@link #clientConfig()} for another address of this server, e.g. a proxy in front of it; the
   * address's scheme follows the server's ({@code https} on a secure server).
   */
  public ClientConfig clientConfig(String otherUrl) {
    if (!secure()) {
      return ClientConfig.fromUrl(otherUrl);
    }
    ClientConfig admin = clientConfig();
    return new ClientConfig(
        otherUrl.replaceFirst("^http:", "https:"),
        null,
        admin.namespace(),
        admin.certificateAuthority(),
        admin.clientCertificate(),
        admin.clientKey(),
        false);
  }

  /** A Nauta client of this server as its admin. */
  public io.nauta.core.client.KubeClient kubeClient() {
    return new io.nauta.core.client.KubeClient(clientConfig());
  }

  /** {@link #clientConfig()} of another user: a client certificate with CN user, O groups. */
  public ClientConfig clientConfigAs(String user, String... groups) {
    return ClientConfig.fromKubeconfig(kubeconfigAs(user, groups));
  }

  /** Client settings with only a bearer token (and the server CA): the token decides who. */
  public ClientConfig clientConfigWithToken(String token) {
    return new ClientConfig(url(), token, null, serverCa(), null, null, false);
  }

  /**
   * A JDK HTTP client that trusts this secure server's CA and presents no certificate, as {@code
   * curl --cacert} would; it trusts the same CA on the components' HTTPS ports.
   */
  public HttpClient anonymousHttpClient() {
    return HttpClient.newBuilder().sslContext(sslContext(null)).build();
  }

  /** A JDK HTTP client builder that is the admin on this server (plain on a plain server). */
  public HttpClient.Builder httpClientBuilder() {
    HttpClient.Builder builder = HttpClient.newBuilder();
    return secure() ? builder.sslContext(sslContext(admin())) : builder;
  }

  /** A JDK HTTP client that is the admin on this server. */
  public HttpClient httpClient() {
    return httpClientBuilder().build();
  }

  /** TLS as the admin: trusts the server CA and presents the admin's client certificate. */
  public SSLContext adminSslContext() {
    return sslContext(admin());
  }

  /**
   * A socket connected to this server, for tests that write HTTP/1.1 by hand: over TLS as the admin
   * on a secure server (handshake done), plain otherwise.
   */
  public java.net.Socket openSocket() throws IOException {
    if (!secure()) {
      return new java.net.Socket("127.0.0.1", port);
    }
    javax.net.ssl.SSLSocket socket =
        (javax.net.ssl.SSLSocket)
            adminSslContext().getSocketFactory().createSocket("127.0.0.1", port);
    socket.startHandshake();
    return socket;
  }

  /** A client of this server; on a secure server it trusts the server CA and is the admin. */
  public WebTestClient client() {
    return webTestClient(secure() ? clientConfig() : null);
  }

  /** A client presenting a client certificate for {@code user} in {@code groups}. */
  public WebTestClient clientAs(String user, String... groups) {
    return webTestClient(clientConfigAs(user, groups));
  }

  /** A client sending {@code Authorization: Bearer token} and no certificate. */
  public WebTestClient clientWithToken(String token) {
    return webTestClient(clientConfigWithToken(token));
  }

  /** A client with no credentials (trusting the server CA on a secure server). */
  public WebTestClient anonymousClient() {
    return webTestClient(
        secure() ? new ClientConfig(url(), null, null, serverCa(), null, null, false) : null);
  }

  private WebTestClient webTestClient(ClientConfig config) {
    WebTestClient.Builder builder =
        config == null
            ? WebTestClient.bindToServer()
            : WebTestClient.bindToServer(
                new ReactorClientHttpConnector(ClientTransport.httpClient(config)));
    if (config != null && config.token() != null) {
      builder.defaultHeader("Authorization", "Bearer " + config.token());
    }
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
   * A kubeconfig file for this server, for kubectl and the fabric8 client: the admin's ({@code
   * nauta-admin}, {@code system:masters}) on a secure server. {@code dir} is where a plain server's
   * is written; a secure server's live beside its PKI.
   */
  public Path kubeconfig(Path dir) {
    if (secure()) {
      return kubeconfig();
    }
    try {
      Path file = dir.resolve("kubeconfig-" + port);
      Files.writeString(file, kubeconfigJson(Map.of("server", url()), Map.of()));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A kubeconfig (JSON, which kubectl and every client read as YAML) with one cluster, one user and
   * one context named {@code nauta} in namespace {@code default}.
   */
  private static String kubeconfigJson(Map<String, ?> cluster, Map<String, ?> user) {
    return JSON.writeValueAsString(
        Map.of(
            "apiVersion",
            "v1",
            "kind",
            "Config",
            "clusters",
            List.of(Map.of("name", "nauta", "cluster", cluster)),
            "users",
            List.of(Map.of("name", "nauta", "user", user)),
            "contexts",
            List.of(
                Map.of(
                    "name",
                    "nauta",
                    "context",
                    Map.of("cluster", "nauta", "user", "nauta", "namespace", "default"))),
            "current-context",
            "nauta"));
  }

  /** The admin's kubeconfig for this server (secure servers only). */
  public Path kubeconfig() {
    return kubeconfigAs("nauta-admin", "system:masters");
  }

  /**
   * A kubeconfig for this server as {@code user} in {@code groups}: a client certificate issued by
   * the PKI's client CA, as {@code kubectl certificate approve} or an administrator would give one.
   */
  public Path kubeconfigAs(String user, String... groups) {
    return kubeconfigVia(url(), user, groups);
  }

  /**
   * {@link #kubeconfigAs} for another address of this server (a proxy in front of it); its scheme
   * follows the server's.
   */
  public Path kubeconfigVia(String otherUrl, String user, String... groups) {
    IssuedCertificate cert = issue(user, groups);
    String server = otherUrl.replaceFirst("^http:", "https:");
    String name =
        (user + "-" + String.join("-", groups) + "-" + server.replaceAll(".*:", ""))
            .replaceAll("[^A-Za-z0-9.-]", "_");
    return writeKubeconfig(
        name,
        Kubeconfigs.withClientCertificate(
            server,
            serverCa(),
            Pem.certificate(cert.certificate()),
            Pem.privateKey(cert.key()),
            user));
  }

  /**
   * The kubeconfig of a node agent for {@code node}: {@code system:node:<node>} in {@code
   * system:nodes}, as the PKI makes the agent's.
   */
  public Path agentKubeconfig(String node) {
    return kubeconfigAs("system:node:" + node, "system:nodes");
  }

  /** The scheduler's kubeconfig: {@code system:kube-scheduler}, as in the PKI. */
  public Path schedulerKubeconfig() {
    return kubeconfigAs("system:kube-scheduler");
  }

  /** The controller manager's kubeconfig: {@code system:kube-controller-manager}. */
  public Path controllerManagerKubeconfig() {
    return kubeconfigAs("system:kube-controller-manager");
  }

  /**
   * The command-line arguments that connect the scheduler to this server as {@code deploy/nauta}
   * does: its own kubeconfig ({@code system:kube-scheduler}) and its health port on HTTPS; the
   * plain URL on a plain server.
   */
  /**
   * The node agent's port as {@code deploy/nauta} serves it on a secure server: HTTPS with its
   * serving certificate, asking callers for client certificates of the client CA (the API server's
   * kubelet client, the admin), others by token; nothing on a plain one.
   */
  public List<String> agentServingArgs() {
    if (!secure()) {
      return List.of();
    }
    List<String> args = new ArrayList<>(servingTlsArgs("agent"));
    args.add("--server.ssl.client-auth=want");
    args.add("--server.ssl.trust-certificate=" + pkiDir().resolve("client-ca.crt"));
    args.add("--nauta.agent.authentication.client-ca-file=" + pkiDir().resolve("client-ca.crt"));
    return args;
  }

  public List<String> schedulerArgs() {
    if (!secure()) {
      return List.of("--nauta.scheduler.server=" + url());
    }
    List<String> args = new ArrayList<>();
    args.add("--nauta.scheduler.kubeconfig=" + schedulerKubeconfig());
    args.addAll(servingTlsArgs("scheduler"));
    return args;
  }

  /**
   * As {@link #schedulerArgs()} for the controller manager ({@code
   * system:kube-controller-manager}), with the server CA it publishes as {@code kube-root-ca.crt}
   * and the client CA its CSR signer issues with.
   */
  public List<String> controllerManagerArgs() {
    return controllerManagerArgs(url());
  }

  /** {@link #controllerManagerArgs()} reaching this server at another address (a proxy). */
  public List<String> controllerManagerArgs(String viaUrl) {
    if (!secure()) {
      return List.of("--nauta.controllers.server=" + viaUrl);
    }
    List<String> args = new ArrayList<>();
    args.add(
        "--nauta.controllers.kubeconfig="
            + kubeconfigVia(viaUrl, "system:kube-controller-manager"));
    args.add("--nauta.controllers.root-ca-file=" + pkiDir().resolve("server-ca.crt"));
    // The CSR signer, as deploy/nauta runs it: agents that join with a bootstrap token need it.
    args.add("--nauta.controllers.cluster-signing-cert-file=" + pkiDir().resolve("client-ca.crt"));
    args.add("--nauta.controllers.cluster-signing-key-file=" + pkiDir().resolve("client-ca.key"));
    // Agents' serving certificates, from the server CA the API server trusts when it dials them.
    args.add(
        "--nauta.controllers.cluster-signing-kubelet-serving-cert-file="
            + pkiDir().resolve("server-ca.crt"));
    args.add(
        "--nauta.controllers.cluster-signing-kubelet-serving-key-file="
            + pkiDir().resolve("server-ca.key"));
    args.addAll(servingTlsArgs("controller-manager"));
    return args;
  }

  /**
   * The argument that connects a node agent running node {@code node} to this server: its
   * kubeconfig ({@code system:node:<node>} in {@code system:nodes}, as the PKI makes the agent's);
   * the plain URL on a plain server.
   */
  public String agentArg(String node) {
    return secure()
        ? "--nauta.agent.kubeconfig=" + agentKubeconfig(node)
        : "--nauta.agent.server=" + url();
  }

  /**
   * The argument that connects an agent simulating several nodes in one process: one identity for
   * all of them, {@value #NODE_SIMULATOR} in {@code system:nodes} as the PKI makes it (no {@code
   * system:node:<name>}, so the Node authorizer and NodeRestriction do not hold it to one node's
   * objects), bound by RBAC to the {@code system:node} role.
   */
  public String simulatedNodesAgentArg() {
    return secure()
        ? "--nauta.agent.kubeconfig=" + kubeconfigAs(NODE_SIMULATOR, "system:nodes")
        : "--nauta.agent.server=" + url();
  }

  /** Turns ServiceAccount admission on ({@code true}) or off; off unless a test says. */
  public static final String SERVICE_ACCOUNT_ADMISSION = "nauta.admission.service-account.enabled=";

  /** Whether the server scrapes its nodes' {@code /stats/summary}; off unless a test asks. */
  public static final String RESOURCE_METRICS = "nauta.metrics.enabled=";

  /**
   * Pod Security Admission off ({@code false}), for tests about what pods do with the host
   * (hostPath volumes, host ports) rather than about policy; on (baseline enforced) unless a test
   * says.
   */
  public static final String POD_SECURITY = "nauta.pod-security.enabled=";

  /** The user of an agent that simulates several nodes. */
  public static final String NODE_SIMULATOR = "nauta:node-simulator";

  /**
   * The {@code --server.ssl.*} arguments that make a component ({@code scheduler}, {@code
   * controller-manager}, {@code agent}) serve its port over HTTPS with its certificate from the
   * PKI, as {@code deploy/nauta} starts it; none on a plain server.
   */
  public List<String> servingTlsArgs(String component) {
    if (!secure()) {
      return List.of();
    }
    return List.of(
        "--server.ssl.certificate=" + pkiDir().resolve(component + "-serving.crt"),
        "--server.ssl.certificate-private-key=" + pkiDir().resolve(component + "-serving.key"));
  }

  /**
   * A kubeconfig that authenticates with {@code token} only (no client certificate, which would
   * decide first): what {@code kubectl create token} output is used with.
   */
  public Path kubeconfigWithToken(String token) {
    return writeKubeconfig(
        "token-" + Integer.toHexString(token.hashCode()),
        kubeconfigJson(
            Map.of(
                "server",
                url(),
                "certificate-authority-data",
                java.util.Base64.getEncoder().encodeToString(serverCa().getBytes())),
            Map.of("token", token)));
  }

  private synchronized Path writeKubeconfig(String name, String yaml) {
    try {
      if (kubeconfigDir == null) {
        kubeconfigDir = Files.createDirectories(pkiDir().resolve("test-kubeconfigs-" + port));
      }
      Path file = kubeconfigDir.resolve(name + ".kubeconfig");
      Files.writeString(file, yaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private IssuedCertificate issue(String user, String... groups) {
    requireSecure();
    Path pki = pkiDir();
    return issued.computeIfAbsent(
        pki + "|" + user + "|" + String.join(",", groups),
        k ->
            new CertificateAuthority(
                    Pem.parseCertificate(Pem.read(pki.resolve("client-ca.crt"))),
                    Pem.parsePrivateKey(Pem.read(pki.resolve("client-ca.key"))))
                .issue(
                    CertificateRequest.client(user, List.of(groups), Duration.ofDays(1)),
                    Instant.now()));
  }

  private IssuedCertificate admin() {
    return issue("nauta-admin", "system:masters");
  }

  /** PEM of the server CA a secure server's certificate chains to. */
  public String serverCa() {
    requireSecure();
    return Pem.read(pkiDir().resolve("server-ca.crt"));
  }

  private void requireSecure() {
    if (!secure()) {
      throw new IllegalStateException("this server runs without security (" + PLAIN_HTTP + ")");
    }
  }

  private SSLContext sslContext(IssuedCertificate identity) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", Pem.parseCertificate(serverCa()));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      KeyManagerFactory kmf = null;
      if (identity != null) {
        char[] password = "test".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry(
            "client", identity.key(), password, new Certificate[] {identity.certificate()});
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
      }
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ssl;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    context.close();
  }
}
