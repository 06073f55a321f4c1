package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.openapi.OpenApiV2;
import io.nauta.api.openapi.OpenApiV2Cache;
import io.nauta.api.support.TestApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /openapi/v2} as kubectl uses it, with TLS and RBAC on: the commands that needed {@code
 * --validate=false} while Nauta served only v3 (replacing a {@code List}; anything kubectl 1.27 and
 * 1.28 validate) work without it, and client-side validation still refuses what it should.
 */
class OpenApiV2IT {

  private static final String PROTOBUF_ACCEPT =
      "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
  private static final String PROTOBUF_TYPE =
      "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static TestApiServer server;

  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
    assertThat(server.secure()).isTrue();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Kubectl kubectl(String version) {
    return new Kubectl(server.kubeconfig(dir), Kubectl.versioned(version).toString());
  }

  // --- the endpoint --------------------------------------------------------------------------

  @Test
  void servesJsonAndProtobufUnderOneEtagAndRevalidatesWith304() {
    EntityExchangeResult<byte[]> json =
        server
            .client()
            .get()
            .uri("/openapi/v2")
            .header("Accept", "application/json")
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .valueEquals("Content-Type", "application/json")
            .expectHeader()
            .valueEquals("Vary", "Accept")
            .expectBody()
            .returnResult();
    String etag = json.getResponseHeaders().getETag();
    assertThat(etag).matches("\"[0-9A-F]{128}\"");
    JsonNode doc = JSON.readTree(json.getResponseBody());
    assertThat(doc.path("swagger").asString()).isEqualTo("2.0");
    assertThat(doc.path("definitions").has("io.k8s.api.core.v1.Pod")).isTrue();

    OpenApiV2 served = server.bean(OpenApiV2Cache.class).current().block();
    server
        .client()
        .get()
        .uri("/openapi/v2")
        .header("Accept", PROTOBUF_ACCEPT)
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals("Content-Type", PROTOBUF_TYPE)
        .expectHeader()
        .valueEquals("ETag", etag)
        .expectBody(byte[].class)
        .isEqualTo(served.protobuf());

    server
        .client()
        .get()
        .uri("/openapi/v2")
        .header("Accept", PROTOBUF_ACCEPT)
        .header("If-None-Match", etag)
        .exchange()
        .expectStatus()
        .isNotModified()
        .expectHeader()
        .valueEquals("ETag", etag)
        .expectBody()
        .isEmpty();
    server
        .client()
        .get()
        .uri("/openapi/v2")
        .header("If-None-Match", "\"stale\"")
        .exchange()
        .expectStatus()
        .isOk();
  }

  @Test
  void refusesAFormatItDoesNotServe() {
    server
        .client()
        .get()
        .uri("/openapi/v2")
        .header("Accept", "text/html")
        .exchange()
        .expectStatus()
        .isEqualTo(406)
        .expectBody()
        .jsonPath("$.reason")
        .isEqualTo("NotAcceptable");
  }

  /** As the other discovery documents: every authenticated user, nobody anonymous. */
  @Test
  void isReadableByAnyAuthenticatedUserAndNoAnonymousOne() {
    server
        .clientAs("someone-with-no-roles")
        .get()
        .uri("/openapi/v2")
        .header("Accept", PROTOBUF_ACCEPT)
        .exchange()
        .expectStatus()
        .isOk();
    server.anonymousClient().get().uri("/openapi/v2").exchange().expectStatus().isUnauthorized();
  }

  // --- kubectl ---------------------------------------------------------------------------------

  /**
   * The key-rotation step Kubernetes documents: kubectl validates a {@code List} on the client,
   * against {@code /openapi/v2}, whatever the server supports.
   */
  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.28", "1.29", "1.30", "1.31", "1.32", "1.33"})
  void everySecretIsRewrittenByReplacingTheirList(String version) {
    Kubectl kubectl = kubectl(version);
    String ns = "rotate-" + version.replace('.', '-');
    ok(kubectl.run("create", "namespace", ns));
    ok(kubectl.run("create", "secret", "generic", "one", "-n", ns, "--from-literal=k=v1"));
    ok(kubectl.run("create", "secret", "generic", "two", "-n", ns, "--from-literal=k=v2"));

    String all = ok(kubectl.run("get", "secrets", "-A", "-o", "json")).stdout();
    Kubectl.Result replaced = ok(kubectl.runWithInput(all, "replace", "-f", "-"));

    assertThat(replaced.stdout()).contains("secret/one replaced", "secret/two replaced");
  }

  /**
   * Serving v2 turns client-side validation on where kubectl does it: a List is checked item by
   * item on the client, and the unknown field is refused with kubectl's own message before anything
   * is sent.
   */
  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.33"})
  void anUnknownFieldInAListIsRefusedOnTheClient(String version) throws Exception {
    String ns = "validate-" + version.replace('.', '-');
    Kubectl kubectl = kubectl(version);
    ok(kubectl.run("create", "namespace", ns));
    Path file = dir.resolve("list-" + version + ".yaml");
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: ConfigMap
          metadata: {name: fine}
          data: {k: v}
        - apiVersion: v1
          kind: Pod
          metadata: {name: web}
          spec:
            containers:
            - name: app
              image: nauta/busybox:local
              bogus: 1
        """);

    Kubectl.Result refused = kubectl.run("create", "-n", ns, "-f", file.toString());

    assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
    assertThat(refused.stderr())
        .contains("error validating data")
        .contains("unknown field \"bogus\"")
        .contains("io.k8s.api.core.v1.Container")
        .contains("turn validation off with --validate=false");
    assertThat(ok(kubectl.run("get", "configmaps,pods", "-n", ns, "-o", "name")).stdout())
        .doesNotContain("fine")
        .doesNotContain("web");
  }

  /** A single object is still validated by the server, which kubectl asks to be strict. */
  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.33"})
  void anUnknownFieldInOneObjectIsRefusedStrictly(String version) throws Exception {
    Path file = dir.resolve("pod-" + version + ".yaml");
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: strict}
        spec:
          bogus: 1
          containers:
          - name: app
            image: nauta/busybox:local
        """);

    Kubectl.Result refused =
        kubectl(version).run("create", "--validate=strict", "-f", file.toString());

    assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
    assertThat(refused.stderr()).contains("unknown field \"spec.bogus\"");
  }

  /** kubectl 1.27 reads v2 for every {@code explain} (it printed nothing but an error before). */
  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.33"})
  void explainPrintsTheFieldsFromV2(String version) {
    Kubectl kubectl = kubectl(version);

    String pods = ok(kubectl.run("explain", "pods", "--output=plaintext-openapiv2")).stdout();
    String containers =
        ok(kubectl.run("explain", "pods.spec.containers", "--output=plaintext-openapiv2")).stdout();

    assertThat(pods).containsPattern("KIND:\\s+Pod").contains("FIELDS:");
    assertThat(pods).containsPattern("spec\\s+<Object>").containsPattern("metadata\\s+<Object>");
    assertThat(containers)
        .containsPattern("image\\s+<string>")
        .containsPattern("ports\\s+<\\[\\]Object>");
    assertThat(ok(kubectl.run("explain", "deployments.spec")).stdout())
        .containsPattern("replicas\\s+<integer>");
  }

  private static Kubectl.Result ok(Kubectl.Result r) {
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }
}
