package io.nauta.api.http;

import io.nauta.api.security.AuthorizationFilter;
import io.nauta.core.client.LeaseFence;
import io.nauta.core.errors.BadRequestException;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Puts the {@link LeaseFence} a write names in its {@value LeaseFence#HEADER} header into the
 * Reactor context, where the store checks it just before the write runs ({@code RedisObjectStore}).
 * A malformed header is a 400 and nothing is written. Reads are never fenced.
 */
@Component
@Order(AuthorizationFilter.ORDER + 1)
public class LeaseFenceFilter implements WebFilter {

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    HttpMethod method = exchange.getRequest().getMethod();
    String value = exchange.getRequest().getHeaders().getFirst(LeaseFence.HEADER);
    if (value == null
        || method == HttpMethod.GET
        || method == HttpMethod.HEAD
        || method == HttpMethod.OPTIONS) {
      return chain.filter(exchange);
    }
    LeaseFence fence;
    try {
      fence = LeaseFence.parse(value);
    } catch (IllegalArgumentException e) {
      return Mono.error(new BadRequestException(e.getMessage()));
    }
    return chain.filter(exchange).contextWrite(ctx -> ctx.put(LeaseFence.class, fence));
  }
}
