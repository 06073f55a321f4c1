package io.nauta.federation.proxy;

import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.net.ssl.SSLException;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

/**
 * The proxy's HTTP clients to members, one per TLS setting (CA bundle, verification), made on first
 * use and kept: a Cluster whose CA changes gets a new one. They set no response timeout, since a
 * watch through the proxy may stay silent for minutes; the member's and the caller's own timeouts
 * end it. Bodies are never decoded: bytes pass as they come.
 */
public final class MemberWebClients {

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final ConcurrentMap<MemberEndpoint.TlsKey, WebClient> clients = new ConcurrentHashMap<>();

  WebClient client(MemberEndpoint endpoint) {
    return clients.computeIfAbsent(endpoint.tlsKey(), MemberWebClients::create);
  }

  private static WebClient create(MemberEndpoint.TlsKey key) {
    SslContext ssl = sslContext(key);
    HttpClient http =
        HttpClient.create()
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
            .secure(spec -> spec.sslContext(ssl));
    return WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
  }

  private static SslContext sslContext(MemberEndpoint.TlsKey key) {
    try {
      SslContextBuilder builder = SslContextBuilder.forClient();
      if (key.insecureSkipTlsVerify()) {
        builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
      } else if (key.caBundle() != null) {
        builder.trustManager(
            new ByteArrayInputStream(key.caBundle().getBytes(StandardCharsets.UTF_8)));
      }
      return builder.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the Cluster's caBundle is not usable: " + e.getMessage(), e);
    }
  }
}
