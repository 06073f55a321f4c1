package io.nauta.api.http;

import io.lettuce.core.api.StatefulRedisConnection;
import io.nauta.api.cache.WatchCaches;
import io.nauta.api.customresource.DefinitionController;
import io.nauta.api.lifecycle.SystemNamespaces;
import io.nauta.api.security.bootstrap.BootstrapPolicyReconciler;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code /healthz} and {@code /livez}: the process serves. {@code /readyz}: Redis answers and every
 * watch cache is in sync, so lists and watches can be served; the system namespaces and the
 * bootstrap RBAC policy are in place; and the kind of every established CustomResourceDefinition is
 * served again ({@code poststarthook/crd-informer-synced}, as kube-apiserver names that check); and
 * every {@link ReadinessCheck} bean passed. Failed checks are listed as kube-apiserver lists them;
 * {@code ?verbose} lists the passed ones too.
 */
@Component
public class HealthHandler {

  private final StatefulRedisConnection<String, String> redis;
  private final WatchCaches caches;
  private final SystemNamespaces systemNamespaces;
  private final BootstrapPolicyReconciler bootstrapPolicy;
  private final DefinitionController definitions;
  private final List<ReadinessCheck> more;

  public HealthHandler(
      StatefulRedisConnection<String, String> redis,
      WatchCaches caches,
      SystemNamespaces systemNamespaces,
      BootstrapPolicyReconciler bootstrapPolicy,
      DefinitionController definitions,
      ObjectProvider<ReadinessCheck> more) {
    this.redis = redis;
    this.more = more.orderedStream().toList();
    this.caches = caches;
    this.systemNamespaces = systemNamespaces;
    this.bootstrapPolicy = bootstrapPolicy;
    this.definitions = definitions;
  }

  Mono<ServerResponse> healthz(ServerRequest request) {
    return text(HttpStatus.OK, "ok");
  }

  Mono<ServerResponse> readyz(ServerRequest request) {
    boolean verbose = request.queryParam("verbose").isPresent();
    return redis
        .reactive()
        .ping()
        .timeout(Duration.ofSeconds(2))
        .map(pong -> caches.allSynced() && systemNamespaces.isDone() && bootstrapPolicy.isDone())
        .onErrorReturn(false)
        .flatMap(
            storage -> {
              boolean crds = definitions.hasSynced();
              StringBuilder body = new StringBuilder();
              check(
                  body,
                  verbose,
                  "storage",
                  storage,
                  "Redis unreachable or watch caches not in sync");
              check(body, verbose, "poststarthook/crd-informer-synced", crds, "reason withheld");
              boolean others = true;
              for (ReadinessCheck c : more) {
                boolean passed = c.passed();
                check(body, verbose, c.name(), passed, "reason withheld");
                others &= passed;
              }
              if (storage && crds && others) {
                return text(HttpStatus.OK, verbose ? body + "readyz check passed" : "ok");
              }
              return text(HttpStatus.SERVICE_UNAVAILABLE, body + "readyz check failed");
            });
  }

  /** One line of kube-apiserver's health report: {@code [+]name ok} or {@code [-]name failed}. */
  private static void check(
      StringBuilder body, boolean verbose, String name, boolean ok, String reason) {
    if (!ok) {
      body.append("[-]").append(name).append(" failed: ").append(reason).append('\n');
    } else if (verbose) {
      body.append("[+]").append(name).append(" ok\n");
    }
  }

  private static Mono<ServerResponse> text(HttpStatus status, String body) {
    return ServerResponse.status(status).contentType(MediaType.TEXT_PLAIN).bodyValue(body);
  }
}
