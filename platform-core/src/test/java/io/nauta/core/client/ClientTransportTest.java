package io.nauta.core.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The socket settings every API client connection gets. */
class ClientTransportTest {

  @Test
  void connectionsTimeOutConnectingAndKeepIdleConnectionsAliveAsClientGoDoes() {
    Map<String, Object> seen = new ConcurrentHashMap<>();
    try (FakeApiServer server = new FakeApiServer(call -> new FakeApiServer.Reply(200, "{}"))) {
      ClientTransport.httpClient()
          .doOnConnected(
              c -> {
                var config = c.channel().config();
                seen.put("connectTimeout", config.getOption(ChannelOption.CONNECT_TIMEOUT_MILLIS));
                seen.put("keepalive", config.getOption(ChannelOption.SO_KEEPALIVE));
                if (c.channel() instanceof EpollSocketChannel) {
                  seen.put("keepIdle", config.getOption(EpollChannelOption.TCP_KEEPIDLE));
                  seen.put("keepInterval", config.getOption(EpollChannelOption.TCP_KEEPINTVL));
                }
              })
          .get()
          .uri(server.url() + "/version")
          .responseContent()
          .aggregate()
          .asString()
          .block(Duration.ofSeconds(10));
    }
    assertThat(seen).containsEntry("connectTimeout", 30_000).containsEntry("keepalive", true);
    if (Epoll.isAvailable()) {
      assertThat(seen).containsEntry("keepIdle", 30).containsEntry("keepInterval", 30);
    }
  }

  @Test
  void aSilentWatchCountsAsDeadALittleAfterTheTimeoutItAskedFor() {
    assertThat(ResourceClient.watchIdleTimeout(300L)).isEqualTo(Duration.ofSeconds(375));
    assertThat(ResourceClient.watchIdleTimeout(2L)).isEqualTo(Duration.ofSeconds(4));
    assertThat(ResourceClient.watchIdleTimeout(null)).isEqualTo(Duration.ofMinutes(61));
  }
}
