package io.nauta.api.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.support.TestApiServer;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What follows a Redis reply must not run on Lettuce's one I/O thread: admission, validation and
 * encoding after a storage call would then all share one core, whatever the machine has.
 */
class RedisObjectStoreThreadsIT {

  private static TestApiServer server;
  private static RedisObjectStore store;

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
    store = server.bean(RedisObjectStore.class);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static final String JSON =
      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"threads\","
          + "\"namespace\":\"default\",\"resourceVersion\":\""
          + RedisObjectStore.RV_PLACEHOLDER
          + "\"}}";

  @Test
  void writesAndReadsContinueOffTheRedisIoThread() {
    String afterCreate =
        store
            .create(BuiltInResources.CONFIGMAPS, "default", "threads", JSON)
            .map(rv -> Thread.currentThread().getName())
            .block(Duration.ofSeconds(10));
    String afterGet =
        store
            .get(BuiltInResources.CONFIGMAPS, "default", "threads")
            .map(o -> Thread.currentThread().getName())
            .block(Duration.ofSeconds(10));
    String afterCounter =
        store
            .currentResourceVersion(BuiltInResources.CONFIGMAPS)
            .map(rv -> Thread.currentThread().getName())
            .block(Duration.ofSeconds(10));

    assertThat(afterCreate).startsWith("parallel-");
    assertThat(afterGet).startsWith("parallel-");
    assertThat(afterCounter).startsWith("parallel-");
  }
}
