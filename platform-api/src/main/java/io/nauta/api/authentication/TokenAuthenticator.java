package io.nauta.api.authentication;

import io.nauta.api.security.UserInfo;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * An authenticator of bearer tokens, as Kubernetes' {@code authenticator.Token}: the request path
 * asks it with the API server's audiences, a TokenReview with the audiences the review names.
 *
 * <p>Empty means "not my kind of token"; an {@link io.nauta.core.errors.UnauthorizedException}
 * means it is, and it is invalid (its message is what a TokenReview reports as {@code
 * status.error}; it never contains the token).
 */
public interface TokenAuthenticator {

  Mono<Authenticated> authenticateToken(String token, List<String> audiences);

  /**
   * @param audiences the audiences the token is good for among those asked (Kubernetes' {@code
   *     authenticator.Response.Audiences})
   */
  record Authenticated(UserInfo user, List<String> audiences) {}

  /**
   * The token of an {@code Authorization: Bearer <token>} header, or null, as Kubernetes reads it.
   */
  static String bearerToken(String authorization) {
    if (authorization == null) {
      return null;
    }
    // As k8s.io/apiserver's bearertoken authenticator: SplitN(TrimSpace(header), " ", 3)[1].
    String[] parts = authorization.strip().split(" ", 3);
    if (parts.length < 2 || !parts[0].equalsIgnoreCase("bearer")) {
      return null;
    }
    return parts[1].isEmpty() ? null : parts[1];
  }
}
