package io.nauta.api.security.rbac;

import io.nauta.api.security.AuthorizationAttributes;
import io.nauta.api.security.Authorizer;
import io.nauta.api.security.UserInfo;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Members of {@code system:masters} may do anything, whatever RBAC holds: Kubernetes puts this
 * shortcut first in the chain so an administrator cannot lock themselves out by breaking a binding.
 */
@Component
@Order(PrivilegedGroupAuthorizer.ORDER)
public class PrivilegedGroupAuthorizer implements Authorizer {

  public static final int ORDER = 100;

  @Override
  public Mono<Decision> authorize(AuthorizationAttributes attributes) {
    return Mono.just(
        attributes.user().groups().contains(UserInfo.MASTERS)
            ? Decision.allow("")
            : Decision.noOpinion());
  }
}
