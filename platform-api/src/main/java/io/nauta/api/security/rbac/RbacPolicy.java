package io.nauta.api.security.rbac;

import io.nauta.api.security.AuthorizationAttributes;
import io.nauta.api.security.UserInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * An immutable snapshot of every Role, ClusterRole and binding, indexed by subject, so a decision
 * looks only at the bindings naming the user, one of its groups or its service account: Kubernetes'
 * {@code DefaultRuleResolver.VisitRulesFor}, without scanning every binding on every request.
 */
public final class RbacPolicy {

  /** One binding of a subject to a role: cluster-wide when {@code namespace} is empty. */
  record Grant(String namespace, String roleKind, String roleName, String description) {}

  private final Map<String, List<PolicyRule>> clusterRoles;
  private final Map<String, List<PolicyRule>> roles; // "namespace/name"
  private final Map<String, List<Grant>> bySubject;

  private RbacPolicy(
      Map<String, List<PolicyRule>> clusterRoles,
      Map<String, List<PolicyRule>> roles,
      Map<String, List<Grant>> bySubject) {
    this.clusterRoles = clusterRoles;
    this.roles = roles;
    this.bySubject = bySubject;
  }

  public static RbacPolicy empty() {
    return new RbacPolicy(Map.of(), Map.of(), Map.of());
  }

  /** Builds the index from the stored objects (JSON trees, never mutated). */
  public static RbacPolicy of(
      List<JsonNode> roleObjects,
      List<JsonNode> clusterRoleObjects,
      List<JsonNode> roleBindings,
      List<JsonNode> clusterRoleBindings) {
    Map<String, List<PolicyRule>> roles = new HashMap<>();
    for (JsonNode r : roleObjects) {
      roles.put(namespace(r) + "/" + name(r), PolicyRule.allFromRole(r));
    }
    Map<String, List<PolicyRule>> clusterRoles = new HashMap<>();
    for (JsonNode r : clusterRoleObjects) {
      clusterRoles.put(name(r), PolicyRule.allFromRole(r));
    }
    Map<String, List<Grant>> bySubject = new HashMap<>();
    for (JsonNode b : clusterRoleBindings) {
      index(bySubject, b, "", "ClusterRoleBinding");
    }
    for (JsonNode b : roleBindings) {
      index(bySubject, b, namespace(b), "RoleBinding");
    }
    return new RbacPolicy(clusterRoles, roles, bySubject);
  }

  private static void index(
      Map<String, List<Grant>> bySubject, JsonNode binding, String namespace, String kind) {
    JsonNode ref = binding.path("roleRef");
    String roleKind = ref.path("kind").asString("");
    String roleName = ref.path("name").asString("");
    for (JsonNode s : binding.path("subjects")) {
      String key = subjectKey(s, namespace);
      if (key == null) {
        continue;
      }
      // As Kubernetes words it: RoleBinding "name/namespace" of Role "r" to User "u".
      String description =
          "%s \"%s\" of %s \"%s\" to %s \"%s\""
              .formatted(
                  kind,
                  namespace.isEmpty() ? name(binding) : name(binding) + "/" + namespace,
                  roleKind,
                  roleName,
                  s.path("kind").asString(""),
                  s.path("name").asString(""));
      bySubject
          .computeIfAbsent(key, k -> new ArrayList<>())
          .add(new Grant(namespace, roleKind, roleName, description));
    }
  }

  /**
   * The index key of a binding's subject. A ServiceAccount without a namespace in a RoleBinding
   * means one of the binding's namespace, as Kubernetes' {@code appliesToUser} reads it.
   */
  static String subjectKey(JsonNode subject, String bindingNamespace) {
    String name = subject.path("name").asString("");
    return switch (subject.path("kind").asString("")) {
      case "User" -> "User:" + name;
      case "Group" -> "Group:" + name;
      case "ServiceAccount" -> {
        String ns = subject.path("namespace").asString("");
        ns = ns.isEmpty() ? bindingNamespace : ns;
        yield ns.isEmpty() ? null : "User:system:serviceaccount:" + ns + ":" + name;
      }
      default -> null;
    };
  }

  private List<Grant> grantsOf(UserInfo user) {
    List<Grant> out = new ArrayList<>(bySubject.getOrDefault("User:" + user.name(), List.of()));
    for (String g : user.groups()) {
      out.addAll(bySubject.getOrDefault("Group:" + g, List.of()));
    }
    return out;
  }

  /** The grants that apply in {@code namespace}: cluster-wide ones and that namespace's. */
  private List<Grant> applicable(UserInfo user, String namespace) {
    return grantsOf(user).stream()
        .filter(g -> g.namespace().isEmpty() || g.namespace().equals(namespace))
        .toList();
  }

  private List<PolicyRule> rulesOf(Grant g) {
    if (g.roleKind().equals("ClusterRole")) {
      return clusterRoles.getOrDefault(g.roleName(), List.of());
    }
    return roles.getOrDefault(g.namespace() + "/" + g.roleName(), List.of());
  }

  /** Why the request is allowed (the binding that grants it), or empty: no opinion. */
  public Optional<String> allowedBy(AuthorizationAttributes a) {
    for (Grant g : applicable(a.user(), a.namespace())) {
      for (PolicyRule r : rulesOf(g)) {
        if (r.allows(a)) {
          return Optional.of("RBAC: allowed by " + g.description());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Every rule the user holds in {@code namespace} (cluster-wide rules included; empty namespace:
   * only cluster-wide ones), for rules reviews and escalation checks.
   */
  public List<PolicyRule> rulesFor(UserInfo user, String namespace) {
    List<PolicyRule> out = new ArrayList<>();
    for (Grant g : applicable(user, namespace)) {
      out.addAll(rulesOf(g));
    }
    return out;
  }

  /** The rules of a role a binding refers to, or empty when it does not exist. */
  public Optional<List<PolicyRule>> roleRules(String kind, String namespace, String name) {
    return Optional.ofNullable(
        kind.equals("ClusterRole") ? clusterRoles.get(name) : roles.get(namespace + "/" + name));
  }

  private static String name(JsonNode obj) {
    return obj.path("metadata").path("name").asString("");
  }

  private static String namespace(JsonNode obj) {
    return obj.path("metadata").path("namespace").asString("");
  }
}
