package io.nauta.api.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.nauta.api.support.TestApiServer;
import io.nauta.api.support.TestRedis;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a sealed value lies in Redis, through the store on real Redis: the objects hash holds exactly
 * the bytes Kubernetes would write to etcd, the resourceVersion is kept beside them, and the write
 * script's precondition still compares against it. Values sealed in the layout before (the rv in
 * front) are read and moved to the new one by their next write.
 */
class SealedValueLayoutIT {

  private static final ResourceType SECRETS = BuiltInResources.SECRETS;
  private static final StorageKeys KEYS = StorageKeys.of(SECRETS);

  @TempDir static Path dir;
  private static TestApiServer server;
  private static RedisObjectStore store;
  private static RedisClient client;
  private static StatefulRedisConnection<String, String> connection;
  private static RedisCommands<String, String> redis;

  @BeforeAll
  static void start() throws Exception {
    Path config = dir.resolve("encryption.yaml");
    Files.writeString(config, SecretsSealedWithAesGcm.CONFIG);
    server = TestApiServer.startOnEmptyRedis("nauta.encryption-config=" + config);
    store = server.bean(RedisObjectStore.class);
    client = RedisClient.create(TestRedis.url());
    connection = client.connect(StoredValues.WIRE);
    redis = connection.sync();
  }

  @AfterAll
  static void stop() {
    connection.close();
    client.shutdown();
    server.close();
  }

  private static String secret(String name, String password) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\""
        + name
        + "\",\"namespace\":\"default\",\"resourceVersion\":\""
        + RedisObjectStore.RV_PLACEHOLDER
        + "\"},\"data\":{\"password\":\""
        + password
        + "\"}}";
  }

  private static long create(String name, String password) {
    return store
        .create(SECRETS, "default", name, secret(name, password))
        .block(Duration.ofSeconds(10));
  }

  private static StoredObject get(String name) {
    return store.get(SECRETS, "default", name).block(Duration.ofSeconds(10));
  }

  @Test
  void aSealedValueIsExactlyItsSealedBytesWithItsResourceVersionBeside() {
    long rv = create("layout", "aHVudGVyMg==");

    String stored = redis.hget(KEYS.objects(), "default/layout");
    assertThat(stored).startsWith("k8s:enc:aesgcm:v1:key1:").doesNotContain("aHVudGVyMg==");
    assertThat(redis.hget(KEYS.sealedVersions(), "default/layout")).isEqualTo(Long.toString(rv));
    StoredObject read = get("layout");
    assertThat(read.resourceVersion()).isEqualTo(rv);
    assertThat(read.json()).contains("\"resourceVersion\":\"" + rv + "\"").contains("aHVudGVyMg==");
    assertThat(read.stale()).isFalse();
  }

  @Test
  void theWriteScriptComparesTheExpectedVersionWithTheOneKeptBesideTheSealedValue() {
    long rv = create("precondition", "b25l");

    assertThatThrownBy(
            () ->
                store
                    .update(
                        SECRETS, "default", "precondition", secret("precondition", "dHdv"), rv + 1)
                    .block(Duration.ofSeconds(10)))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(
            () ->
                store
                    .delete(
                        SECRETS, "default", "precondition", secret("precondition", "b25l"), rv - 1)
                    .block(Duration.ofSeconds(10)))
        .isInstanceOf(ConflictException.class);
    assertThat(get("precondition").resourceVersion()).isEqualTo(rv);

    long updated =
        store
            .update(SECRETS, "default", "precondition", secret("precondition", "dHdv"), rv)
            .block(Duration.ofSeconds(10));
    assertThat(redis.hget(KEYS.sealedVersions(), "default/precondition"))
        .isEqualTo(Long.toString(updated));
    assertThat(get("precondition").json()).contains("dHdv");

    store
        .delete(SECRETS, "default", "precondition", secret("precondition", "dHdv"), updated)
        .block(Duration.ofSeconds(10));
    assertThat(redis.hget(KEYS.objects(), "default/precondition")).isNull();
    assertThat(redis.hget(KEYS.sealedVersions(), "default/precondition")).isNull();
    assertThat(get("precondition")).isNull();
  }

  @Test
  void aValueSealedInTheOldLayoutIsReadAndMovedToTheNewOneByItsNextWrite() {
    long rv = create("old", "b2xk");
    // What an AOF written before this layout holds: "<rv> k8s:enc:…", and nothing beside it.
    String sealed = redis.hget(KEYS.objects(), "default/old");
    redis.hset(KEYS.objects(), "default/old", rv + " " + sealed);
    redis.hdel(KEYS.sealedVersions(), "default/old");

    StoredObject read = get("old");
    assertThat(read.resourceVersion()).isEqualTo(rv);
    assertThat(read.json()).contains("\"resourceVersion\":\"" + rv + "\"").contains("b2xk");
    // Stale, so that even an unchanged update (the rewrite of a key rotation) stores it anew.
    assertThat(read.stale()).isTrue();
    assertThatThrownBy(
            () ->
                store
                    .update(SECRETS, "default", "old", secret("old", "b2xk"), rv + 1)
                    .block(Duration.ofSeconds(10)))
        .isInstanceOf(ConflictException.class);

    long updated =
        store
            .update(SECRETS, "default", "old", secret("old", "b2xk"), rv)
            .block(Duration.ofSeconds(10));
    assertThat(redis.hget(KEYS.objects(), "default/old")).startsWith("k8s:enc:aesgcm:v1:key1:");
    assertThat(redis.hget(KEYS.sealedVersions(), "default/old")).isEqualTo(Long.toString(updated));
    assertThat(get("old").stale()).isFalse();
  }
}
