package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.support.Objects;
import io.nauta.api.support.TestApiServer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/**
 * Bad requests get a Kubernetes {@code Status} with the right code and reason, never a stack trace,
 * and change nothing.
 */
class BadInputIT {

  private static TestApiServer server;
  private static ApiCalls api;
  private static final String PODS = "/api/v1/namespaces/default/pods";

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
    api = new ApiCalls(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Stream<Arguments> badCreates() {
    String pod = Objects.pod("bad");
    return Stream.of(
        Arguments.of("malformed JSON", PODS, "{\"metadata\":", 400, "BadRequest"),
        Arguments.of("not an object", PODS, "[1,2]", 400, "BadRequest"),
        Arguments.of(
            "a field of the wrong type",
            PODS,
            pod.replace("[\"sleep\",\"3600\"]", "{\"a\":1}"),
            400,
            "BadRequest"),
        Arguments.of("another kind", PODS, Objects.configMap("bad", "v"), 400, "BadRequest"),
        Arguments.of(
            "no image",
            PODS,
            pod.replace("\"image\":\"nauta/busybox:local\",", ""),
            422,
            "Invalid"),
        Arguments.of(
            "an invalid name",
            PODS,
            pod.replace("\"name\":\"bad\"", "\"name\":\"Bad_Name\""),
            422,
            "Invalid"),
        Arguments.of("no name", PODS, pod.replace("\"name\":\"bad\",", ""), 422, "Invalid"),
        Arguments.of(
            "duplicate container names",
            PODS,
            pod.replace("\"containers\":[", "\"containers\":[{\"name\":\"app\",\"image\":\"x\"},"),
            422,
            "Invalid"),
        Arguments.of("a bad container port", PODS, pod.replace("8080", "70000"), 422, "Invalid"),
        Arguments.of(
            "a bad label value",
            PODS,
            pod.replace("\"labels\":{}", "\"labels\":{\"k\":\"-bad-\"}"),
            422,
            "Invalid"),
        Arguments.of(
            "a namespace other than the path's",
            PODS,
            pod.replace("\"name\":\"bad\"", "\"name\":\"bad\",\"namespace\":\"kube-system\""),
            400,
            "BadRequest"),
        Arguments.of(
            "an unknown resource", "/api/v1/namespaces/default/widgets", pod, 404, "NotFound"),
        Arguments.of(
            "an unknown group",
            "/apis/example.com/v1/namespaces/default/pods",
            pod,
            404,
            "NotFound"),
        Arguments.of("an unsupported dryRun", PODS + "?dryRun=Some", pod, 400, "BadRequest"));
  }

  @ParameterizedTest(name = "a create with {0} is refused")
  @MethodSource("badCreates")
  void badCreatesAreRefusedWithAStatusAndWriteNothing(
      String what, String path, String body, int code, String reason) {
    String before =
        api.get("/api/v1/pods").body().path("metadata").path("resourceVersion").asString();
    ApiCalls.Response r = api.post(path, body);
    assertStatus(r, code, reason);
    assertThat(api.get("/api/v1/pods").body().path("items")).isEmpty();
    assertThat(api.get("/api/v1/pods").body().path("metadata").path("resourceVersion").asString())
        .isEqualTo(before);
  }

  @Test
  void invalidObjectsReportEachFieldAsACause() {
    String body =
        Objects.pod("causes")
            .replace("\"image\":\"nauta/busybox:local\",", "")
            .replace("8080", "0");
    ApiCalls.Response r = api.post(PODS, body);
    assertStatus(r, 422, "Invalid");
    assertThat(r.body().path("message").asString()).startsWith("Pod \"causes\" is invalid: ");
    assertThat(r.body().path("details").path("name").asString()).isEqualTo("causes");
    // Kubernetes' NewInvalid puts the kind here (kubectl: "The Pod "causes" is invalid").
    assertThat(r.body().path("details").path("kind").asString()).isEqualTo("Pod");
    assertThat(
            r.body()
                .path("details")
                .path("causes")
                .valueStream()
                .map(c -> c.path("field").asString()))
        .contains("spec.containers[0].image", "spec.containers[0].ports[0].containerPort");
    assertThat(r.body().path("details").path("causes").get(0).path("reason").asString())
        .startsWith("FieldValue");
  }

  @Test
  void invalidObjectsOfAGroupNameTheGroupInTheMessageAndOnlyTheKindInDetails() {
    ApiCalls.Response r =
        api.post(
            "/apis/apps/v1/namespaces/default/deployments",
            "{\"metadata\":{\"name\":\"nogroup\"},\"spec\":{\"selector\":{\"matchLabels\":"
                + "{\"a\":\"b\"}},\"template\":{\"metadata\":{\"labels\":{\"a\":\"c\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}}}");
    assertStatus(r, 422, "Invalid");
    // Upstream's GroupKind.String(): Deployment.apps; kubectl prints details.kind.
    assertThat(r.body().path("message").asString())
        .startsWith("Deployment.apps \"nogroup\" is invalid: ");
    assertThat(r.body().path("details").path("kind").asString()).isEqualTo("Deployment");
    assertThat(r.body().path("details").path("group").asString()).isEqualTo("apps");
  }

  @Test
  void unknownFieldsAreRefusedWarnedAboutOrDroppedAsFieldValidationAsks() {
    String cms = "/api/v1/namespaces/default/configmaps";
    String body =
        "{\"metadata\":{\"name\":\"%s\",\"bogus\":1},\"data\":{\"k\":\"v\"},\"extra\":true}";
    ApiCalls.Response strict = api.post(cms + "?fieldValidation=Strict", body.formatted("strict"));
    assertStatus(strict, 400, "BadRequest");
    assertThat(strict.body().path("message").asString())
        .isEqualTo(
            "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error:"
                + " unknown field \"metadata.bogus\", unknown field \"extra\"");
    assertThat(api.get(cms + "/strict").status()).isEqualTo(404);

    ApiCalls.Response warn = api.post(cms + "?fieldValidation=Warn", body.formatted("warn"));
    assertThat(warn.status()).isEqualTo(201);
    assertThat(warn.headers().get("Warning"))
        .containsExactly(
            "299 - \"unknown field \\\"metadata.bogus\\\"\"",
            "299 - \"unknown field \\\"extra\\\"\"");
    assertThat(api.get(cms + "/warn").body().has("extra")).isFalse();

    ApiCalls.Response ignore = api.post(cms + "?fieldValidation=Ignore", body.formatted("ignore"));
    assertThat(ignore.status()).isEqualTo(201);
    assertThat(ignore.headers().get("Warning")).isNull();
    assertThat(api.get(cms + "/ignore").body().path("metadata").has("bogus")).isFalse();

    assertStatus(api.post(cms + "?fieldValidation=Loose", body.formatted("x")), 400, "BadRequest");
  }

  @Test
  void aBodyOverThreeMebibytesIsTooLarge() {
    String huge = Objects.configMap("huge", "x".repeat(3 * 1024 * 1024 + 10));
    ApiCalls.Response r = api.post("/api/v1/namespaces/default/configmaps", huge);
    assertStatus(r, 413, "RequestEntityTooLarge");
    assertThat(api.get("/api/v1/namespaces/default/configmaps/huge").status()).isEqualTo(404);
  }

  @Test
  void immutableFieldsCannotChange() {
    String rs =
        """
        {"metadata":{"name":"imm"},"spec":{"selector":{"matchLabels":{"app":"a"}},
         "template":{"metadata":{"labels":{"app":"a","v":"1"}},
         "spec":{"containers":[{"name":"c","image":"i"}]}}}}""";
    String path = "/apis/apps/v1/namespaces/default/replicasets";
    assertThat(api.post(path, rs).status()).isEqualTo(201);
    ApiCalls.Response r =
        api.patch(
            path + "/imm",
            "application/merge-patch+json",
            "{\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"a\",\"v\":\"1\"}}}}");
    assertStatus(r, 422, "Invalid");
    assertThat(r.body().path("message").asString()).contains("field is immutable");
  }

  @Test
  void theBodyNameMustMatchThePath() {
    api.post("/api/v1/namespaces/default/configmaps", Objects.configMap("named", "v"));
    ApiCalls.Response r =
        api.put("/api/v1/namespaces/default/configmaps/named", Objects.configMap("other", "v"));
    assertStatus(r, 400, "BadRequest");
  }

  @Test
  void missingObjectsAndUnsupportedMethodsAndMediaTypes() {
    assertStatus(api.get(PODS + "/nope"), 404, "NotFound");
    assertThat(api.get(PODS + "/nope").body().path("message").asString())
        .isEqualTo("pods \"nope\" not found");
    assertStatus(api.delete(PODS + "/nope"), 404, "NotFound");
    assertStatus(api.post(PODS + "/nope", Objects.pod("nope")), 405, "MethodNotAllowed");
    assertStatus(
        api.call(HttpMethod.POST, PODS, "name: x", MediaType.TEXT_PLAIN),
        415,
        "UnsupportedMediaType");
    assertStatus(api.get("/api/v1/namespaces/default/pods/a/b/c/d"), 404, "NotFound");
    assertStatus(api.get(PODS + "?resourceVersion=abc"), 400, "BadRequest");
    assertStatus(api.get(PODS + "?continue=zz"), 400, "BadRequest");
  }

  private static void assertStatus(ApiCalls.Response r, int code, String reason) {
    assertThat(r.status()).as(r.raw()).isEqualTo(code);
    assertThat(r.body().path("kind").asString()).isEqualTo("Status");
    assertThat(r.body().path("apiVersion").asString()).isEqualTo("v1");
    assertThat(r.body().path("status").asString()).isEqualTo("Failure");
    assertThat(r.body().path("code").asInt()).isEqualTo(code);
    assertThat(r.body().path("reason").asString()).isEqualTo(reason);
    assertThat(r.raw()).doesNotContain("Exception").doesNotContain("\tat ");
  }
}
