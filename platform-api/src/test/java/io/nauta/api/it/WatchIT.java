package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.api.support.Objects;
import io.nauta.api.support.TestApiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Lists and watches: selectors, paging, resuming, bookmarks, timeouts and expiry. */
class WatchIT {

  private static TestApiServer server;
  private static ApiCalls api;

  @BeforeAll
  static void start() {
    // A short history so the 410 case does not need thousands of writes; quick bookmarks.
    server =
        TestApiServer.startOnEmptyRedis(
            "nauta.watch.history-max-events=20", "nauta.watch.bookmark-interval=1s");
    api = new ApiCalls(server);
    for (String ns : List.of("w1", "w2")) {
      assertThat(api.post("/api/v1/namespaces", Objects.namespace(ns)).status()).isEqualTo(201);
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String pods(String ns) {
    return "/api/v1/namespaces/" + ns + "/pods";
  }

  @Test
  void listsFilterByNamespaceLabelsAndFields() {
    api.post(pods("w1"), Objects.pod("a", "{\"app\":\"web\",\"tier\":\"front\"}"));
    api.post(pods("w1"), Objects.pod("b", "{\"app\":\"db\"}"));
    api.post(pods("w2"), Objects.pod("c", "{\"app\":\"web\"}"));

    assertThat(names(api.get("/api/v1/pods?labelSelector=app=web"))).containsExactly("a", "c");
    assertThat(names(api.get(pods("w1") + "?labelSelector=app in (web,db),!tier")))
        .containsExactly("b");
    assertThat(names(api.get("/api/v1/pods?fieldSelector=metadata.namespace=w2")))
        .containsExactly("c");
    assertThat(names(api.get(pods("w1") + "?fieldSelector=metadata.name!=a"))).containsExactly("b");
    assertThat(names(api.get(pods("w1") + "?fieldSelector=spec.nodeName="))).contains("a", "b");

    ApiCalls.Response bad = api.get("/api/v1/pods?fieldSelector=spec.bogus=x");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().path("message").asString())
        .contains("field label not supported: spec.bogus");
    assertThat(api.get("/api/v1/pods?labelSelector=app in web").status()).isEqualTo(400);
  }

  @Test
  void listsPageWithLimitAndContinue() {
    for (int i = 0; i < 5; i++) {
      api.post("/api/v1/namespaces/w2/configmaps", Objects.configMap("page-" + i, "v"));
    }
    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      ApiCalls.Response page =
          api.get(
              "/api/v1/namespaces/w2/configmaps?labelSelector=&limit=2"
                  + (token == null ? "" : "&continue=" + token));
      assertThat(page.status()).isEqualTo(200);
      seen.addAll(names(page));
      token = page.body().path("metadata").path("continue").asString(null);
      pages++;
    } while (token != null && !token.isEmpty());
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactly("page-0", "page-1", "page-2", "page-3", "page-4");
  }

  @Test
  void aListReflectsEveryAcknowledgedWrite() {
    for (int i = 0; i < 20; i++) {
      assertThat(
              api.post("/api/v1/namespaces/w1/configmaps", Objects.configMap("rw-" + i, "v"))
                  .status())
          .isEqualTo(201);
      assertThat(names(api.get("/api/v1/namespaces/w1/configmaps"))).contains("rw-" + i);
    }
  }

