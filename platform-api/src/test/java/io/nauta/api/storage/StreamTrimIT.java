package io.nauta.api.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.nauta.api.support.TestApiServer;
import io.nauta.api.support.TestRedis;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * The time bound of watch history: events older than the window leave the type's stream, found from
 * the counter's past values rather than by reading the events, and never events written after Redis
 * went back in time.
 */
class StreamTrimIT {

  private static TestApiServer server;
  private static RedisObjectStore store;
  private static RedisClient client;
  private static RedisCommands<String, String> redis;

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
    store = server.bean(RedisObjectStore.class);
    client = RedisClient.create(TestRedis.url());
    StatefulRedisConnection<String, String> c = client.connect();
    redis = c.sync();
  }

  @AfterAll
  static void stop() {
    client.shutdown();
    server.close();
  }

  private static void write(ResourceType type, String prefix, int count) {
    Flux.range(0, count)
        .concatMap(
            i ->
                store.create(
                    type,
                    "default",
                    prefix + i,
                    "{\"metadata\":{\"name\":\""
                        + prefix
                        + i
                        + "\",\"resourceVersion\":\""
                        + RedisObjectStore.RV_PLACEHOLDER
                        + "\"}}"))
        .blockLast(Duration.ofSeconds(60));
  }

  /**
   * The clock once it has moved past the millisecond of the counter sample just taken: a sample
   * counts for a cutoff only if it was read strictly before it.
   */
  private static long aLaterMillisecond() {
    long now = System.currentTimeMillis();
    long later;
    while ((later = System.currentTimeMillis()) <= now) {
      Thread.onSpinWait();
    }
    return later;
  }

  private static long streamLength(ResourceType type) {
    return redis.xlen(StorageKeys.of(type).events());
  }

  @Test
  void dropsEveryEventOlderThanTheCutoffInOneCall() {
    ResourceType type = BuiltInResources.CONFIGMAPS;
    write(type, "old-", 1_500);
    long before = streamLength(type);

    long trimmed =
        store.trimBefore(type, System.currentTimeMillis() + 60_000).block(Duration.ofSeconds(10));

    assertThat(before).isGreaterThanOrEqualTo(1_500);
    assertThat(trimmed).isEqualTo(before);
    assertThat(streamLength(type)).isZero();
  }

  @Test
  void keepsEventsWrittenAfterTheCutoff() {
    ResourceType type = BuiltInResources.SECRETS;
    write(type, "old-", 20);
    store.trimBefore(type, 0).block(Duration.ofSeconds(10));
    long cutoff = aLaterMillisecond();
    write(type, "new-", 10);

    long trimmed = store.trimBefore(type, cutoff).block(Duration.ofSeconds(10));

    assertThat(trimmed).isEqualTo(20);
    assertThat(streamLength(type)).isEqualTo(10);
  }

  @Test
  void keepsEventsWrittenAfterRedisWentBackInTime() {
    ResourceType type = BuiltInResources.SERVICEACCOUNTS;
    write(type, "old-", 20);
    store.trimBefore(type, 0).block(Duration.ofSeconds(10));
    long cutoff = aLaterMillisecond();
    // Redis as restored from an older save: the counter and stream from before most of the writes.
    StorageKeys keys = StorageKeys.of(type);
    redis.set(keys.resourceVersion(), "5");
    redis.del(keys.events(), keys.objects());
    write(type, "new-", 10);

    long trimmed = store.trimBefore(type, cutoff).block(Duration.ofSeconds(10));

    assertThat(trimmed).isZero();
    assertThat(streamLength(type)).isEqualTo(10);
  }
}
