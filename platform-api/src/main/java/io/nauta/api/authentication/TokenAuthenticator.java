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
   * An authenticator of tokens that carry no audience (bootstrap tokens, the static token file), as
   * Kubernetes' {@code WrapAudienceAgnosticToken}: such a token is good for the API server's own
   * audiences ({@code implicit}) only, so it authenticates for the asked audiences that are among
   * them, in the order asked, and is "not mine" (empty, {@code user} never subscribed) when none
   * is.
   */
  static Mono<Authenticated> audienceAgnostic(
      List<String> implicit, List<String> asked, Mono<UserInfo> user) {
    List<String> audiences = asked.stream().filter(implicit::contains).toList();
    if (audiences.isEmpty()) {
      return Mono.empty();
    }
    return user.map(u -> new Authenticated(u, audiences));
  }

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
