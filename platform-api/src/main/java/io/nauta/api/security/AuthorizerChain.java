package io.nauta.api.security;

import io.nauta.api.security.Authorizer.Decision;
import java.util.List;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every {@link Authorizer} bean in {@code @Order}: the first ALLOW or DENY decides, NO_OPINION from
 * all of them is NO_OPINION (a 403). Requests and access reviews both ask this one chain, so a
 * review's answer is what the request would get.
 */
@Component
public class AuthorizerChain {

  private final List<Authorizer> authorizers;

  public AuthorizerChain(List<Authorizer> authorizers) {
    this.authorizers = List.copyOf(authorizers);
  }

  public Mono<Decision> authorize(AuthorizationAttributes attributes) {
    return Flux.fromIterable(authorizers)
        .concatMap(a -> a.authorize(attributes))
        .filter(d -> d.verdict() != Decision.Verdict.NO_OPINION)
        .next()
        .defaultIfEmpty(Decision.noOpinion());
  }

  /** Whether the chain allows the request. */
  public Mono<Boolean> allows(AuthorizationAttributes attributes) {
    return authorize(attributes).map(d -> d.verdict() == Decision.Verdict.ALLOW);
  }
}
