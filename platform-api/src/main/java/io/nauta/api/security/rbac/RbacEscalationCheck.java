package io.nauta.api.security.rbac;

import io.nauta.api.security.AuthorizationAttributes;
import io.nauta.api.security.AuthorizerChain;
import io.nauta.api.security.UserInfo;
import io.nauta.core.errors.ForbiddenException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes' privilege-escalation prevention for RBAC writes: a Role or ClusterRole may only be
 * written by someone who already holds every permission it grants (or may {@code escalate} it), and
 * a binding only by someone who holds every permission of the role it refers to (or may {@code
 * bind} it). Otherwise anyone allowed to write RBAC objects could grant themselves anything.
 *
 * <p>The writer comes from the Reactor context ({@link UserInfo#ATTRIBUTE}, put there by the
 * authorization filter); writes without one (security off, the server's own bootstrap) pass, as
 * Kubernetes lets its internal loopback client through.
 */
@Component
public class RbacEscalationCheck {

  private final RbacPolicySource policies;
  private final AuthorizerChain authorizers;

  public RbacEscalationCheck(RbacPolicySource policies, AuthorizerChain authorizers) {
    this.policies = policies;
    this.authorizers = authorizers;
  }

  /** Completes when {@code obj}, about to be stored as {@code type}, grants nothing new. */
  public Mono<Void> check(ResourceType type, ObjectNode obj) {
    if (type != BuiltInResources.ROLES
        && type != BuiltInResources.CLUSTER_ROLES
        && type != BuiltInResources.ROLE_BINDINGS
        && type != BuiltInResources.CLUSTER_ROLE_BINDINGS) {
      return Mono.empty();
    }
    return Mono.deferContextual(
        ctx -> {
          Optional<UserInfo> user = ctx.getOrEmpty(UserInfo.ATTRIBUTE);
          if (user.isEmpty() || user.get().groups().contains(UserInfo.MASTERS)) {
            return Mono.empty();
          }
          boolean role = type == BuiltInResources.ROLES || type == BuiltInResources.CLUSTER_ROLES;
          return role ? checkRole(user.get(), type, obj) : checkBinding(user.get(), type, obj);
        });
  }

  private Mono<Void> checkRole(UserInfo user, ResourceType type, ObjectNode role) {
    String namespace = namespaceOf(type, role);
    String name = role.path("metadata").path("name").asString("");
    AuthorizationAttributes escalate =
        AuthorizationAttributes.resource(
            user, "escalate", type.group(), type.version(), type.plural(), "", namespace, name);
    return authorizers
        .allows(escalate)
        .flatMap(
            allowed ->
                allowed
                    ? Mono.empty()
                    : confirmNoEscalation(
                        user, namespace, PolicyRule.allFromRole(role), type, name));
  }

  private Mono<Void> checkBinding(UserInfo user, ResourceType type, ObjectNode binding) {
    String namespace = namespaceOf(type, binding);
    String name = binding.path("metadata").path("name").asString("");
    JsonNode ref = binding.path("roleRef");
    String roleKind = ref.path("kind").asString("");
    String roleName = ref.path("name").asString("");
    ResourceType roleType =
        roleKind.equals("ClusterRole") ? BuiltInResources.CLUSTER_ROLES : BuiltInResources.ROLES;
    // Checked in the binding's namespace: one may be allowed to bind a ClusterRole in some
    // namespaces only.
    AuthorizationAttributes bind =
        AuthorizationAttributes.resource(
            user, "bind", roleType.group(), "", roleType.plural(), "", namespace, roleName);
    return authorizers
        .allows(bind)
        .flatMap(
            allowed -> {
              if (allowed) {
                return Mono.empty();
              }
              Optional<List<PolicyRule>> rules =
                  policies.policy().roleRules(roleKind, namespace, roleName);
              if (rules.isEmpty()) {
                return Mono.error(
                    forbidden(
                        type, name, roleType.groupResource() + " \"" + roleName + "\" not found"));
              }
              return confirmNoEscalation(user, namespace, rules.get(), type, name);
            });
  }

  private Mono<Void> confirmNoEscalation(
      UserInfo user, String namespace, List<PolicyRule> granted, ResourceType type, String name) {
    List<PolicyRule> held = policies.policy().rulesFor(user, namespace);
    List<PolicyRule> missing = RuleCoverage.missing(held, granted);
    if (missing.isEmpty()) {
      return Mono.empty();
    }
    return Mono.error(
        forbidden(
            type,
            name,
            "user \""
                + user.name()
                + "\" (groups="
                + RuleCoverage.goQuoted(user.groups())
                + ") is attempting to grant RBAC permissions not currently held:\n"
                + RuleCoverage.describe(missing)));
  }

  private static ForbiddenException forbidden(ResourceType type, String name, String why) {
    ResourceRef ref = new ResourceRef(type.group(), type.plural(), name);
    return new ForbiddenException(ref.describe() + " is forbidden: " + why, ref);
  }

  private static String namespaceOf(ResourceType type, ObjectNode obj) {
    return type.namespaced() ? obj.path("metadata").path("namespace").asString("") : "";
  }
}
