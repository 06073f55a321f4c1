package io.nauta.core.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The socket settings every API client connection gets. */
class ClientTransportTest {

  /** BoringSSL (netty-tcnative) is loaded and chosen: the JDK's TLS cost half again as much CPU. */
  @Test
  void tlsGoesThroughBoringSsl() {
    assertThat(OpenSsl.isAvailable()).as("%s", OpenSsl.unavailabilityCause()).isTrue();

    SslContext ssl =
        ClientTransport.sslContext(
            new ClientConfig("https://127.0.0.1:6443", null, null, null, null, null, true));

    assertThat(SslContext.defaultClientProvider()).isEqualTo(SslProvider.OPENSSL);
    assertThat(ssl.getClass().getSimpleName()).contains("OpenSsl");
  }

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
