package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.nauta.api.support.TestApiServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit log of a real API server with security on, under the default policy {@code deploy/nauta
 * up} gives it ({@code deploy/audit-policy.yaml}), driven by the real kubectl: who did what to
 * which object, what authorization decided, and no Secret data anywhere in the log.
 */
class AuditLogIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Path DEFAULT_POLICY = Path.of("..", "deploy", "audit-policy.yaml");
  private static final String SECRET_VALUE = "correct-horse-battery-staple-4711";

  @TempDir static Path dir;
  private static TestApiServer server;
  private static Path log;
  private static Kubectl admin;
  private static Kubectl dev;

  @BeforeAll
  static void start() {
    log = dir.resolve("logs").resolve("audit.log");
    server =
        TestApiServer.startOnEmptyRedis(
            "nauta.audit.policy-file=" + DEFAULT_POLICY.toAbsolutePath(),
            "nauta.audit.log-path=" + log);
    admin = new Kubectl(server.kubeconfig());
    dev = new Kubectl(server.kubeconfigAs("dev", "developers"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void logsWhoDidWhatToWhichObjectAndNeverTheSecretsData() {
    ok(
        admin.run(
            "create", "secret", "generic", "creds", "--from-literal=password=" + SECRET_VALUE));
    Kubectl.Result got = admin.run("get", "secret", "creds", "-o", "yaml");
    ok(got);
    String encoded =
        Base64.getEncoder().encodeToString(SECRET_VALUE.getBytes(StandardCharsets.UTF_8));
    // The Secret really went through the server with its data: what must not reach the log.
    assertThat(got.stdout()).contains(encoded);
    ok(admin.run("run", "web", "--image=busybox", "--restart=Never"));
    Kubectl.Result forbidden = dev.run("delete", "pod", "web", "--wait=false");
    assertThat(forbidden.exitCode()).as(forbidden.toString()).isNotZero();
    assertThat(forbidden.stderr()).contains("Forbidden");
    ok(admin.run("delete", "pod", "web", "--wait=false"));

    JsonNode created =
        awaitEvent(e -> is(e, "nauta-admin", "create", "secrets", "creds") && code(e) == 201);
    assertThat(created.path("level").asString()).isEqualTo("Metadata");
    assertThat(created.path("objectRef").path("namespace").asString()).isEqualTo("default");
    assertThat(created.path("objectRef").path("apiVersion").asString()).isEqualTo("v1");
    assertThat(created.has("requestObject")).isFalse();
    assertThat(created.path("annotations").path("authorization.k8s.io/decision").asString())
        .isEqualTo("allow");
    assertThat(created.path("user").path("groups").toString()).contains("system:masters");
    assertThat(created.path("userAgent").asString()).startsWith("kubectl");
    assertThat(created.path("sourceIPs").toString()).contains("127.0.0.1");

    JsonNode read = awaitEvent(e -> is(e, "nauta-admin", "get", "secrets", "creds"));
    assertThat(code(read)).isEqualTo(200);
    assertThat(read.has("responseObject")).isFalse();

    JsonNode podCreate = awaitEvent(e -> is(e, "nauta-admin", "create", "pods", "web"));
    assertThat(podCreate.path("level").asString()).isEqualTo("RequestResponse");
    assertThat(podCreate.path("requestObject").path("metadata").path("name").asString())
        .isEqualTo("web");
    assertThat(podCreate.path("responseObject").path("metadata").path("uid").asString())
        .isNotEmpty();

    JsonNode refused = awaitEvent(e -> is(e, "dev", "delete", "pods", "web"));
    assertThat(code(refused)).isEqualTo(403);
    assertThat(refused.path("responseStatus").path("reason").asString()).isEqualTo("Forbidden");
    assertThat(refused.path("annotations").path("authorization.k8s.io/decision").asString())
        .isEqualTo("forbid");
    assertThat(refused.path("annotations").has("authorization.k8s.io/reason")).isTrue();

    JsonNode deleted =
        awaitEvent(e -> is(e, "nauta-admin", "delete", "pods", "web") && code(e) == 200);
    assertThat(deleted.path("annotations").path("authorization.k8s.io/decision").asString())
        .isEqualTo("allow");
    assertThat(deleted.path("responseObject").path("metadata").path("name").asString())
        .isEqualTo("web");

    String text = read(log);
    assertThat(text).doesNotContain(SECRET_VALUE).doesNotContain(encoded);
    for (JsonNode e : events()) {
      assertThat(e.path("kind").asString()).isEqualTo("Event");
      assertThat(e.path("apiVersion").asString()).isEqualTo("audit.k8s.io/v1");
      assertThat(e.path("auditID").asString()).isNotEmpty();
      // The default policy leaves RequestReceived out and health checks unlogged.
      assertThat(e.path("stage").asString()).isNotEqualTo("RequestReceived");
      assertThat(e.path("requestURI").asString()).doesNotStartWith("/readyz");
    }
  }

  @Test
  void anImpersonatedRequestNamesBothUsers() {
    ok(admin.run("get", "namespaces", "--as=alice", "--as-group=system:masters"));
    JsonNode e =
        awaitEvent(
            ev ->
                is(ev, "nauta-admin", "list", "namespaces", "")
                    && ev.path("impersonatedUser").path("username").asString().equals("alice"));
    assertThat(e.path("impersonatedUser").path("groups").toString()).contains("system:masters");
  }

  @Test
  void theCallersAuditIdIsKeptAndSentBack() {
    server
        .client()
        .get()
        .uri("/api/v1/namespaces/default/configmaps")
        .header("Audit-ID", "caller-chosen-id-1")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals("Audit-Id", "caller-chosen-id-1");
    JsonNode e = awaitEvent(ev -> ev.path("auditID").asString().equals("caller-chosen-id-1"));
    assertThat(e.path("verb").asString()).isEqualTo("list");
    String fresh =
        server
            .client()
            .get()
            .uri("/api/v1/namespaces/default/configmaps")
            .exchange()
            .expectStatus()
            .isOk()
            .returnResult(String.class)
            .getResponseHeaders()
            .getFirst("Audit-Id");
    assertThat(fresh).isNotBlank();
    awaitEvent(ev -> ev.path("auditID").asString().equals(fresh));
  }

  @Test
  void aRequestAuthenticationRefusesIsLoggedWithoutAUser() {
    server
        .anonymousClient()
        .get()
        .uri("/api/v1/namespaces/default/pods")
        .header("Audit-ID", "refused-id-1")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .valueEquals("Audit-Id", "refused-id-1");
    JsonNode e = awaitEvent(ev -> ev.path("auditID").asString().equals("refused-id-1"));
    assertThat(e.path("stage").asString()).isEqualTo("ResponseStarted");
    assertThat(code(e)).isEqualTo(401);
    assertThat(e.path("responseStatus").path("reason").asString()).isEqualTo("Unauthorized");
    assertThat(e.path("user").has("username")).isFalse();
    assertThat(e.path("verb").asString()).isEqualTo("list");
    assertThat(e.path("objectRef").path("resource").asString()).isEqualTo("pods");
  }

  @Test
  void aWatchIsLoggedWhenItStartsAndWhenItEndsWithoutItsStream() {
    String id = "watch-audit-id-1";
    server
        .client()
        .get()
        .uri("/api/v1/namespaces/default/pods?watch=true&timeoutSeconds=1")
        .header("Audit-ID", id)
        .exchange()
        .expectStatus()
        .isOk()
        .returnResult(String.class)
        .getResponseBody()
        .blockLast(Duration.ofSeconds(20));
    JsonNode started =
        awaitEvent(
            e ->
                e.path("auditID").asString().equals(id)
                    && e.path("stage").asString().equals("ResponseStarted"));
    JsonNode complete =
        awaitEvent(
            e ->
                e.path("auditID").asString().equals(id)
                    && e.path("stage").asString().equals("ResponseComplete"));
    assertThat(started.path("verb").asString()).isEqualTo("watch");
    assertThat(code(started)).isEqualTo(200);
    assertThat(complete.has("responseObject")).isFalse();
  }

  @Test
  void aServerWithAnInvalidPolicyRefusesToStart() throws IOException {
    Path bad = dir.resolve("bad-policy.yaml");
    Files.writeString(
        bad, "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Everything\n");
    assertThatThrownBy(
            () ->
                TestApiServer.start(
                    "nauta.audit.policy-file=" + bad, "nauta.audit.log-path=" + dir.resolve("x")))
        .hasStackTraceContaining("invalid audit policy file " + bad)
        .hasStackTraceContaining("\"Everything\" is not one of None, Metadata");
  }

  private static boolean is(JsonNode e, String user, String verb, String resource, String name) {
    JsonNode ref = e.path("objectRef");
    return e.path("stage").asString().equals("ResponseComplete")
        && e.path("user").path("username").asString().equals(user)
        && e.path("verb").asString().equals(verb)
        && ref.path("resource").asString().equals(resource)
        && ref.path("name").asString("").equals(name);
  }

  private static int code(JsonNode e) {
    return e.path("responseStatus").path("code").asInt();
  }

  private static JsonNode awaitEvent(Predicate<JsonNode> wanted) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> events().stream().filter(wanted).findFirst().orElse(null), e -> e != null);
  }

  private static List<JsonNode> events() {
    List<JsonNode> events = new ArrayList<>();
    for (String line : read(log).split("\n")) {
      if (!line.isBlank()) {
        events.add(JSON.readTree(line));
      }
    }
    return events;
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void ok(Kubectl.Result r) {
    assertThat(r.exitCode()).as(r.toString()).isZero();
  }
}
