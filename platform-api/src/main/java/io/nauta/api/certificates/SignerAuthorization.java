package io.nauta.api.certificates;

import io.nauta.api.security.AuthorizationAttributes;
import io.nauta.api.security.AuthorizerChain;
import io.nauta.api.security.UserInfo;
import io.nauta.core.errors.ForbiddenException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.registry.BuiltInResources;
import java.util.Optional;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Kubernetes' {@code certificates/approval} admission: approving or denying a CSR needs, besides
 * {@code update} on {@code certificatesigningrequests/approval}, the verb {@code approve} on the
 * {@code signers} resource named for the CSR's signer (or for its domain, {@code kubernetes.io/*}),
 * as {@code IsAuthorizedForSignerName} checks. Otherwise whoever may approve one signer's requests
 * could approve every signer's.
 *
 * <p>Requests without a user (security off) pass, as {@code RbacEscalationCheck}'s do.
 */
@Component
public class SignerAuthorization {

  private final AuthorizerChain authorizers;

  public SignerAuthorization(AuthorizerChain authorizers) {
    this.authorizers = authorizers;
  }

  /** Completes when the requester may {@code verb} requests of {@code signerName}. */
  public Mono<Void> check(String verb, String csrName, String signerName) {
    return Mono.deferContextual(
        ctx -> {
          Optional<UserInfo> user = ctx.getOrEmpty(UserInfo.ATTRIBUTE);
          if (user.isEmpty()) {
            return Mono.empty();
          }
          return allowed(user.get(), verb, signerName)
              .flatMap(
                  ok -> ok ? Mono.<Void>empty() : Mono.error(forbidden(verb, csrName, signerName)));
        });
  }

  private Mono<Boolean> allowed(UserInfo user, String verb, String signerName) {
    Mono<Boolean> exact = authorizers.allows(signers(user, verb, signerName));
    int slash = signerName.indexOf('/');
    if (slash < 0) {
      return exact;
    }
    String wildcard = signerName.substring(0, slash) + "/*";
    return exact.flatMap(
        ok -> ok ? Mono.just(true) : authorizers.allows(signers(user, verb, wildcard)));
  }

  private static AuthorizationAttributes signers(UserInfo user, String verb, String name) {
    return AuthorizationAttributes.resource(
        user, verb, BuiltInResources.CERTIFICATES_GROUP, "*", "signers", "", "", name);
  }

  private static ForbiddenException forbidden(String verb, String csrName, String signerName) {
    ResourceRef ref =
        new ResourceRef(
            BuiltInResources.CERTIFICATES_GROUP,
            BuiltInResources.CERTIFICATE_SIGNING_REQUESTS.plural(),
            csrName);
    return new ForbiddenException(
        ref.describe()
            + " is forbidden: user not permitted to "
            + verb
            + " requests with signerName \""
            + signerName
            + "\"",
        ref);
  }
}
