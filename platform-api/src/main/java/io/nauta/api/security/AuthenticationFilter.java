package io.nauta.api.security;

import io.nauta.core.errors.UnauthorizedException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The first step of every request when security is on, as Kubernetes' authentication filter: asks
 * the {@link Authenticator}s in order and puts the first user they yield on the exchange ({@link
 * UserInfo#ATTRIBUTE}), with {@code system:authenticated} added.
 *
 * <p>As Kubernetes' union authenticator: a credential one authenticator refuses as invalid may
 * still be accepted by a later one; only when none accepts does a refusal make the answer 401. A
 * request with no credential at all is {@code system:anonymous} on the public paths ({@code
 * /healthz}, {@code /livez}, {@code /readyz}, {@code /version}) and 401 everywhere else. Accepted
 * bearer tokens are remembered for a short while ({@link TokenCache}).
 */
public class AuthenticationFilter implements WebFilter, Ordered {

  /** Right after the trailing-slash rewrite; authorization comes later. */
  public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

  static final UserInfo ANONYMOUS =
      new UserInfo(UserInfo.ANONYMOUS, List.of(UserInfo.UNAUTHENTICATED));

  private final List<Authenticator> authenticators;
  private final TokenCache tokens;

  AuthenticationFilter(List<Authenticator> authenticators, TokenCache tokens) {
    this.authenticators = List.copyOf(authenticators);
    this.tokens = tokens;
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  /** What the chain of authenticators made of a request. */
  private record Outcome(UserInfo user, boolean refused) {
    static final Outcome NONE = new Outcome(null, false);
    static final Outcome REFUSED = new Outcome(null, true);
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    // A client certificate decides before a token, so only token-only requests use the cache.
    String token = hasClientCertificate(request) ? null : BearerTokens.of(request);
    if (token != null) {
      UserInfo cached = tokens.get(token);
      if (cached != null) {
        return proceed(exchange, chain, cached);
      }
    }
    return Flux.fromIterable(authenticators)
        .concatMap(
            a ->
                a.authenticate(request)
                    .map(user -> new Outcome(user, false))
                    .onErrorResume(UnauthorizedException.class, e -> Mono.just(Outcome.REFUSED)))
        .takeUntil(o -> o.user() != null)
        .reduce(Outcome.NONE, (seen, o) -> o.user() != null ? o : o.refused() ? o : seen)
        .flatMap(
            outcome -> {
              if (outcome.user() != null) {
                UserInfo user = withAuthenticatedGroup(outcome.user());
                if (token != null) {
                  tokens.put(token, user);
                }
                return proceed(exchange, chain, user);
              }
              if (!outcome.refused()
                  && !hasCredentials(request, token)
                  && PublicPaths.isPublic(request.getPath().pathWithinApplication().value())) {
                return proceed(exchange, chain, ANONYMOUS);
              }
              return Mono.error(new UnauthorizedException("Unauthorized"));
            });
  }

  private static Mono<Void> proceed(
      ServerWebExchange exchange, WebFilterChain chain, UserInfo user) {
    exchange.getAttributes().put(UserInfo.ATTRIBUTE, user);
    return chain.filter(exchange);
  }

  private static boolean hasCredentials(ServerHttpRequest request, String token) {
    return token != null || hasClientCertificate(request) || BearerTokens.of(request) != null;
  }

  private static boolean hasClientCertificate(ServerHttpRequest request) {
    SslInfo ssl = request.getSslInfo();
    return ssl != null && ssl.getPeerCertificates() != null && ssl.getPeerCertificates().length > 0;
  }

  /** {@code user} with {@code system:authenticated}, as Kubernetes' group adder gives every one. */
  public static UserInfo withAuthenticatedGroup(UserInfo user) {
    if (user.groups().contains(UserInfo.AUTHENTICATED)) {
      return user;
    }
    List<String> groups = new ArrayList<>(user.groups());
    groups.add(UserInfo.AUTHENTICATED);
    return new UserInfo(user.name(), user.uid(), groups, user.extra());
  }
}
