package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.api.support.BootstrapTokens;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.ClientTransport;
import io.nauta.core.pki.CertificateAuthority;
import io.nauta.core.pki.CertificateRequest;
import io.nauta.core.pki.IssuedCertificate;
import io.nauta.core.pki.Kubeconfigs;
import io.nauta.core.pki.Pem;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API server with security on, over real HTTPS with certificates from its own PKI: what a
 * client without credentials, kubectl with the admin kubeconfig, a foreign or expired certificate,
 * a static token and a bootstrap token each get, and what a TokenReview says of those tokens.
 */
class SecurityIT {

  // What kubectl says on a 401 (it words the reason from the Status body or from the code).
  private static final String KUBECTL_401 = "error: You must be logged in to the server";
  private static final String STATIC_TOKEN = "static-token-for-alice-0123456789";

  @TempDir static Path dir;
  private static TestApiServer server;
  private static HttpClient http;
  private static Kubectl admin;

  @BeforeAll
  static void start() throws Exception {
    Path tokens = dir.resolve("tokens.csv");
    Files.writeString(tokens, STATIC_TOKEN + ",alice,alice-uid,\"dev,ops\"\n");
    server =
        TestApiServer.startOnEmptyRedis(
            "nauta.security.enabled=true",
            "nauta.security.pki-dir=" + dir.resolve("pki"),
            "nauta.security.token-auth-file=" + tokens,
            "nauta.security.token-cache-ttl=1s");
    http = server.anonymousHttpClient();
    admin = new Kubectl(server.pkiDir().resolve("admin.kubeconfig"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void withoutCredentialsOnlyThePublicPathsAnswer() throws Exception {
    HttpResponse<String> pods = get("/api/v1/pods", null);

    assertThat(pods.statusCode()).isEqualTo(401);
    JsonNode status = JsonMapper.builder().build().readTree(pods.body());
    assertThat(status.path("kind").asString()).isEqualTo("Status");
    assertThat(status.path("status").asString()).isEqualTo("Failure");
    assertThat(status.path("message").asString()).isEqualTo("Unauthorized");
    assertThat(status.path("reason").asString()).isEqualTo("Unauthorized");
    assertThat(status.path("code").asInt()).isEqualTo(401);
    for (String path : List.of("/readyz", "/livez", "/healthz", "/version")) {
      assertThat(get(path, null).statusCode()).as(path).isEqualTo(200);
    }
    assertThat(get("/api", null).statusCode()).isEqualTo(401);
  }

  @Test
  void anyoneMayGetClusterInfoWithTheServersAddressAndCaAndNothingElseOfKubePublic()
      throws Exception {
    HttpResponse<String> info = get("/api/v1/namespaces/kube-public/configmaps/cluster-info", null);

    assertThat(info.statusCode()).as(info.body()).isEqualTo(200);
    String kubeconfig =
        JsonMapper.builder()
            .build()
            .readTree(info.body())
            .path("data")
            .path("kubeconfig")
            .asString();
    String ca = Pem.read(server.pkiDir().resolve("server-ca.crt"));
    assertThat(kubeconfig)
        .contains(
            "    certificate-authority-data: "
                + java.util.Base64.getEncoder()
                    .encodeToString(ca.getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                + "\n")
        .contains("    server: https://127.0.0.1:" + URI.create(server.url()).getPort() + "\n")
        .contains("users: null");
    // RBAC decides, and kubeadm's role grants get of that one ConfigMap only.
    Kubectl.Result role =
        admin.run(
            "get",
            "-n",
            "kube-public",
            "role/kubeadm:bootstrap-signer-clusterinfo",
            "rolebinding/kubeadm:bootstrap-signer-clusterinfo",
            "-o",
            "jsonpath={.items[0].rules} {.items[1].subjects}");
    assertThat(role.stdout())
        .as(role.toString())
        .isEqualTo(
            "[{\"apiGroups\":[\"\"],\"resourceNames\":[\"cluster-info\"],"
                + "\"resources\":[\"configmaps\"],\"verbs\":[\"get\"]}] "
                + "[{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"User\","
                + "\"name\":\"system:anonymous\"}]");
    HttpResponse<String> delete =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        server.url() + "/api/v1/namespaces/kube-public/configmaps/cluster-info"))
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(delete.statusCode()).as(delete.body()).isEqualTo(403);
    assertThat(delete.body()).contains("User \\\"system:anonymous\\\" cannot delete resource");
    assertThat(get("/api/v1/namespaces/kube-public/configmaps", null).statusCode()).isEqualTo(401);
    assertThat(get("/api/v1/namespaces/kube-public/configmaps/other", null).statusCode())
        .isEqualTo(401);
    assertThat(get("/api/v1/namespaces/kube-system/configmaps/cluster-info", null).statusCode())
        .isEqualTo(401);
  }

  @Test
  void kubectlWithTheAdminKubeconfigWorksOverHttps() {
    assertThat(server.url()).startsWith("https://");
    Kubectl.Result ns = admin.run("get", "ns");
    assertThat(ns.exitCode()).as(ns.toString()).isZero();
    assertThat(ns.stdout()).contains("default");

    Kubectl.Result created = admin.run("create", "configmap", "settings", "--from-literal=a=b");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    Kubectl.Result read = admin.run("get", "configmap", "settings", "-o", "jsonpath={.data.a}");
    assertThat(read.stdout()).as(read.toString()).isEqualTo("b");
  }

  @Test
  void aCertificateFromAnotherCaIsUnauthorized() throws Exception {
    CertificateAuthority other =
        CertificateAuthority.create("other-ca", Duration.ofDays(30), Instant.now());
    IssuedCertificate cert =
        other.issue(
            CertificateRequest.client("nauta-admin", List.of("system:masters"), Duration.ofDays(1)),
            Instant.now());

    Kubectl.Result result = kubectlAs(cert, "foreign").run("get", "ns");
    String answer =
        ClientTransport.httpClient(
                new ClientConfig(
                    server.url(),
                    null,
                    null,
                    Pem.read(server.pkiDir().resolve("server-ca.crt")),
                    Pem.certificate(cert.certificate()),
                    Pem.privateKey(cert.key()),
                    false))
            .get()
            .uri(server.url() + "/api/v1/namespaces")
            .responseSingle((r, body) -> body.asString().map(b -> r.status().code() + " " + b))
            .block(Duration.ofSeconds(30));

    assertThat(result.exitCode()).as(result.toString()).isNotZero();
    assertThat(result.stderr()).contains(KUBECTL_401);
    assertThat(answer).startsWith("401 ").contains("\"reason\":\"Unauthorized\"");
  }

  @Test
  void anExpiredCertificateOfTheClientCaIsUnauthorized() throws Exception {
    Path pki = server.pkiDir();
    CertificateAuthority clientCa =
        new CertificateAuthority(
            Pem.parseCertificate(Pem.read(pki.resolve("client-ca.crt"))),
            Pem.parsePrivateKey(Pem.read(pki.resolve("client-ca.key"))));
    IssuedCertificate expired =
        clientCa.issue(
            CertificateRequest.client("nauta-admin", List.of("system:masters"), Duration.ofDays(1)),
            Instant.now().minus(Duration.ofDays(3)));
    IssuedCertificate valid =
        clientCa.issue(
            CertificateRequest.client("someone", List.of(), Duration.ofDays(1)), Instant.now());

    Kubectl.Result refused = kubectlAs(expired, "expired").run("get", "ns");
    Kubectl.Result accepted = kubectlAs(valid, "valid").run("get", "ns");

    assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
    assertThat(refused.stderr()).contains(KUBECTL_401);
    // Authenticated as "someone", whom RBAC grants nothing beyond discovery: 403, not 401.
    assertThat(accepted.exitCode()).as(accepted.toString()).isNotZero();
    assertThat(accepted.stderr())
        .contains("namespaces is forbidden: User \"someone\" cannot list resource \"namespaces\"");
  }

  @Test
  void kubectlAsImpersonatesOnlyForWhoMayImpersonate() throws Exception {
    // The admin (system:masters) may impersonate: the request is then the impersonated user's.
    Kubectl.Result whoami = admin.run("auth", "whoami", "--as=bob", "--as-group=team");
    assertThat(whoami.exitCode()).as(whoami.toString()).isZero();
    assertThat(whoami.stdout()).contains("bob").contains("[team system:authenticated]");
    Kubectl.Result canI =
        admin.run(
            "auth",
            "can-i",
            "list",
            "pods",
            "-n",
            "default",
            "--as=system:serviceaccount:x:nobody");
    assertThat(canI.exitCode()).as(canI.toString()).isEqualTo(1);
    assertThat(canI.stdout().strip()).isEqualTo("no");
    Kubectl.Result asBob = admin.run("get", "ns", "--as=bob");
    assertThat(asBob.stderr())
        .contains("namespaces is forbidden: User \"bob\" cannot list resource \"namespaces\"");

    // Someone without the impersonate verb gets 403, and nothing is done as the other user.
    Path pki = server.pkiDir();
    CertificateAuthority clientCa =
        new CertificateAuthority(
            Pem.parseCertificate(Pem.read(pki.resolve("client-ca.crt"))),
            Pem.parsePrivateKey(Pem.read(pki.resolve("client-ca.key"))));
    IssuedCertificate someone =
        clientCa.issue(
            CertificateRequest.client("someone", List.of(), Duration.ofDays(1)), Instant.now());
    Kubectl.Result refused =
        kubectlAs(someone, "impersonator").run("get", "ns", "--as=nauta-admin");
    assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
    assertThat(refused.stderr())
        .contains(
            "users \"nauta-admin\" is forbidden: User \"someone\" cannot impersonate resource"
                + " \"users\" in API group \"\" at the cluster scope");
  }

  @Test
  void aStaticTokenIsAcceptedAndAWrongOneIsNot() throws Exception {
    // Discovery is every authenticated user's (system:discovery); namespaces are not alice's.
    assertThat(get("/api", STATIC_TOKEN).statusCode()).isEqualTo(200);
    assertThat(get("/api/v1/namespaces", STATIC_TOKEN).statusCode()).isEqualTo(403);
    assertThat(get("/api/v1/namespaces", STATIC_TOKEN + "x").statusCode()).isEqualTo(401);
    // Invalid credentials are refused even where no credentials would pass.
    assertThat(get("/readyz", STATIC_TOKEN + "x").statusCode()).isEqualTo(401);
  }

  @Test
  void aBootstrapTokenWorksWhileItsSecretExistsAndIsUnexpired() throws Exception {
    String token = "abc123.0123456789abcdef";
    createBootstrapSecret("abc123", "0123456789abcdef", Instant.now().plusSeconds(3600));
    createBootstrapSecret("old456", "0123456789abcdef", Instant.now().minusSeconds(60));

    await().atMost(Duration.ofSeconds(20)).until(() -> get("/api", token).statusCode() == 200);
    assertThat(get("/api", "old456.0123456789abcdef").statusCode()).isEqualTo(401);
    assertThat(get("/api", "abc123.ffffffffffffffff").statusCode()).isEqualTo(401);

    Kubectl.Result deleted =
        admin.run("delete", "secret", "-n", "kube-system", "bootstrap-token-abc123");
    assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
    await().atMost(Duration.ofSeconds(20)).until(() -> get("/api", token).statusCode() == 401);
  }

  @Test
  void aTokenReviewAnswersForAStaticTokenAsTheRequestPathDoes() throws Exception {
    JsonNode status = tokenReview(STATIC_TOKEN).path("status");

    assertThat(status.path("authenticated").asBoolean()).as(status.toString()).isTrue();
    assertThat(status.path("user").path("username").asString()).isEqualTo("alice");
    assertThat(status.path("user").path("uid").asString()).isEqualTo("alice-uid");
    assertThat(strings(status.path("user").path("groups")))
        .containsExactly("dev", "ops", "system:authenticated");
    assertThat(status.path("error").isMissingNode()).as(status.toString()).isTrue();
    JsonNode wrong = tokenReview(STATIC_TOKEN + "x").path("status");
    assertThat(wrong.path("authenticated").asBoolean()).isFalse();
    assertThat(wrong.path("error").asString()).isEqualTo("invalid bearer token");
  }

  @Test
  void aTokenReviewOfAnAudienceAgnosticTokenAnswersForTheApiServersAudiencesOnly()
      throws Exception {
    // As Kubernetes' WrapAudienceAgnosticToken: good for the asked audiences that are the API
    // server's (the issuer here), in the order asked; for none of them it is not authenticated.
    String apiAudience = "https://kubernetes.default.svc.cluster.local";
    JsonNode both = tokenReview(STATIC_TOKEN, "other", apiAudience).path("status");
    assertThat(both.path("authenticated").asBoolean()).as(both.toString()).isTrue();
    assertThat(strings(both.path("audiences"))).containsExactly(apiAudience);

    JsonNode foreign = tokenReview(STATIC_TOKEN, "other").path("status");
    assertThat(foreign.path("authenticated").asBoolean()).as(foreign.toString()).isFalse();
    assertThat(foreign.path("error").asString()).isEqualTo("invalid bearer token");
  }

  @Test
  void aTokenReviewAnswersForABootstrapTokenWhileItsSecretExistsAndIsUnexpired() throws Exception {
    String token = "rev123.0123456789abcdef";
    createBootstrapSecret("rev123", "0123456789abcdef", Instant.now().plusSeconds(3600));
    createBootstrapSecret("rev456", "0123456789abcdef", Instant.now().plusSeconds(8));

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> tokenReview(token).path("status").path("authenticated").asBoolean());
    JsonNode status = tokenReview(token).path("status");
    assertThat(status.path("user").path("username").asString())
        .isEqualTo("system:bootstrap:rev123");
    assertThat(strings(status.path("user").path("groups")))
        .containsExactly("system:bootstrappers", "system:authenticated");
    assertThat(
            tokenReview("rev456.0123456789abcdef").path("status").path("authenticated").asBoolean())
        .isTrue();
    assertThat(
            tokenReview("rev123.ffffffffffffffff").path("status").path("authenticated").asBoolean())
        .isFalse();

    Kubectl.Result deleted =
        admin.run("delete", "secret", "-n", "kube-system", "bootstrap-token-rev123");
    assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !tokenReview(token).path("status").path("authenticated").asBoolean());
    // Expired by the clock, with its Secret still there.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                !tokenReview("rev456.0123456789abcdef")
                    .path("status")
                    .path("authenticated")
                    .asBoolean());
    assertThat(get("/api", "rev456.0123456789abcdef").statusCode()).isEqualTo(401);
  }

  /** A TokenReview created with kubectl as the admin: what the API server says of {@code token}. */
  private static JsonNode tokenReview(String token, String... audiences) throws Exception {
    StringBuilder yaml =
        new StringBuilder(
            """
            apiVersion: authentication.k8s.io/v1
            kind: TokenReview
            spec:
              token: "%s"
            """
                .formatted(token));
    if (audiences.length > 0) {
      yaml.append("  audiences:\n");
      for (String a : audiences) {
        yaml.append("  - \"").append(a).append("\"\n");
      }
    }
    Kubectl.Result created = admin.runWithInput(yaml.toString(), "create", "-f", "-", "-o", "json");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    return JsonMapper.builder().build().readTree(created.stdout());
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asString()));
    return out;
  }

  private static void createBootstrapSecret(String id, String secret, Instant expiration) {
    Kubectl.Result created =
        admin.runWithInput(BootstrapTokens.secret(id, secret, expiration), "create", "-f", "-");
    assertThat(created.exitCode()).as(created.toString()).isZero();
  }

  private static Kubectl kubectlAs(IssuedCertificate cert, String name) throws Exception {
    Path file = dir.resolve(name + ".kubeconfig");
    Files.writeString(
        file,
        Kubeconfigs.withClientCertificate(
            server.url(),
            Pem.read(server.pkiDir().resolve("server-ca.crt")),
            Pem.certificate(cert.certificate()),
            Pem.privateKey(cert.key()),
            name));
    return new Kubectl(file);
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
