package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.api.support.Objects;
import io.nauta.api.support.TestApiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Optimistic concurrency under load: 100 writers update one object, each retrying on 409 as clients
 * do. No write is lost, and a watcher sees every update once, in order.
 */
class ConcurrencyIT {

  private static TestApiServer server;
  private static ApiCalls api;
  private static final String CM = "/api/v1/namespaces/default/configmaps";

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
    api = new ApiCalls(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aStaleResourceVersionIsAConflict() {
    ObjectNode cm = api.post(CM, Objects.configMap("stale", "0")).object();
    ObjectNode first = cm.deepCopy();
    first.withObjectProperty("data").put("key", "1");
    assertThat(api.put(CM + "/stale", first.toString()).status()).isEqualTo(200);
    ObjectNode second = cm.deepCopy();
    second.withObjectProperty("data").put("key", "2");
    ApiCalls.Response conflict = api.put(CM + "/stale", second.toString());
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.body().path("message").asString())
        .isEqualTo(
            "Operation cannot be fulfilled on configmaps \"stale\": the object has been modified;"
                + " please apply your changes to the latest version and try again");
    assertThat(api.get(CM + "/stale").body().path("data").path("key").asString()).isEqualTo("1");
  }

  @Test
  void hundredConcurrentUpdatersLoseNoWriteAndTheWatcherSeesEachInOrder() throws Exception {
    ObjectNode created = api.post(CM, Objects.configMap("counter", "0")).object();
    long startRv = Long.parseLong(created.path("metadata").path("resourceVersion").asString());
    try (WatchStream watch =
        new WatchStream(
            server,
            CM + "?watch=true&fieldSelector=metadata.name=counter&resourceVersion=" + startRv)) {
      int writers = 100;
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Future<Integer>> conflicts = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        conflicts.add(pool.submit(ConcurrencyIT::incrementWithRetry));
      }
      int totalConflicts = 0;
      for (Future<Integer> f : conflicts) {
        totalConflicts += f.get();
      }
      pool.shutdown();

      JsonNode last = api.get(CM + "/counter").body();
      assertThat(last.path("data").path("key").asString()).isEqualTo(Integer.toString(writers));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(watch.events()).hasSize(writers));
      List<Integer> values = new ArrayList<>();
      long previousRv = startRv;
      for (JsonNode e : watch.events()) {
        assertThat(e.path("type").asString()).isEqualTo("MODIFIED");
        long rv =
            Long.parseLong(e.path("object").path("metadata").path("resourceVersion").asString());
        assertThat(rv).isGreaterThan(previousRv);
        previousRv = rv;
        values.add(Integer.parseInt(e.path("object").path("data").path("key").asString()));
      }
      List<Integer> expected = new ArrayList<>();
      for (int i = 1; i <= writers; i++) {
        expected.add(i);
      }
      assertThat(values).isEqualTo(expected);
      // With 16 threads racing, some writes must have met a conflict and retried.
      assertThat(totalConflicts).isPositive();
    }
  }

  /** Read, increment, write with the read resourceVersion; on 409 read again. */
  private static int incrementWithRetry() {
    int conflicts = 0;
    while (true) {
      ObjectNode cm = api.get(CM + "/counter").object();
      int value = Integer.parseInt(cm.path("data").path("key").asString());
      cm.withObjectProperty("data").put("key", Integer.toString(value + 1));
      ApiCalls.Response r = api.put(CM + "/counter", cm.toString());
      if (r.status() == 200) {
        return conflicts;
      }
      assertThat(r.status()).isEqualTo(409);
      conflicts++;
    }
  }
}
