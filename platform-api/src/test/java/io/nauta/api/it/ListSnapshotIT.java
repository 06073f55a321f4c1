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

/**
 * Lists are snapshots as in Kubernetes: the pages of a paged list are read at the first page's
 * resourceVersion, {@code resourceVersionMatch} is honoured and validated, and a watch-list ({@code
 * sendInitialEvents}) ends its initial events with the annotated bookmark.
 */
class ListSnapshotIT {

  private static final String INCONSISTENT_CONTINUE =
      "The provided continue parameter is too old to display a consistent list result. You can"
          + " start a new list without the continue parameter, or use the continue token in this"
          + " response to retrieve the remainder of the results. Continuing with the provided token"
          + " results in an inconsistent list - objects that were created, modified, or deleted"
          + " between the time the first chunk was returned and now may show up in the list.";

  private static TestApiServer server;
  private static ApiCalls api;

  @BeforeAll
  static void start() {
    // A short history: a continue token goes out of it after a few dozen writes.
    server = TestApiServer.startOnEmptyRedis("nauta.watch.history-max-events=20");
    api = new ApiCalls(server);
    for (String ns : List.of("snap", "gone", "match", "wl")) {
      assertThat(api.post("/api/v1/namespaces", Objects.namespace(ns)).status()).isEqualTo(201);
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String configMaps(String ns) {
    return "/api/v1/namespaces/" + ns + "/configmaps";
  }

  @Test
  void pagesAfterTheFirstShowTheFirstPagesSnapshot() {
    String base = configMaps("snap");
    for (int i = 0; i < 6; i++) {
      assertThat(api.post(base, Objects.configMap("a-" + i, "old")).status()).isEqualTo(201);
    }
    ApiCalls.Response first = api.get(base + "?limit=2");
    assertThat(names(first)).containsExactly("a-0", "a-1");
    String rv = first.body().path("metadata").path("resourceVersion").asString();

    // Between the pages: a delete, a create that sorts into the next page, an update.
    assertThat(api.delete(base + "/a-3").status()).isEqualTo(200);
    assertThat(api.post(base, Objects.configMap("a-2x", "new")).status()).isEqualTo(201);
    ObjectNode a4 = api.get(base + "/a-4").object();
    String a4Rv = a4.path("metadata").path("resourceVersion").asString();
    a4.withObjectProperty("data").put("key", "new");
    assertThat(api.put(base + "/a-4", a4.toString()).status()).isEqualTo(200);

    ApiCalls.Response second = api.get(base + "?limit=2&continue=" + token(first));
    assertThat(names(second)).containsExactly("a-2", "a-3");
    assertThat(second.body().path("metadata").path("resourceVersion").asString()).isEqualTo(rv);
    ApiCalls.Response third = api.get(base + "?limit=2&continue=" + token(second));
    assertThat(names(third)).containsExactly("a-4", "a-5");
    JsonNode oldA4 = third.body().path("items").get(0);
    assertThat(oldA4.path("data").path("key").asString()).isEqualTo("old");
    assertThat(oldA4.path("metadata").path("resourceVersion").asString()).isEqualTo(a4Rv);
    assertThat(token(third)).isNull();
  }

  @Test
  void aContinueTokenOlderThanTheHistoryIsGoneWithATokenForTheRest() {
    String base = configMaps("gone");
    for (int i = 0; i < 3; i++) {
      api.post(base, Objects.configMap("b-" + i, "v"));
    }
    ApiCalls.Response first = api.get(base + "?limit=1");
    assertThat(names(first)).containsExactly("b-0");
    ObjectNode churn = api.post(base, Objects.configMap("churn", "0")).object();
    for (int i = 0; i < 25; i++) {
      churn.withObjectProperty("data").put("key", Integer.toString(i));
      churn = api.put(base + "/churn", churn.toString()).object();
    }

    ApiCalls.Response expired = api.get(base + "?limit=1&continue=" + token(first));
    assertThat(expired.status()).isEqualTo(410);
    assertThat(expired.body().path("reason").asString()).isEqualTo("Expired");
    assertThat(expired.body().path("message").asString()).isEqualTo(INCONSISTENT_CONTINUE);
    String inconsistent = expired.body().path("metadata").path("continue").asString("");
    assertThat(inconsistent).isNotEmpty();

    // The token in the 410 continues after b-0 at the latest version.
    List<String> rest = new ArrayList<>();
    String next = inconsistent;
    while (next != null) {
      ApiCalls.Response page = api.get(base + "?limit=1&continue=" + next);
      rest.addAll(names(page));
      next = token(page);
    }
    assertThat(rest).containsExactly("b-1", "b-2", "churn");
  }

  @Test
  void resourceVersionMatchIsHonouredAndValidatedAsKubernetesDoes() {
    String base = configMaps("match");
    api.post(base, Objects.configMap("before", "v"));
    String rv = api.get(base).body().path("metadata").path("resourceVersion").asString();
    api.post(base, Objects.configMap("after", "v"));

    ApiCalls.Response exact =
        api.get(base + "?resourceVersion=" + rv + "&resourceVersionMatch=Exact");
    assertThat(names(exact)).containsExactly("before");
    assertThat(exact.body().path("metadata").path("resourceVersion").asString()).isEqualTo(rv);
    // NotOlderThan may answer from a cache that is at least at rv but not yet at "after"
    // (Kubernetes
    // gives no read-your-writes there either): a consistent list first waits until it is.
    assertThat(names(api.get(base))).containsExactly("after", "before");
    ApiCalls.Response notOlder =
        api.get(base + "?resourceVersion=" + rv + "&resourceVersionMatch=NotOlderThan");
    assertThat(names(notOlder)).containsExactly("after", "before");
    // Kubernetes' legacy rule: a version and a limit without a match is an exact read.
    assertThat(names(api.get(base + "?resourceVersion=" + rv + "&limit=10")))
        .containsExactly("before");

    String[][] invalid = {
      {
        "?resourceVersionMatch=NotOlderThan",
        "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless"
            + " resourceVersion is provided"
      },
      {
        "?resourceVersion=0&resourceVersionMatch=Exact",
        "resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for"
            + " resourceVersion \"0\""
      },
      {
        "?resourceVersion=1&resourceVersionMatch=Bogus",
        "resourceVersionMatch: Unsupported value: \"Bogus\": supported values: \"Exact\","
            + " \"NotOlderThan\", \"\""
      },
      {
        "?resourceVersion=1&resourceVersionMatch=Exact&continue=abc",
        "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is"
            + " provided"
      },
      {
        "?resourceVersionMatch=Bogus",
        "[resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless"
            + " resourceVersion is provided, resourceVersionMatch: Unsupported value:"
            + " \"Bogus\": supported values: \"Exact\", \"NotOlderThan\", \"\"]"
      },
      {
        "?sendInitialEvents=true",
        "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list"
      },
      {
        "?watch=true&resourceVersionMatch=NotOlderThan",
        "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless"
            + " sendInitialEvents is provided"
      },
      {
        "?watch=true&sendInitialEvents=true",
        "resourceVersionMatch: Forbidden: sendInitialEvents requires setting"
            + " resourceVersionMatch to NotOlderThan"
      },
      {
        "?watch=true&sendInitialEvents=true&resourceVersionMatch=Exact",
        "[resourceVersionMatch: Forbidden: sendInitialEvents requires setting"
            + " resourceVersionMatch to NotOlderThan, resourceVersionMatch: Unsupported value:"
            + " \"Exact\": supported values: \"NotOlderThan\"]"
      },
    };
    for (String[] c : invalid) {
      ApiCalls.Response r = api.get(base + c[0]);
      assertThat(r.status()).as(c[0]).isEqualTo(422);
      assertThat(r.body().path("reason").asString()).as(c[0]).isEqualTo("Invalid");
      assertThat(r.body().path("message").asString())
          .as(c[0])
          .isEqualTo("ListOptions.meta.k8s.io \"\" is invalid: " + c[1]);
    }
  }

  @Test
  void anExactListOlderThanTheHistoryIsGone() {
    String base = configMaps("match");
    ObjectNode cm = api.post(base, Objects.configMap("exact-old", "0")).object();
    String rv = cm.path("metadata").path("resourceVersion").asString();
    for (int i = 0; i < 25; i++) {
      cm.withObjectProperty("data").put("key", Integer.toString(i));
      cm = api.put(base + "/exact-old", cm.toString()).object();
    }
    // A consistent list first: it waits until the cache applied every update (a write answers
    // once Redis has it), so the history has moved past rv, as the test means.
    assertThat(api.get(base).status()).isEqualTo(200);
    ApiCalls.Response r = api.get(base + "?resourceVersion=" + rv + "&resourceVersionMatch=Exact");
    assertThat(r.status()).isEqualTo(410);
    assertThat(r.body().path("reason").asString()).isEqualTo("Expired");
    assertThat(r.body().path("message").asString()).startsWith("too old resource version: " + rv);
  }

  @Test
  void aWatchListSendsTheObjectsThenTheInitialEventsEndBookmarkThenLiveEvents() {
    String base = configMaps("wl");
    api.post(base, Objects.configMap("one", "v"));
    api.post(base, Objects.configMap("two", "v"));
    String rv = api.get(base).body().path("metadata").path("resourceVersion").asString();
    try (WatchStream watch =
        new WatchStream(
            server,
            base
                + "?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"
                + "&allowWatchBookmarks=true")) {
      await().atMost(Duration.ofSeconds(5)).until(() -> watch.events().size() >= 3);
      assertThat(watch.types().subList(0, 3)).containsExactly("ADDED", "ADDED", "BOOKMARK");
      JsonNode bookmark = watch.events().get(2).path("object");
      assertThat(bookmark.path("kind").asString()).isEqualTo("ConfigMap");
      assertThat(bookmark.path("metadata").path("resourceVersion").asString()).isEqualTo(rv);
      assertThat(
              bookmark
                  .path("metadata")
                  .path("annotations")
                  .path("k8s.io/initial-events-end")
                  .asString())
          .isEqualTo("true");
      api.post(base, Objects.configMap("three", "v"));
      await().atMost(Duration.ofSeconds(5)).until(() -> watch.events().size() == 4);
      assertThat(watch.types().get(3)).isEqualTo("ADDED");
      assertThat(watch.names()).containsExactly("one", "two", "three");
    }
  }

  private static String token(ApiCalls.Response page) {
    return page.body().path("metadata").path("continue").asString(null);
  }

  private static List<String> names(ApiCalls.Response list) {
    assertThat(list.status()).as(list.raw()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    list.body().path("items").forEach(i -> out.add(i.path("metadata").path("name").asString()));
    return out;
  }
}
