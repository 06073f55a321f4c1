package io.nauta.core.client;

import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import java.time.Duration;
import jdk.net.ExtendedSocketOptions;
import reactor.netty.http.client.HttpClient;

/**
 * The TCP and HTTP settings of every API client, taken from client-go, so that a dead or half-open
 * connection is noticed instead of hanging a component:
 *
 * <ul>
 *   <li>connecting gives up after {@link #CONNECT_TIMEOUT} (client-go's dialer: 30 s);
 *   <li>TCP keepalive probes an idle connection after {@link #KEEPALIVE} and then every {@link
 *       #KEEPALIVE} (the dialer's {@code KeepAlive: 30s}), so a peer that vanished is found;
 *   <li>a request whose response goes silent for {@link #REQUEST_IDLE_TIMEOUT} fails, as
 *       client-go's HTTP/2 health check (read idle 30 s, then a ping answered within 15 s) ends a
 *       connection that stopped answering; HTTP/1.1 has no ping, so silence itself is the signal.
 *       Watches stay quiet for long stretches and set their own idle limit, a little longer than
 *       the {@code timeoutSeconds} they ask the server for.
 * </ul>
 */
public final class ClientTransport {

  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration KEEPALIVE = Duration.ofSeconds(30);
  public static final Duration REQUEST_IDLE_TIMEOUT = Duration.ofSeconds(45);

  private ClientTransport() {}

  /** Reactor Netty's client (its global event loops and pool) with the settings above. */
  public static HttpClient httpClient() {
    int keepalive = (int) KEEPALIVE.toSeconds();
    HttpClient http =
        HttpClient.create()
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
            .option(ChannelOption.SO_KEEPALIVE, true)
            .responseTimeout(REQUEST_IDLE_TIMEOUT);
    // The keepalive timings are transport-specific options; Reactor Netty uses epoll when it can.
    if (Epoll.isAvailable()) {
      return http.option(EpollChannelOption.TCP_KEEPIDLE, keepalive)
          .option(EpollChannelOption.TCP_KEEPINTVL, keepalive);
    }
    return http.option(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), keepalive)
        .option(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), keepalive);
  }
}
