package io.nauta.federation.apiserver;

import static io.nauta.api.security.bootstrap.BootstrapPolicy.binding;
import static io.nauta.api.security.bootstrap.BootstrapPolicy.role;
import static io.nauta.api.security.bootstrap.BootstrapPolicy.rule;
import static io.nauta.api.security.bootstrap.BootstrapPolicy.subject;

import io.nauta.api.security.bootstrap.BootstrapPolicyContribution;
import io.nauta.core.pki.ClusterPki;
import io.nauta.federation.api.Karmada;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway's additions to the bootstrap RBAC policy. The federation controllers run as {@code
 * system:kube-controller-manager} (the gateway's PKI identity) and need, besides that user's
 * defaults: every verb on Karmada's kinds (their status and finalizers included), and on any
 * template kind what the detector and status aggregation do: read it, claim it (labels,
 * annotations: update, patch), write its status. And Karmada's namespaced kinds join the {@code
 * admin}, {@code edit} and {@code view} roles, as Karmada's own aggregated roles do.
 */
final class KarmadaRbac implements BootstrapPolicyContribution {

  static final String CONTROLLERS_ROLE = "nauta:federation-controllers";
  private static final String AGGREGATE_TO = "rbac.authorization.k8s.io/aggregate-to-";

  private static final List<String> GROUPS =
      List.of(Karmada.CLUSTER_GROUP, Karmada.POLICY_GROUP, Karmada.WORK_GROUP, Karmada.MCS_GROUP);
  private static final List<String> READ = List.of("get", "list", "watch");
  private static final List<String> WRITE =
      List.of("create", "delete", "deletecollection", "patch", "update");
  private static final List<String> NAMESPACED_POLICY =
      List.of(
          Karmada.PROPAGATION_POLICIES,
          Karmada.OVERRIDE_POLICIES,
          Karmada.SERVICE_EXPORTS,
          Karmada.SERVICE_IMPORTS);

  @Override
  public List<ObjectNode> clusterRoles() {
    return List.of(
        role(
            CONTROLLERS_ROLE,
            Map.of(),
            rule(List.of("*"), GROUPS, List.of("*")),
            rule(List.of("get", "list", "watch", "patch", "update"), List.of("*"), List.of("*")),
            rule(
                List.of("create", "patch", "update"),
                List.of("", "events.k8s.io"),
                List.of("events"))),
        role(
            "karmada:aggregate-to-admin",
            Map.of(AGGREGATE_TO + "admin", "true"),
            rule(concat(READ, WRITE), GROUPS, NAMESPACED_POLICY),
            rule(READ, List.of(Karmada.WORK_GROUP), List.of(Karmada.RESOURCE_BINDINGS))),
        role(
            "karmada:aggregate-to-edit",
            Map.of(AGGREGATE_TO + "edit", "true"),
            rule(concat(READ, WRITE), GROUPS, NAMESPACED_POLICY),
            rule(READ, List.of(Karmada.WORK_GROUP), List.of(Karmada.RESOURCE_BINDINGS))),
        role(
            "karmada:aggregate-to-view",
            Map.of(AGGREGATE_TO + "view", "true"),
            rule(READ, GROUPS, concat(NAMESPACED_POLICY, List.of(Karmada.RESOURCE_BINDINGS)))));
  }

  @Override
  public List<ObjectNode> clusterRoleBindings() {
    return List.of(
        binding(
            CONTROLLERS_ROLE,
            CONTROLLERS_ROLE,
            subject("User", ClusterPki.CONTROLLER_MANAGER_USER)));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
