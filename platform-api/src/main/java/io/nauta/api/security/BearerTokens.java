package io.nauta.api.security;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/** The bearer token of a request, as Kubernetes' bearertoken authenticator reads it. */
final class BearerTokens {

  private BearerTokens() {}

  /** The token after {@code Bearer }, or null when the request carries none. */
  static String of(ServerHttpRequest request) {
    String header = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
    if (header == null) {
      return null;
    }
    String[] parts = header.trim().split(" ");
    if (parts.length < 2 || !parts[0].equalsIgnoreCase("bearer")) {
      return null;
    }
    String token = parts[parts.length - 1].trim();
    return token.isEmpty() ? null : token;
  }
}
