package io.nauta.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@code nauta.redis.url} and {@code nauta.redis.sentinel.*} name a Sentinel-managed Redis. */
class RedisSentinelSettingsTest {

  private static NautaProperties.Redis redis(String url, NautaProperties.Sentinel sentinel) {
    return new NautaProperties.Redis(
        url, sentinel, ".nauta/data", 0, Duration.ofSeconds(10), 10000, Duration.ofSeconds(30));
  }

  private static NautaProperties.Sentinel none() {
    return new NautaProperties.Sentinel("", List.of(), "", 0, Duration.ofSeconds(1));
  }

  @Test
  void aSentinelUrlNamesTheSentinelsAndTheMaster() {
    RedisURI uri =
        RedisConfig.configuredUri(
            redis("redis-sentinel://10.0.0.1:26379,10.0.0.2:26380/2#mymaster", none()));
    assertThat(uri.getSentinelMasterId()).isEqualTo("mymaster");
    assertThat(uri.getSentinels())
        .extracting(s -> s.getHost() + ":" + s.getPort())
        .containsExactly("10.0.0.1:26379", "10.0.0.2:26380");
    assertThat(uri.getDatabase()).isEqualTo(2);
  }

  @Test
  void separateSettingsGiveTheSameUriAsTheUrl() {
    RedisURI uri =
        RedisConfig.configuredUri(
            redis(
                "",
                new NautaProperties.Sentinel(
                    "mymaster",
                    List.of("10.0.0.1:26379", " 10.0.0.2:26380", "10.0.0.3"),
                    "pw",
                    2,
                    Duration.ofSeconds(1))));
    assertThat(uri.getSentinelMasterId()).isEqualTo("mymaster");
    assertThat(uri.getSentinels())
        .extracting(s -> s.getHost() + ":" + s.getPort())
        .containsExactly("10.0.0.1:26379", "10.0.0.2:26380", "10.0.0.3:26379");
    assertThat(uri.getDatabase()).isEqualTo(2);
    assertThat(new String(uri.getPassword())).isEqualTo("pw");
  }

  @Test
  void noUrlAndNoSentinelMeansTheEmbeddedServer() {
    assertThat(RedisConfig.configuredUri(redis("", none()))).isNull();
    assertThat(RedisConfig.configuredUri(redis("redis://127.0.0.1:6380", none())).getPort())
        .isEqualTo(6380);
  }

  @Test
  void contradictoryOrIncompleteSettingsAreRefusedAtStartUp() {
    assertThatThrownBy(
            () ->
                RedisConfig.configuredUri(
                    redis(
                        "redis://127.0.0.1:6379",
                        new NautaProperties.Sentinel(
                            "mymaster", List.of("h:1"), "", 0, Duration.ofSeconds(1)))))
        .hasMessageContaining("use one of them");
    assertThatThrownBy(
            () ->
                RedisConfig.configuredUri(
                    redis(
                        "",
                        new NautaProperties.Sentinel(
                            "mymaster", List.of(), "", 0, Duration.ofSeconds(1)))))
        .hasMessageContaining("nodes is empty");
    assertThatThrownBy(
            () ->
                RedisConfig.configuredUri(
                    redis(
                        "",
                        new NautaProperties.Sentinel(
                            "", List.of("h:1"), "", 0, Duration.ofSeconds(1)))))
        .hasMessageContaining("master is not");
  }
}
