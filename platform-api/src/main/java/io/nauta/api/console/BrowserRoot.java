package io.nauta.api.console;

import io.nauta.api.security.AuthenticationFilter;
import java.net.URI;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * A browser opening the server's address ({@code GET /} whose {@code Accept} names {@code
 * text/html} first, as every browser's navigation does) is sent to the console with a 302, before
 * authentication: it has no credentials yet, the console's login asks for them. API clients
 * (kubectl and the client libraries ask for JSON, curl for anything) still get Kubernetes' {@code
 * {"paths": [...]}} under the usual authentication and authorization.
 */
@Component
public class BrowserRoot implements WebFilter, Ordered {

  /** Before authentication (and the audit of a failed one). */
  static final int ORDER = AuthenticationFilter.ORDER - 10;

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    if (!"/".equals(request.getPath().pathWithinApplication().value())
        || !(HttpMethod.GET.equals(request.getMethod())
            || HttpMethod.HEAD.equals(request.getMethod()))
        || !wantsHtml(request.getHeaders().getFirst("Accept"))) {
      return chain.filter(exchange);
    }
    exchange.getResponse().setStatusCode(HttpStatus.FOUND);
    exchange.getResponse().getHeaders().setLocation(URI.create(ConsoleRoutes.PATH + "/"));
    return exchange.getResponse().setComplete();
  }

  /** Whether the first media type of an {@code Accept} header is {@code text/html}. */
  static boolean wantsHtml(String accept) {
    if (accept == null || accept.isBlank()) {
      return false;
    }
    try {
      List<MediaType> types = MediaType.parseMediaTypes(accept);
      return !types.isEmpty() && types.get(0).equalsTypeAndSubtype(MediaType.TEXT_HTML);
    } catch (InvalidMediaTypeException e) {
      return false;
    }
  }
}
