package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.nauta.api.support.Objects;
import io.nauta.api.support.TestApiServer;
import io.nauta.api.support.TestRedis;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A write is all or nothing in Redis: if its watch event cannot be appended, the object is not
 * changed either, and the client gets a 5xx {@code Status}.
 */
class WriteOrderIT {

  private static final String NS = "order";
  private static final String OBJECTS = "nauta:{core/configmaps}:objects";
  private static final String COUNTER = "nauta:{core/configmaps}:rv";
  private static final String EVENTS = "nauta:{core/configmaps}:events";

  private static TestApiServer server;
  private static ApiCalls api;
  private static RedisClient redisClient;
  private static StatefulRedisConnection<String, String> connection;

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
    api = new ApiCalls(server);
    redisClient = RedisClient.create(TestRedis.url());
    connection = redisClient.connect();
    assertThat(api.post("/api/v1/namespaces", Objects.namespace(NS)).status()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    connection.close();
    redisClient.shutdown();
    server.close();
  }

  @Test
  void aWriteWhoseEventCannotBeAppendedLeavesNoObject() {
    RedisCommands<String, String> redis = connection.sync();
    String configMaps = "/api/v1/namespaces/" + NS + "/configmaps";
    assertThat(api.post(configMaps, Objects.configMap("first", "v")).status()).isEqualTo(201);
    String counterBefore = redis.get(COUNTER);
    String firstBefore = redis.hget(OBJECTS, NS + "/first");
    // An entry far ahead of the counter: XADD <rv>-0 must now fail (as it does whenever the
    // stream and the counter disagree, or Redis refuses to grow).
    redis.xadd(
        EVENTS,
        new XAddArgs().id("1000000-0"),
        Map.of("t", "ADDED", "o", "{\"metadata\":{\"name\":\"x\"}}", "ts", "0"));

    ApiCalls.Response created = api.post(configMaps, Objects.configMap("second", "v"));
    ApiCalls.Response updated =
        api.put(
            configMaps + "/first",
            """
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"first"},
             "data":{"key":"changed"}}""");

    assertThat(created.status()).as(created.raw()).isGreaterThanOrEqualTo(500);
    assertThat(created.body().path("kind").asString()).isEqualTo("Status");
    assertThat(updated.status()).as(updated.raw()).isGreaterThanOrEqualTo(500);
    assertThat(redis.hexists(OBJECTS, NS + "/second")).isFalse();
    assertThat(redis.hget(OBJECTS, NS + "/first")).isEqualTo(firstBefore);
    assertThat(redis.get(COUNTER)).isEqualTo(counterBefore);
    assertThat(api.get(configMaps + "/second").status()).isEqualTo(404);
  }
}
