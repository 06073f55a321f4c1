package io.nauta.api.security;

import io.nauta.api.security.Authorizer.Decision;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every {@link Authorizer} bean in {@code @Order} (system:masters, Node, RBAC): the first ALLOW or
 * DENY decides, NO_OPINION from all of them is NO_OPINION (a 403). Requests and access reviews both
 * ask this one chain, so a review's answer is what the request would get.
 */
@Component
public class AuthorizerChain {

  private final List<Authorizer> authorizers;

  public AuthorizerChain(List<Authorizer> authorizers) {
    this.authorizers = List.copyOf(authorizers);
  }

  /**
   * As Kubernetes' union authorizer: the reasons of the authorizers without an opinion (the Node
   * authorizer's "no relationship found…") are joined into the final NO_OPINION's reason, which the
   * 403 message and an access review's {@code status.reason} carry.
   */
  public Mono<Decision> authorize(AuthorizationAttributes attributes) {
    return Mono.defer(
        () -> {
          List<String> reasons = new ArrayList<>();
          return Flux.fromIterable(authorizers)
              .concatMap(a -> a.authorize(attributes))
              .doOnNext(
                  d -> {
                    if (d.verdict() == Decision.Verdict.NO_OPINION && !d.reason().isEmpty()) {
                      reasons.add(d.reason());
                    }
                  })
              .filter(d -> d.verdict() != Decision.Verdict.NO_OPINION)
              .next()
              .switchIfEmpty(
                  Mono.fromSupplier(
                      () -> new Decision(Decision.Verdict.NO_OPINION, String.join("\n", reasons))));
        });
  }

  /** Whether the chain allows the request. */
  public Mono<Boolean> allows(AuthorizationAttributes attributes) {
    return authorize(attributes).map(d -> d.verdict() == Decision.Verdict.ALLOW);
  }
}
