package io.nauta.api.http;

import io.lettuce.core.api.StatefulRedisConnection;
import io.nauta.api.cache.WatchCaches;
import io.nauta.api.lifecycle.SystemNamespaces;
import io.nauta.api.security.bootstrap.BootstrapPolicyReconciler;
import java.time.Duration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code /healthz} and {@code /livez}: the process serves. {@code /readyz}: Redis answers and every
 * watch cache is in sync, so lists and watches can be served.
 */
@Component
public class HealthHandler {

  private final StatefulRedisConnection<String, String> redis;
  private final WatchCaches caches;
  private final SystemNamespaces systemNamespaces;
  private final BootstrapPolicyReconciler bootstrapPolicy;

  public HealthHandler(
      StatefulRedisConnection<String, String> redis,
      WatchCaches caches,
      SystemNamespaces systemNamespaces,
      BootstrapPolicyReconciler bootstrapPolicy) {
    this.redis = redis;
    this.caches = caches;
    this.systemNamespaces = systemNamespaces;
    this.bootstrapPolicy = bootstrapPolicy;
  }

  Mono<ServerResponse> healthz(ServerRequest request) {
    return text(HttpStatus.OK, "ok");
  }

  Mono<ServerResponse> readyz(ServerRequest request) {
    return redis
        .reactive()
        .ping()
        .timeout(Duration.ofSeconds(2))
        .map(pong -> caches.allSynced() && systemNamespaces.isDone() && bootstrapPolicy.isDone())
        .onErrorReturn(false)
        .flatMap(
            ready ->
                ready
                    ? text(HttpStatus.OK, "ok")
                    : text(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "[-]storage failed: Redis unreachable or watch caches not in sync\nreadyz check failed"));
  }

  private static Mono<ServerResponse> text(HttpStatus status, String body) {
    return ServerResponse.status(status).contentType(MediaType.TEXT_PLAIN).bodyValue(body);
  }
}
