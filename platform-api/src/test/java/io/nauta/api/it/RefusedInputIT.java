package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.allocation.ServiceAllocator;
import io.nauta.api.support.Objects;
import io.nauta.api.support.TestApiServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/**
 * Inputs that were each seen to answer 500 are refused with a 4xx Status and change nothing, or
 * (generateName) are served as Kubernetes serves them.
 */
class RefusedInputIT {

  private static TestApiServer server;
  private static ApiCalls api;

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
    api = new ApiCalls(server);
    for (String ns : List.of("a", "b")) {
      assertThat(api.post("/api/v1/namespaces", Objects.namespace(ns)).status()).isEqualTo(201);
      for (String cm : List.of("one", "two", "three")) {
        assertThat(
                api.post("/api/v1/namespaces/" + ns + "/configmaps", Objects.configMap(cm, "v"))
                    .status())
            .isEqualTo(201);
      }
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aContinueTokenFromAnotherNamespacesListIs400() {
    ApiCalls.Response page = api.get("/api/v1/namespaces/a/configmaps?limit=1");
    String token = page.body().path("metadata").path("continue").asString();
    assertThat(token).isNotEmpty();
    ApiCalls.Response foreign =
        api.get("/api/v1/namespaces/b/configmaps?limit=1&continue=" + token);
    assertThat(foreign.status()).isEqualTo(400);
    assertThat(foreign.reason()).isEqualTo("BadRequest");
    assertThat(foreign.body().path("message").asString()).startsWith("continue key is not valid");
    // The token still continues its own list.
    ApiCalls.Response own = api.get("/api/v1/namespaces/a/configmaps?limit=1&continue=" + token);
    assertThat(own.status()).isEqualTo(200);
    assertThat(own.body().path("items").get(0).path("metadata").path("name").asString())
        .isEqualTo("three");
  }

  @Test
  void aForgedContinueTokenIs400() {
    for (String token : List.of("garbage", "MTIz", "Cg", "LTEKYQ")) {
      ApiCalls.Response r = api.get("/api/v1/namespaces/a/configmaps?limit=1&continue=" + token);
      assertThat(r.status()).as(token).isEqualTo(400);
      assertThat(r.reason()).isEqualTo("BadRequest");
    }
  }

  @Test
  void deleteOptionsOfTheWrongTypeAre400AndDeleteNothing() {
    for (String body :
        List.of(
            "{\"gracePeriodSeconds\":\"soon\"}",
            "{\"preconditions\":5}",
            "{\"propagationPolicy\":{\"a\":1}}",
            "{\"orphanDependents\":[1]}")) {
      ApiCalls.Response r =
          api.call(
              HttpMethod.DELETE,
              "/api/v1/namespaces/a/configmaps/one",
              body,
              MediaType.APPLICATION_JSON);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.reason()).isEqualTo("BadRequest");
      assertThat(api.get("/api/v1/namespaces/a/configmaps/one").status()).isEqualTo(200);
    }
  }

  /** Found by ApiFuzzIT: a Content-Type that does not parse was a 500. */
  @Test
  void aContentTypeThatDoesNotParseIs415() throws Exception {
    HttpClient http = server.httpClient();
    for (HttpMethod method : List.of(HttpMethod.PATCH, HttpMethod.POST, HttpMethod.PUT)) {
      String path = "/api/v1/namespaces/a/configmaps" + (method == HttpMethod.POST ? "" : "/one");
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(server.url() + path))
                  .header("Content-Type", "not a media type")
                  .method(
                      method.name(),
                      HttpRequest.BodyPublishers.ofString("{\"data\":{\"key\":\"changed\"}}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(method.name()).isEqualTo(415);
      assertThat(ApiCalls.JSON.readTree(r.body()).path("reason").asString())
          .isEqualTo("UnsupportedMediaType");
    }
    assertThat(
            api.get("/api/v1/namespaces/a/configmaps/one")
                .body()
                .path("data")
                .path("key")
                .asString())
        .isEqualTo("v");
  }

  @Test
  void aCreateCarryingAResourceVersionIs400AndCreatesNothing() {
    String cm =
        Objects.configMap("versioned", "v")
            .replace("\"name\":\"versioned\"", "\"name\":\"versioned\",\"resourceVersion\":\"42\"");
    ApiCalls.Response r = api.post("/api/v1/namespaces/a/configmaps", cm);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.reason()).isEqualTo("BadRequest");
    assertThat(r.body().path("message").asString())
        .isEqualTo("resourceVersion should not be set on objects to be created");
    assertThat(api.get("/api/v1/namespaces/a/configmaps/versioned").status()).isEqualTo(404);
  }

  @Test
  void aLongGenerateNameIsCutToLeaveRoomForTheSuffix() {
    // 'a': the random suffix never has a vowel, so where the prefix ends is plain to see.
    String prefix = "a".repeat(70);
    String cm =
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"generateName\":\""
            + prefix
            + "\"}}";
    ApiCalls.Response r = api.post("/api/v1/namespaces/a/configmaps", cm);
    assertThat(r.status()).isEqualTo(201);
    String name = r.body().path("metadata").path("name").asString();
    assertThat(name).hasSize(63).startsWith("a".repeat(58));
    assertThat(name.substring(58)).doesNotContain("a");
  }

  @Test
  void logsOfAPodOnANodeWhoseAddressMakesNoUrlAre400() {
    String node =
        """
        {"apiVersion":"v1","kind":"Node","metadata":{"name":"odd"},
         "status":{"addresses":[{"type":"InternalIP","address":"not an address"}]}}""";
    assertThat(api.post("/api/v1/nodes", node).status()).isEqualTo(201);
    String pod = Objects.pod("on-odd").replace("\"spec\":{", "\"spec\":{\"nodeName\":\"odd\",");
    assertThat(api.post("/api/v1/namespaces/a/pods", pod).status()).isEqualTo(201);
    ApiCalls.Response r = api.get("/api/v1/namespaces/a/pods/on-odd/log");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.reason()).isEqualTo("BadRequest");
  }

  /**
   * The release script compares a service's fields exactly: node port 3000 is not in use because
   * the service holds 30001, nor is an IP because an annotation mentions it.
   */
  @Test
  void releaseMatchesAllocationsExactly() {
    String svc =
        """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"web",
          "annotations":{"note":"\\"10.96.255.250\\""}},
         "spec":{"type":"NodePort","selector":{"app":"web"},
                 "ports":[{"port":80,"nodePort":30001}]}}""";
    assertThat(api.post("/api/v1/namespaces/a/services", svc).status()).isEqualTo(201);
    ServiceAllocator allocator = server.bean(ServiceAllocator.class);
    String owner = "a/web";
    assertThat(allocator.mark(ServiceAllocator.Pool.NODE_PORT, owner, "3000").block()).isTrue();
    assertThat(allocator.mark(ServiceAllocator.Pool.CLUSTER_IP, owner, "10.96.255.250").block())
        .isTrue();

    assertThat(allocator.release(ServiceAllocator.Pool.NODE_PORT, owner, List.of("3000")).block())
        .isEqualTo(1L);
    assertThat(
            allocator
                .release(ServiceAllocator.Pool.CLUSTER_IP, owner, List.of("10.96.255.250"))
                .block())
        .isEqualTo(1L);
    // What the service does hold stays held.
    assertThat(allocator.release(ServiceAllocator.Pool.NODE_PORT, owner, List.of("30001")).block())
        .isEqualTo(0L);
    assertThat(allocator.allocations(ServiceAllocator.Pool.NODE_PORT).block())
        .containsKey("30001")
        .doesNotContainKey("3000");
  }
}
