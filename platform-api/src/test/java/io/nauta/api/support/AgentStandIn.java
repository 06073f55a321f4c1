package io.nauta.api.support;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A node agent's {@code /stats/summary} as the API server's metrics scraper reaches it: HTTPS on
 * 127.0.0.1 with the agent's serving certificate from the PKI, the API server's client certificate
 * (client CA) required. The agent's own side is tested in node-agent.
 */
public final class AgentStandIn {

  private AgentStandIn() {}

  /** Serves {@code body} (a summary's JSON) on a free port until disposed. */
  public static DisposableServer statsSummary(Path pki, Supplier<Mono<String>> body) {
    SslContext tls;
    try {
      tls =
          SslContextBuilder.forServer(
                  pki.resolve("agent-serving.crt").toFile(),
                  pki.resolve("agent-serving.key").toFile())
              .trustManager(pki.resolve("client-ca.crt").toFile())
              .clientAuth(ClientAuth.REQUIRE)
              .build();
    } catch (SSLException e) {
      throw new IllegalStateException(e);
    }
    return HttpServer.create()
        .host("127.0.0.1")
        .port(0)
        .secure(spec -> spec.sslContext(tls))
        .route(
            routes ->
                routes.get(
                    "/stats/summary",
                    (req, res) ->
                        res.header("Content-Type", "application/json").sendString(body.get())))
        .bindNow();
  }
}
