package io.nauta.api.security.rbac;

import io.nauta.api.security.AuthorizationAttributes;
import io.nauta.api.security.Authorizer;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Kubernetes' RBAC authorizer: allows what a binding of the user, one of its groups or its service
 * account grants, and has no opinion otherwise (RBAC never denies).
 */
@Component
@Order(RbacAuthorizer.ORDER)
public class RbacAuthorizer implements Authorizer {

  /** After the privileged-group shortcut and the node authorizer, as Kubernetes orders them. */
  public static final int ORDER = 300;

  private final RbacPolicySource policies;

  public RbacAuthorizer(RbacPolicySource policies) {
    this.policies = policies;
  }

  @Override
  public Mono<Decision> authorize(AuthorizationAttributes attributes) {
    return Mono.fromSupplier(
        () ->
            policies.decide(
                attributes,
                policy ->
                    policy
                        .allowedBy(attributes)
                        .map(Decision::allow)
                        .orElse(Decision.noOpinion())));
  }
}
