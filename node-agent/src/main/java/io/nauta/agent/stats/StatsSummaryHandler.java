package io.nauta.agent.stats;

import io.nauta.agent.app.AgentProperties;
import io.nauta.agent.auth.NodeOfRequest;
import io.nauta.core.auth.BearerToken;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The kubelet's {@code GET /stats/summary} (what metrics-server scrapes): the latest sample of the
 * node the call is for ({@link NodeOfRequest}: the address dialled, each simulated node having its
 * own), serialised as it is; nothing is read from Docker or the API server per call. The port's
 * auth filter has authorized the caller for {@code nodes/stats}; only a set-up without security
 * checks the shared token here, as {@code /containerLogs} does.
 */
public final class StatsSummaryHandler {

  private final StatsSampler sampler;
  private final NodeOfRequest nodes;
  private final BearerToken sharedToken;
  private final boolean shared;

  public StatsSummaryHandler(
      StatsSampler sampler, NodeOfRequest nodes, AgentProperties.Authentication auth) {
    this.sampler = sampler;
    this.nodes = nodes;
    this.shared = auth.sharedToken();
    this.sharedToken = shared ? BearerToken.of(auth.token(), auth.tokenFile()) : null;
  }

  public RouterFunction<ServerResponse> routes() {
    return RouterFunctions.route().GET("/stats/summary", this::summary).build();
  }

  Mono<ServerResponse> summary(ServerRequest request) {
    if (shared
        && (sharedToken == null
            || !sharedToken.matches(request.headers().firstHeader(HttpHeaders.AUTHORIZATION)))) {
      return ServerResponse.status(HttpStatus.UNAUTHORIZED)
          .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
          .contentType(MediaType.TEXT_PLAIN)
          .bodyValue("Unauthorized");
    }
    String node = nodes.nodeOf(request.exchange().getRequest());
    return ServerResponse.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(SummaryJson.of(sampler.summary(node)));
  }
}
