package io.nauta.api.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.api.support.TestApiServer;
import io.nauta.core.registry.BuiltInResources;
import java.net.URI;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * When the watch cache ends its watches (a reset after Redis lost data, a shutdown), a client
 * watching over WebSocket sees its socket closed by the server, and re-watches.
 */
class WatchCacheResetIT {

  private static TestApiServer server;

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aWebSocketWatchIsClosedWhenTheCacheEndsItsWatches() throws Exception {
    AtomicInteger closeStatus = new AtomicInteger(-1);
    WebSocket socket =
        server
            .httpClient()
            .newWebSocketBuilder()
            .buildAsync(
                URI.create(
                    server.url().replaceFirst("^http", "ws")
                        + "/api/v1/namespaces/default/secrets?watch=true"),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                    closeStatus.set(status);
                    return null;
                  }
                })
            .get(5, TimeUnit.SECONDS);
    try {
      WatchCache secrets = server.bean(WatchCaches.class).get(BuiltInResources.SECRETS);
      await().atMost(Duration.ofSeconds(5)).until(() -> secrets.watcherCount() == 1);
      secrets.closeWatchers();
      await().atMost(Duration.ofSeconds(5)).until(() -> closeStatus.get() != -1);
      assertThat(closeStatus.get()).isEqualTo(WebSocket.NORMAL_CLOSURE);
    } finally {
      socket.abort();
    }
  }
}
