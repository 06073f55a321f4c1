package io.nauta.core.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.core.client.FakeApiServer.Reply;
import io.nauta.core.errors.GoneException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.registry.BuiltInResources;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class ResourceClientTest {

  private static final String NOT_FOUND =
      "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":404,"
          + "\"reason\":\"NotFound\",\"message\":\"pods \\\"web\\\" not found\","
          + "\"details\":{\"name\":\"web\",\"kind\":\"pods\"}}";

  private static String pod(String name, String rv) {
    return "{\"metadata\":{\"name\":\""
        + name
        + "\",\"namespace\":\"default\",\"resourceVersion\":\""
        + rv
        + "\"}}";
  }

  @Test
  void aMissingObjectFailsWithNotFound() {
    try (FakeApiServer server = new FakeApiServer(call -> new Reply(404, NOT_FOUND))) {
      ResourceClient<Pod> pods =
          KubeClient.of(server.url()).resource(BuiltInResources.PODS, Pod.class);

      StepVerifier.create(pods.get("default", "web"))
          .expectErrorSatisfies(
              e ->
                  assertThat(e)
                      .isInstanceOf(NotFoundException.class)
                      .hasMessage("pods \"web\" not found"))
          .verify();
      assertThat(server.requests()).containsExactly("GET /api/v1/namespaces/default/pods/web");
    }
  }

  @Test
  void aListGivesItemsTheirKindAndCarriesResourceVersionAndContinue() {
    String list =
        "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"42\",\"continue\":\"abc\"},"
            + "\"items\":["
            + pod("a", "40")
            + ","
            + pod("b", "41")
            + "]}";
    try (FakeApiServer server = new FakeApiServer(call -> new Reply(200, list))) {
      ResourceClient<Pod> pods =
          KubeClient.of(server.url()).resource(BuiltInResources.PODS, Pod.class);

      StepVerifier.create(
              pods.list("default", ListOptions.labels("app=web,tier in (a,b)").withLimit(2L)))
          .assertNext(
              page -> {
                assertThat(page.items())
                    .extracting(p -> p.getMetadata().getName())
                    .containsExactly("a", "b");
                assertThat(page.items().get(0).getKind()).isEqualTo("Pod");
                assertThat(page.items().get(0).getApiVersion()).isEqualTo("v1");
                assertThat(page.resourceVersion()).isEqualTo("42");
                assertThat(page.continueToken()).isEqualTo("abc");
              })
          .verifyComplete();
      assertThat(URLDecoder.decode(server.requests().get(0), StandardCharsets.UTF_8))
          .startsWith("GET /api/v1/namespaces/default/pods?")
          .contains("limit=2")
          .contains("labelSelector=app=web,tier in (a,b)");
    }
  }

  @Test
  void aWatchPassesEventsBookmarksAndErrorsAndFailsWithGoneOn410() {
    String stream =
        "{\"type\":\"ADDED\",\"object\":"
            + pod("a", "5")
            + "}\n"
            + "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"6\"}}}\n"
            + "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":500,\"reason\":\"InternalError\",\"message\":\"hiccup\"}}\n"
            + "{\"type\":\"DELETED\",\"object\":"
            + pod("a", "7")
            + "}\n"
            + "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410,\"reason\":\"Expired\",\"message\":\"too old resource version: 1 (7)\"}}\n";
    try (FakeApiServer server = new FakeApiServer(call -> new Reply(200, stream))) {
      ResourceClient<Pod> pods =
          KubeClient.of(server.url()).resource(BuiltInResources.PODS, Pod.class);

      StepVerifier.create(
              pods.watch(null, ListOptions.none().withResourceVersion("1").withBookmarks(true)))
          .assertNext(e -> assertThat(e.type()).isEqualTo(WatchEvent.Type.ADDED))
          .assertNext(
              e -> {
                assertThat(e.type()).isEqualTo(WatchEvent.Type.BOOKMARK);
                assertThat(e.object().getMetadata().getResourceVersion()).isEqualTo("6");
              })
          .assertNext(
              e -> {
                assertThat(e.type()).isEqualTo(WatchEvent.Type.ERROR);
                assertThat(e.status().getMessage()).isEqualTo("hiccup");
              })
          .assertNext(e -> assertThat(e.object().getMetadata().getName()).isEqualTo("a"))
          .expectErrorSatisfies(
              e -> assertThat(e).isInstanceOf(GoneException.class).hasMessageContaining("too old"))
          .verify();
      assertThat(server.requests().get(0))
          .startsWith("GET /api/v1/pods?")
          .contains("watch=true")
          .contains("allowWatchBookmarks=true")
          .contains("resourceVersion=1");
    }
  }

  @Test
  void sendsTheBearerTokenOfItsConfig() {
    try (FakeApiServer server = new FakeApiServer(call -> new Reply(404, NOT_FOUND))) {
      KubeClient client = new KubeClient(ClientConfig.fromUrl(server.url(), "t0ken"));

      StepVerifier.create(client.resource(BuiltInResources.PODS, Pod.class).get("default", "web"))
          .expectError(NotFoundException.class)
          .verify();
      assertThat(server.authorizations()).containsExactly("Bearer t0ken");
    }
  }
}
