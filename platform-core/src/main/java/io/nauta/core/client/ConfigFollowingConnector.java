package io.nauta.core.client;

import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpResponse;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import reactor.core.publisher.Mono;

/**
 * The connector of a {@link KubeClient} whose settings come from a supplier: each request speaks
 * TLS with the CA, client certificate and verification the supplier names at that moment, as a
 * client of one fixed {@link ClientConfig} does. The transport of the last settings seen is kept
 * and made anew only when they change (a rotated certificate, another server's CA), so a supplier
 * that keeps answering the same settings costs one TLS context, not one per request.
 */
final class ConfigFollowingConnector implements ClientHttpConnector {

  /** The parts of a {@link ClientConfig} the transport depends on. */
  private record Tls(
      String certificateAuthority,
      String clientCertificate,
      String clientKey,
      boolean insecureSkipTlsVerify) {

    static Tls of(ClientConfig c) {
      return new Tls(
          c.certificateAuthority(),
          c.clientCertificate(),
          c.clientKey(),
          c.insecureSkipTlsVerify());
    }
  }

  private record Current(Tls tls, ClientHttpConnector connector) {}

  private final Supplier<ClientConfig> config;
  private final ClientTransport.OwnResources own;
  private final ClientConnections connections;
  private final AtomicReference<Current> current = new AtomicReference<>();

  /**
   * On {@code own}'s connections and loops, or Reactor Netty's global ones when it is null; every
   * connection opened is tracked in {@code connections}.
   */
  ConfigFollowingConnector(
      Supplier<ClientConfig> config,
      ClientTransport.OwnResources own,
      ClientConnections connections) {
    this.config = config;
    this.own = own;
    this.connections = connections;
  }

  @Override
  public Mono<ClientHttpResponse> connect(
      HttpMethod method, URI uri, Function<? super ClientHttpRequest, Mono<Void>> requestCallback) {
    return Mono.defer(() -> connector().connect(method, uri, requestCallback));
  }

  private ClientHttpConnector connector() {
    ClientConfig c = config.get();
    Tls tls = Tls.of(c);
    Current seen = current.get();
    if (seen != null && seen.tls().equals(tls)) {
      return seen.connector();
    }
    Current made =
        new Current(
            tls,
            new ReactorClientHttpConnector(
                connections.track(
                    own == null
                        ? ClientTransport.httpClient(c)
                        : ClientTransport.httpClient(c, own))));
    current.set(made);
    return made.connector();
  }
}
