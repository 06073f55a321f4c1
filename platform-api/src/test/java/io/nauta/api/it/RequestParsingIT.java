package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.support.Objects;
import io.nauta.api.support.TestApiServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Requests are read as Kubernetes reads them (its request-info parser and apimachinery's
 * query-parameter conversions), over real HTTP: the official Python client sends {@code watch=True}
 * and calls {@code /version/}.
 */
class RequestParsingIT {

  private static final String NS = "parsing";
  private static final String CONFIGMAPS = "/api/v1/namespaces/" + NS + "/configmaps";

  private static TestApiServer server;
  private static ApiCalls api;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
    http = server.httpClientBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    api = new ApiCalls(server);
    assertThat(api.post("/api/v1/namespaces", Objects.namespace(NS)).status()).isEqualTo(201);
    assertThat(api.post(CONFIGMAPS, Objects.configMap("one", "v")).status()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> get(String pathAndQuery) {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create(server.url() + pathAndQuery))
              .timeout(Duration.ofSeconds(30))
              .GET()
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * apimachinery's {@code Convert_Slice_string_To_bool}: only {@code 0} and {@code false} (any
   * case) are false; every other value, even an empty one or Go's {@code f}, is true.
   */
  @ParameterizedTest(name = "watch={0} is a watch")
  @ValueSource(strings = {"true", "True", "TRUE", "1", "t", "T", "", "yes", "f", "F"})
  void watchValuesKubernetesReadsAsTrueStartAWatch(String value) {
    HttpResponse<String> r = get(CONFIGMAPS + "?timeoutSeconds=1&watch=" + value);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith("{\"type\":\"ADDED\"").doesNotContain("ConfigMapList");
  }

  @Test
  void aWatchParameterWithoutValueIsAWatch() {
    HttpResponse<String> r = get(CONFIGMAPS + "?timeoutSeconds=1&watch");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith("{\"type\":\"ADDED\"");
  }

  @ParameterizedTest(name = "watch={0} is a list")
  @ValueSource(strings = {"false", "False", "FALSE", "0"})
  void watchValuesKubernetesReadsAsFalseList(String value) {
    HttpResponse<String> r = get(CONFIGMAPS + "?watch=" + value);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(ApiCalls.JSON.readTree(r.body()).path("kind").asString()).isEqualTo("ConfigMapList");
  }

  static Stream<Arguments> badNumbers() {
    return Stream.of(
        Arguments.of("limit=abc", "strconv.ParseInt: parsing \"abc\": invalid syntax"),
        Arguments.of("limit=", "strconv.ParseInt: parsing \"\": invalid syntax"),
        Arguments.of("limit=1.5", "strconv.ParseInt: parsing \"1.5\": invalid syntax"),
        Arguments.of(
            "limit=99999999999999999999",
            "strconv.ParseInt: parsing \"99999999999999999999\": value out of range"),
        Arguments.of("timeoutSeconds=x&watch=1", "strconv.ParseInt: parsing \"x\": invalid syntax"),
        Arguments.of("limit=+1", "strconv.ParseInt: parsing \" 1\": invalid syntax"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badNumbers")
  void integerParametersThatGoCannotParseAre400(String query, String message) {
    HttpResponse<String> r = get(CONFIGMAPS + "?" + query);
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode status = ApiCalls.JSON.readTree(r.body());
    assertThat(status.path("reason").asString()).isEqualTo("BadRequest");
    assertThat(status.path("message").asString()).isEqualTo(message);
  }

  /** A {@code +} in a query is a space (Go's ParseQuery too), so the plus sign is {@code %2B}. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"limit=%2B1", "limit=-1", "limit=0"})
  void signedIntegersParseAsInGo(String query) {
    assertThat(get(CONFIGMAPS + "?" + query).statusCode()).isEqualTo(200);
  }

  /** Spring reads {@code ?dryRun} as a null value, Go as an empty one: unsupported, not a 500. */
  @Test
  void aDryRunWithoutValueIs400() {
    String body = Objects.configMap("dry", "v");
    ApiCalls.Response r = api.post(CONFIGMAPS + "?dryRun", body);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().path("message").asString())
        .isEqualTo("dryRun: Unsupported value: \"\": supported values: \"All\"");
    assertThat(api.get(CONFIGMAPS + "/dry").status()).isEqualTo(404);
  }

  /** {@code timeoutSeconds} beyond what a timer can hold is a long watch, not a 500. */
  @Test
  void aHugeWatchTimeoutIsServed() throws Exception {
    HttpResponse<InputStream> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(server.url() + CONFIGMAPS + "?watch=1&timeoutSeconds=10000000000"))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = r.body()) {
      assertThat(r.statusCode()).isEqualTo(200);
      byte[] first = new byte[16];
      int n = body.readNBytes(first, 0, first.length);
      assertThat(new String(first, 0, n)).startsWith("{\"type\":\"ADDED\"");
    }
  }