  @Test
  void aWatchWithASelectorSeesObjectsEnterAndLeaveIt() {
    String base = "/api/v1/namespaces/w2/configmaps";
    ObjectNode cm = api.post(base, Objects.configMap("sel", "v")).object();
    try (WatchStream watch =
        new WatchStream(server, base + "?watch=true&labelSelector=watched=yes")) {
      ObjectNode labelled = cm.deepCopy();
      labelled.withObjectProperty("metadata").putObject("labels").put("watched", "yes");
      cm = api.put(base + "/sel", labelled.toString()).object();
      ObjectNode data = cm.deepCopy();
      data.withObjectProperty("data").put("key", "w");
      cm = api.put(base + "/sel", data.toString()).object();
      ObjectNode unlabelled = cm.deepCopy();
      unlabelled.withObjectProperty("metadata").remove("labels");
      cm = api.put(base + "/sel", unlabelled.toString()).object();
      assertThat(api.delete(base + "/sel").status()).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> assertThat(watch.types()).containsExactly("ADDED", "MODIFIED", "DELETED"));
    }
  }

  @Test
  void aWatchWithoutResourceVersionStartsWithTheCurrentObjects() {
    api.post("/api/v1/namespaces/w1/secrets", "{\"metadata\":{\"name\":\"s1\"}}");
    try (WatchStream watch = new WatchStream(server, "/api/v1/namespaces/w1/secrets?watch=true")) {
      await().atMost(Duration.ofSeconds(5)).until(() -> watch.names().contains("s1"));
      api.post("/api/v1/namespaces/w1/secrets", "{\"metadata\":{\"name\":\"s2\"}}");
      await().atMost(Duration.ofSeconds(5)).until(() -> watch.names().equals(List.of("s1", "s2")));
      assertThat(watch.types()).containsExactly("ADDED", "ADDED");
    }
  }

  @Test
  void legacyWatchPathsAndSingleObjectWatchesWork() {
    api.post("/api/v1/namespaces/w1/secrets", "{\"metadata\":{\"name\":\"legacy\"}}");
    try (WatchStream watch =
        new WatchStream(server, "/api/v1/watch/namespaces/w1/secrets/legacy")) {
      await().atMost(Duration.ofSeconds(5)).until(() -> watch.names().equals(List.of("legacy")));
    }
  }

  @Test
  void watchesAreServedOverWebSocketOneEventPerTextFrame() throws Exception {
    List<String> frames = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.net.http.WebSocket socket =
        server
            .httpClient()
            .newWebSocketBuilder()
            .buildAsync(
                java.net.URI.create(
                    server.url().replaceFirst("^http", "ws")
                        + "/api/v1/namespaces/w2/secrets?watch=true"),
                new java.net.http.WebSocket.Listener() {
                  @Override
                  public java.util.concurrent.CompletionStage<?> onText(
                      java.net.http.WebSocket ws, CharSequence data, boolean last) {
                    frames.add(data.toString());
                    ws.request(1);
                    return null;
                  }
                })
            .get(5, java.util.concurrent.TimeUnit.SECONDS);
    try {
      api.post("/api/v1/namespaces/w2/secrets", "{\"metadata\":{\"name\":\"over-ws\"}}");
      await().atMost(Duration.ofSeconds(5)).until(() -> !frames.isEmpty());
      JsonNode event = ApiCalls.JSON.readTree(frames.get(0));
      assertThat(event.path("type").asString()).isEqualTo("ADDED");
      assertThat(event.path("object").path("metadata").path("name").asString())
          .isEqualTo("over-ws");
    } finally {
      socket.abort();
    }
  }

  @Test
  void bookmarksArriveWhenAskedFor() {
    String rv =
        api.get("/api/v1/namespaces/w1/endpoints")
            .body()
            .path("metadata")
            .path("resourceVersion")
            .asString();
    try (WatchStream watch =
        new WatchStream(
            server,
            "/api/v1/namespaces/w1/endpoints?watch=true&allowWatchBookmarks=true&resourceVersion="
                + rv)) {
      await().atMost(Duration.ofSeconds(5)).until(() -> watch.types().contains("BOOKMARK"));
      JsonNode bookmark = watch.events().get(0);
      assertThat(bookmark.path("object").path("kind").asString()).isEqualTo("Endpoints");
      assertThat(bookmark.path("object").path("metadata").path("resourceVersion").asString())
          .isEqualTo(rv);
    }
  }

  @Test
  void aWatchEndsAfterTimeoutSeconds() {
    try (WatchStream watch =
        new WatchStream(server, "/api/v1/namespaces/w1/events?watch=true&timeoutSeconds=1")) {
      await().atMost(Duration.ofSeconds(5)).until(watch::ended);
      assertThat(watch.status()).isEqualTo(200);
    }
  }

  @Test
  void aWatchFromBeforeTheKeptHistoryGetsGone() {
    String base = "/apis/coordination.k8s.io/v1/namespaces/w1/leases";
    ObjectNode lease = api.post(base, "{\"metadata\":{\"name\":\"trim\"},\"spec\":{}}").object();
    String oldRv = lease.path("metadata").path("resourceVersion").asString();
    for (int i = 0; i < 30; i++) {
      lease.withObjectProperty("spec").put("leaseDurationSeconds", i + 1);
      lease = api.put(base + "/trim", lease.toString()).object();
    }
    try (WatchStream watch =
        new WatchStream(server, base + "?watch=true&resourceVersion=" + oldRv)) {
      await().atMost(Duration.ofSeconds(5)).until(watch::ended);
      assertThat(watch.events()).hasSize(1);
      JsonNode error = watch.events().get(0);
      assertThat(error.path("type").asString()).isEqualTo("ERROR");
      assertThat(error.path("object").path("kind").asString()).isEqualTo("Status");
      assertThat(error.path("object").path("code").asInt()).isEqualTo(410);
      assertThat(error.path("object").path("reason").asString()).isEqualTo("Expired");
    }
  }

  private static List<String> names(ApiCalls.Response list) {
    assertThat(list.status()).as(list.raw()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    list.body().path("items").forEach(i -> out.add(i.path("metadata").path("name").asString()));
    return out;
  }
}
