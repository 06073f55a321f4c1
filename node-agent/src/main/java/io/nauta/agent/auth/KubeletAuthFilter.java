package io.nauta.agent.auth;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Guards every path of the agent's port but the probes, as the kubelet's {@code InstallAuthFilter}:
 * the caller is authenticated ({@link CallerAuthentication}; none is 401 {@code Unauthorized}),
 * then authorized for its request's {@link NodeRequestAttributes} ({@link CallerAuthorization}; a
 * denial is 403 with the kubelet's {@code Forbidden (user=…, verb=…, resource=nodes,
 * subresource=…)}). Answers are plain text, as the kubelet's.
 */
public final class KubeletAuthFilter implements WebFilter {

  private static final Log log = LogFactory.getLog(KubeletAuthFilter.class);

  /** Answered without credentials, as the kubelet's /healthz. */
  private static final Set<String> PUBLIC = Set.of("/healthz", "/livez", "/readyz");

  private final CallerAuthentication authentication;
  private final CallerAuthorization authorization;
  private final NodeOfRequest nodes;

  public KubeletAuthFilter(
      CallerAuthentication authentication, CallerAuthorization authorization, NodeOfRequest nodes) {
    this.authentication = authentication;
    this.authorization = authorization;
    this.nodes = nodes;
  }

  static boolean isPublic(String path) {
    return PUBLIC.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String path = exchange.getRequest().getPath().pathWithinApplication().value();
    if (isPublic(path)) {
      return chain.filter(exchange);
    }
    return authentication
        .authenticate(exchange.getRequest())
        .map(Optional::of)
        .onErrorResume(
            e -> {
              // The review failed (API server away): the kubelet answers 401 then too.
              log.warn("authenticating a call to " + path + " failed: " + e.getMessage());
              return Mono.just(Optional.empty());
            })
        .defaultIfEmpty(Optional.empty())
        .flatMap(
            caller -> {
              if (caller.isEmpty()) {
                return text(exchange.getResponse(), HttpStatus.UNAUTHORIZED, "Unauthorized");
              }
              Caller who = caller.get();
              NodeRequestAttributes attributes =
                  NodeRequestAttributes.of(
                      exchange.getRequest().getMethod(), path, nodes.nodeOf(exchange.getRequest()));
              return authorization
                  .allowed(who, attributes)
                  .onErrorResume(
                      e -> {
                        log.warn(
                            "authorizing "
                                + who.name()
                                + " for "
                                + path
                                + " failed: "
                                + e.getMessage());
                        return Mono.empty();
                      })
                  .map(Optional::of)
                  .defaultIfEmpty(Optional.empty())
                  .flatMap(
                      allowed -> {
                        if (allowed.isEmpty()) {
                          return text(
                              exchange.getResponse(),
                              HttpStatus.INTERNAL_SERVER_ERROR,
                              attributes.authorizationError(who.name()));
                        }
                        if (!allowed.get()) {
                          return text(
                              exchange.getResponse(),
                              HttpStatus.FORBIDDEN,
                              attributes.forbidden(who.name()));
                        }
                        return chain.filter(exchange);
                      });
            });
  }

  private static Mono<Void> text(ServerHttpResponse response, HttpStatus status, String message) {
    response.setStatusCode(status);
    response.getHeaders().setContentType(MediaType.TEXT_PLAIN);
    return response.writeWith(
        Mono.just(response.bufferFactory().wrap(message.getBytes(StandardCharsets.UTF_8))));
  }
}
