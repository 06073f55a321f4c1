package io.nauta.api.security;

import reactor.core.publisher.Mono;

/**
 * Decides whether a user may do what a request asks, as Kubernetes' {@code authorizer.Authorizer}.
 * The API server asks every {@code Authorizer} bean in order (Node, then RBAC): the first {@code
 * ALLOW} or {@code DENY} decides, {@code NO_OPINION} from all of them is a 403. The same chain
 * answers SubjectAccessReviews, so a review's answer always equals what the request really gets.
 */
public interface Authorizer {

  Mono<Decision> authorize(AuthorizationAttributes attributes);

  /** An authorizer's answer and, for reviews and audit, why. */
  record Decision(Verdict verdict, String reason) {

    public enum Verdict {
      ALLOW,
      DENY,
      NO_OPINION
    }

    public static Decision allow(String reason) {
      return new Decision(Verdict.ALLOW, reason);
    }

    public static Decision deny(String reason) {
      return new Decision(Verdict.DENY, reason);
    }

    public static Decision noOpinion() {
      return new Decision(Verdict.NO_OPINION, "");
    }
  }
}