  static Stream<String> pathsWithTrailingSlash() {
    return Stream.of(
        "/version",
        "/api",
        "/apis",
        "/api/v1",
        "/apis/apps",
        "/apis/apps/v1",
        "/api/v1/namespaces",
        "/api/v1/namespaces/" + NS,
        CONFIGMAPS,
        CONFIGMAPS + "/one",
        "/apis/apps/v1/namespaces/" + NS + "/deployments");
  }

  @ParameterizedTest(name = "{0}/")
  @MethodSource("pathsWithTrailingSlash")
  void aTrailingSlashAnswersAsThePathWithout(String path) {
    HttpResponse<String> without = get(path);
    HttpResponse<String> with = get(path + "/");
    assertThat(without.statusCode()).isEqualTo(200);
    assertThat(with.statusCode()).isEqualTo(200);
    JsonNode a = ApiCalls.JSON.readTree(without.body());
    JsonNode b = ApiCalls.JSON.readTree(with.body());
    assertThat(b.path("kind")).isEqualTo(a.path("kind"));
    if (!path.startsWith("/api/v1/namespaces")) {
      assertThat(b).isEqualTo(a);
    }
  }

  static Stream<Arguments> pathForms() {
    return Stream.of(
        Arguments.of("/api/v1/namespaces/" + NS, 200, "Namespace"),
        Arguments.of("/api/v1/namespaces/" + NS + "/status", 200, "Namespace"),
        Arguments.of(CONFIGMAPS + "/one", 200, "ConfigMap"),
        Arguments.of("/api/v1/configmaps", 200, "ConfigMapList"),
        Arguments.of(CONFIGMAPS + "/one/extra", 404, "Status"),
        Arguments.of(CONFIGMAPS + "/one/extra/more", 404, "Status"),
        Arguments.of("/api/v1/nothings", 404, "Status"),
        Arguments.of("/api/v2/configmaps", 404, "Status"),
        Arguments.of("/apis/nothing.example.com/v1", 404, "Status"),
        Arguments.of("/apis/nothing.example.com", 404, "Status"),
        Arguments.of("/api/v1/namespaces/" + NS + "/nodes", 404, "Status"));
  }

  @ParameterizedTest(name = "GET {0} is {1}")
  @MethodSource("pathForms")
  void pathFormsOfTheRequestInfoParser(String path, int code, String kind) {
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).isEqualTo(code);
    assertThat(ApiCalls.JSON.readTree(r.body()).path("kind").asString()).isEqualTo(kind);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/api/v1/watch/namespaces/" + NS + "/configmaps?timeoutSeconds=1",
        "/api/v1/watch/namespaces/" + NS + "/configmaps/one?timeoutSeconds=1",
        "/api/v1/watch/configmaps?timeoutSeconds=1",
        "/api/v1/watch/namespaces/" + NS + "/configmaps/?timeoutSeconds=1"
      })
  void legacyWatchPathsWatch(String pathAndQuery) {
    HttpResponse<String> r = get(pathAndQuery);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith("{\"type\":\"ADDED\"");
  }
}
