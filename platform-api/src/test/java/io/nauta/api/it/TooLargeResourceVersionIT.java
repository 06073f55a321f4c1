package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.api.cache.WatchCache;
import io.nauta.api.cache.WatchCaches;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.registry.BuiltInResources;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A list or watch from a resourceVersion the cache has not reached: a short wait, then 504 "Too
 * large resource version" in the Kubernetes apiserver's shape, and nothing left waiting after.
 */
class TooLargeResourceVersionIT {

  private static final String CONFIG_MAPS = "/api/v1/namespaces/default/configmaps";

  private static TestApiServer server;
  private static ApiCalls api;

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis("nauta.watch.consistent-read-timeout=300ms");
    api = new ApiCalls(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static WatchCache configMapCache() {
    return server.bean(WatchCaches.class).get(BuiltInResources.CONFIGMAPS);
  }

  @Test
  void aListAheadOfTheCacheIsA504WithTheCauseAndARetryHint() {
    long current = configMapCache().appliedResourceVersion();
    long requested = current + 1000;
    long start = System.nanoTime();
    ApiCalls.Response r = api.get(CONFIG_MAPS + "?resourceVersion=" + requested);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));

    assertThat(r.status()).isEqualTo(504);
    JsonNode status = r.body();
    assertThat(status.path("kind").asString()).isEqualTo("Status");
    assertThat(status.path("reason").asString()).isEqualTo("Timeout");
    assertThat(status.path("code").asInt()).isEqualTo(504);
    assertThat(status.path("message").asString())
        .isEqualTo("Timeout: Too large resource version: " + requested + ", current: " + current);
    assertThat(status.path("details").path("retryAfterSeconds").asInt()).isEqualTo(1);
    // client-go's retry reads the header.
    assertThat(r.headers().getFirst("Retry-After")).isEqualTo("1");
    assertThat(status.path("details").path("causes").get(0).path("reason").asString())
        .isEqualTo("ResourceVersionTooLarge");
    assertThat(status.path("details").path("causes").get(0).path("message").asString())
        .isEqualTo("Too large resource version");
  }

  @Test
  void aWatchAheadOfTheCacheEndsWithTheSameStatusAsAnErrorEvent() {
    long current = configMapCache().appliedResourceVersion();
    long requested = current + 1000;
    try (WatchStream watch =
        new WatchStream(server, CONFIG_MAPS + "?watch=true&resourceVersion=" + requested)) {
      await().atMost(Duration.ofSeconds(5)).until(watch::ended);
      assertThat(watch.types()).containsExactly("ERROR");
      JsonNode status = watch.events().get(0).path("object");
      assertThat(status.path("code").asInt()).isEqualTo(504);
      assertThat(status.path("reason").asString()).isEqualTo("Timeout");
      assertThat(status.path("message").asString())
          .isEqualTo("Timeout: Too large resource version: " + requested + ", current: " + current);
      assertThat(status.path("details").path("causes").get(0).path("reason").asString())
          .isEqualTo("ResourceVersionTooLarge");
    }
  }

  @Test
  void aThousandRequestsFromTheFarFutureLeaveNoWaiterBehind() throws Exception {
    HttpClient http = server.httpClientBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (String path :
        List.of(
            CONFIG_MAPS + "?resourceVersion=" + Long.MAX_VALUE,
            CONFIG_MAPS + "?watch=true&resourceVersion=" + Long.MAX_VALUE)) {
      for (int batch = 0; batch < 5; batch++) {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          HttpRequest request =
              HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build();
          calls.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> call : calls) {
          // A watch's headers arrive at once: only a bound on the whole exchange catches one
          // that never ends.
          HttpResponse<String> response = call.get(15, TimeUnit.SECONDS);
          assertThat(response.body()).contains("Too large resource version");
        }
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> configMapCache().waiterCount() == 0);
    }
  }
}
