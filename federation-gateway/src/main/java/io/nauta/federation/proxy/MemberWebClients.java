package io.nauta.federation.proxy;

import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.ClientTransport;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The proxy's HTTP clients to members, one per TLS setting (CA, client certificate, verification),
 * made on first use and kept: a Cluster whose CA or certificate changes gets a new one. They are
 * the API clients' transport ({@link ClientTransport}: connect timeout, TCP keepalive, so a member
 * that vanished ends the streams through it) without its response idle timeout, since a watch or a
 * followed log through the proxy may stay silent for minutes; the member's and the caller's own
 * timeouts end it. Unlike the member's {@code KubeClient} they carry neither the controllers' rate
 * limit nor their write fence: what passes here is the caller's request, on any gateway replica.
 * Bodies are never decoded: bytes pass as they come. Tokens go in a header per request, not here.
 */
final class MemberWebClients {

  /**
   * Keyed by the parts of a member's settings the connection depends on (TLS, not server or token).
   */
  private final ConcurrentMap<ClientConfig, WebClient> clients = new ConcurrentHashMap<>();

  /**
   * The client for a member with {@code config}'s TLS settings; an {@link IllegalArgumentException}
   * when they are unusable (a CA that is no certificate).
   */
  WebClient client(ClientConfig config) {
    // Reactor Netty takes the server per request: one client serves every server with these.
    return clients.computeIfAbsent(tlsOnly(config), k -> create(config));
  }

  private static ClientConfig tlsOnly(ClientConfig c) {
    return new ClientConfig(
        "https://member",
        null,
        null,
        c.certificateAuthority(),
        c.clientCertificate(),
        c.clientKey(),
        c.insecureSkipTlsVerify());
  }

  private static WebClient create(ClientConfig config) {
    return WebClient.builder()
        .clientConnector(
            new ReactorClientHttpConnector(
                ClientTransport.httpClient(config).responseTimeout(null)))
        .build();
  }
}
