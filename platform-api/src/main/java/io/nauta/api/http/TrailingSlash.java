package io.nauta.api.http;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Serves a path with trailing slashes as the same path without them, as Kubernetes does: its
 * request-info parser trims them ({@code splitPath}) and its routes answer {@code /version/},
 * {@code /api/}, {@code /apis/<group>/} alike. The official Python client's {@code VersionApi}
 * calls {@code /version/}. Runs before routing and before the request metrics.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class TrailingSlash implements WebFilter {

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String path = exchange.getRequest().getPath().value();
    if (path.length() <= 1 || !path.endsWith("/")) {
      return chain.filter(exchange);
    }
    String trimmed = trim(path);
    ServerHttpRequest request = exchange.getRequest().mutate().path(trimmed).build();
    return chain.filter(exchange.mutate().request(request).build());
  }

  static String trim(String path) {
    int end = path.length();
    while (end > 1 && path.charAt(end - 1) == '/') {
      end--;
    }
    return path.substring(0, end);
  }
}
