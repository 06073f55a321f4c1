package io.nauta.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.nauta.api.support.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The start-up check of Redis' eviction policy, against a real Redis. */
@ExtendWith(OutputCaptureExtension.class)
class RedisEvictionPolicyIT {

  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;

  @BeforeEach
  void connect() {
    client = RedisClient.create(TestRedis.url());
    connection = client.connect();
  }

  @AfterEach
  void restore() {
    connection.sync().configSet("maxmemory-policy", "noeviction");
    connection.close();
    client.shutdown();
  }

  @Test
  void aRedisThatMayEvictKeysIsReportedLoudly(CapturedOutput output) {
    connection.sync().configSet("maxmemory-policy", "allkeys-lru");

    RedisConfig.checkEviction(connection);

    assertThat(output.getOut() + output.getErr())
        .contains("ERROR")
        .contains("maxmemory-policy 'allkeys-lru'")
        .contains("Nauta needs 'noeviction'");
  }

  @Test
  void noevictionPassesQuietly(CapturedOutput output) {
    connection.sync().configSet("maxmemory-policy", "noeviction");

    RedisConfig.checkEviction(connection);

    assertThat(output.getOut() + output.getErr()).doesNotContain("maxmemory-policy");
  }
}
