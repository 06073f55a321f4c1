package io.nauta.core.client;

import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLException;
import jdk.net.ExtendedSocketOptions;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

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

  /**
   * As {@link #httpClient()}, speaking TLS to {@code https} servers with the CA, client certificate
   * and verification {@code config} names (the JDK's trust store when it names no CA).
   */
  public static HttpClient httpClient(ClientConfig config) {
    return secured(httpClient(), config);
  }

  /**
   * As {@link #httpClient(ClientConfig)}, on connections and event loops of its own ({@link
   * OwnResources}) instead of Reactor Netty's global pool and loops.
   */
  public static HttpClient httpClient(ClientConfig config, OwnResources own) {
    return secured(configured(HttpClient.create(own.connections()).runOn(own.loops())), config);
  }

  /**
   * A connection pool and event loops of one client's own, so its requests neither wait for a
   * pooled connection behind another client's nor for an event loop busy with another client's
   * responses: leader election's, as kube-controller-manager gives its lease a client of its own.
   */
  public record OwnResources(ConnectionProvider connections, LoopResources loops) {

    /** A pool of {@code maxConnections} and one event loop thread, named {@code name}. */
    public static OwnResources create(String name, int maxConnections) {
      return new OwnResources(
          ConnectionProvider.builder(name).maxConnections(maxConnections).build(),
          LoopResources.create(name, 1, true));
    }

    public void dispose() {
      connections.dispose();
      loops.dispose();
    }
  }

  private static HttpClient secured(HttpClient http, ClientConfig config) {
    if (!config.customTls()) {
      return http;
    }
    SslContext ssl = sslContext(config);
    // Reactor Netty uses this only for https URLs; an http server is still spoken to in clear.
    return http.secure(spec -> spec.sslContext(ssl));
  }

  static SslContext sslContext(ClientConfig config) {
    try {
      SslContextBuilder builder = SslContextBuilder.forClient();
      if (config.insecureSkipTlsVerify()) {
        builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
      } else if (config.certificateAuthority() != null) {
        builder.trustManager(stream(config.certificateAuthority()));
      }
      if (config.clientCertificate() != null) {
        builder.keyManager(stream(config.clientCertificate()), stream(config.clientKey()));
      }
      return builder.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot use the TLS settings for " + config.server() + ": " + e.getMessage(), e);
    }
  }

  private static InputStream stream(String pem) {
    return new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8));
  }

  /** Reactor Netty's client (its global event loops and pool) with the settings above. */
  public static HttpClient httpClient() {
    return configured(HttpClient.create());
  }

  private static HttpClient configured(HttpClient base) {
    int keepalive = (int) KEEPALIVE.toSeconds();
    HttpClient http =
        base.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
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
