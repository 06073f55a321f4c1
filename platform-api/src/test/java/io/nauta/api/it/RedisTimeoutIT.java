package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.nauta.api.support.Objects;
import io.nauta.api.support.TestApiServer;
import io.nauta.api.support.TestRedis;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Redis that does not answer fails the request after the configured command timeout with 504
 * Timeout, as the Kubernetes apiserver answers when etcd does not reply, instead of holding it.
 */
class RedisTimeoutIT {

  private static final String NS = "slow";

  private static TestApiServer server;
  private static ApiCalls api;
  private static RedisClient redisClient;
  private static StatefulRedisConnection<String, String> connection;

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis("nauta.redis.command-timeout=1s");
    api = new ApiCalls(server);
    redisClient = RedisClient.create(TestRedis.url());
    connection = redisClient.connect();
    assertThat(api.post("/api/v1/namespaces", Objects.namespace(NS)).status()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    client("UNPAUSE");
    connection.close();
    redisClient.shutdown();
    server.close();
  }

  /** {@code CLIENT <args>}: PAUSE ... WRITE and UNPAUSE, which this Lettuce has no method for. */
  private static void client(String... args) {
    CommandArgs<String, String> commandArgs = new CommandArgs<>(StringCodec.UTF8);
    for (String a : args) {
      commandArgs.add(a);
    }
    connection
        .sync()
        .dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8), commandArgs);
  }

  @Test
  void aWriteRedisDoesNotAnswerInTimeIsA504Timeout() {
    String configMaps = "/api/v1/namespaces/" + NS + "/configmaps";
    assertThat(api.post(configMaps, Objects.configMap("before", "v")).status()).isEqualTo(201);
    // Redis holds every write command (scripts included) for 5 s; reads still pass.
    connection
        .sync()
        .dispatch(
            io.lettuce.core.protocol.CommandType.CLIENT,
            new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
            new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8)
                .add("PAUSE")
                .add(5000)
                .add("WRITE"));

    long started = System.nanoTime();
    ApiCalls.Response created = api.post(configMaps, Objects.configMap("paused", "v"));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(created.status()).as(created.raw()).isEqualTo(504);
    assertThat(created.reason()).isEqualTo("Timeout");
    assertThat(created.body().path("kind").asString()).isEqualTo("Status");
    assertThat(took).isLessThan(Duration.ofMillis(4000));
    client("UNPAUSE");
    // Redis is back: writes work again.
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> api.post(configMaps, Objects.configMap("after", "v")).status() == 201);
  }
}
