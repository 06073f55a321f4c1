package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.api.support.Objects;
import io.nauta.api.support.TestApiServer;
import io.nauta.api.support.TestRedis;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several API servers on one Redis, and API servers that restart: state and watch history live in
 * Redis, so neither a second replica nor a restart loses anything a client relies on.
 */
class ReplicasIT {

  @BeforeAll
  static void clean() {
    TestRedis.flush();
  }

  @Test
  void twoApiServersServeTheSameObjectsAndSeeEachOthersWritesOnTheirWatches() {
    try (TestApiServer a = TestApiServer.start();
        TestApiServer b = TestApiServer.start();
        WatchStream onA = new WatchStream(a, "/api/v1/namespaces/default/pods?watch=true");
        WatchStream onB = new WatchStream(b, "/api/v1/namespaces/default/pods?watch=true")) {
      ApiCalls apiA = new ApiCalls(a);
      ApiCalls apiB = new ApiCalls(b);
      assertThat(apiA.post("/api/v1/namespaces/default/pods", Objects.pod("from-a")).status())
          .isEqualTo(201);
      assertThat(apiB.post("/api/v1/namespaces/default/pods", Objects.pod("from-b")).status())
          .isEqualTo(201);
      assertThat(apiB.get("/api/v1/namespaces/default/pods/from-a").status()).isEqualTo(200);
      assertThat(apiA.get("/api/v1/namespaces/default/pods/from-b").status()).isEqualTo(200);
      for (WatchStream w : List.of(onA, onB)) {
        await()
            .atMost(Duration.ofSeconds(5))
            .untilAsserted(() -> assertThat(w.names()).containsExactly("from-a", "from-b"));
      }
    }
  }

  @Test
  void watchHistoryOlderThanTheWindowExpires() {
    try (TestApiServer server = TestApiServer.start("nauta.watch.history-window=2s")) {
      ApiCalls api = new ApiCalls(server);
      String old =
          api.post("/api/v1/namespaces/default/configmaps", Objects.configMap("aging", "v"))
              .body()
              .path("metadata")
              .path("resourceVersion")
              .asString();
      api.post("/api/v1/namespaces/default/configmaps", Objects.configMap("newer", "v"));
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                try (WatchStream watch =
                    new WatchStream(
                        server,
                        "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion="
                            + old)) {
                  await().atMost(Duration.ofSeconds(2)).until(() -> !watch.events().isEmpty());
                  assertThat(watch.types()).containsExactly("ERROR");
                  assertThat(watch.events().get(0).path("object").path("code").asInt())
                      .isEqualTo(410);
                }
              });
    }
  }

  @Test
  void aWatchResumesFromAResourceVersionAfterTheApiServerRestarts() {
    String rv;
    try (TestApiServer first = TestApiServer.start()) {
      ApiCalls api = new ApiCalls(first);
      rv =
          api.post("/api/v1/namespaces/default/configmaps", Objects.configMap("before", "v"))
              .body()
              .path("metadata")
              .path("resourceVersion")
              .asString();
      api.post("/api/v1/namespaces/default/configmaps", Objects.configMap("after-1", "v"));
      api.post("/api/v1/namespaces/default/configmaps", Objects.configMap("after-2", "v"));
    }
    try (TestApiServer second = TestApiServer.start();
        WatchStream watch =
            new WatchStream(
                second, "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=" + rv)) {
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(watch.names()).containsExactly("after-1", "after-2"));
      assertThat(watch.types()).containsExactly("ADDED", "ADDED");
      assertThat(new ApiCalls(second).get("/api/v1/namespaces/default/configmaps/before").status())
          .isEqualTo(200);
    }
  }
}
