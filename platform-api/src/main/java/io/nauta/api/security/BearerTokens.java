package io.nauta.api.security;

import io.nauta.api.authentication.TokenAuthenticator;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/** The bearer token of a request, as Kubernetes' bearertoken authenticator reads it. */
final class BearerTokens {

  private BearerTokens() {}

  /** The token after {@code Bearer }, or null when the request carries none. */
  static String of(ServerHttpRequest request) {
    return TokenAuthenticator.bearerToken(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
  }
}
