package io.nauta.api.security.node;

import io.nauta.api.security.AuthorizationAttributes;
import io.nauta.api.security.Authorizer;
import io.nauta.api.security.bootstrap.BootstrapPolicy;
import io.nauta.api.security.rbac.PolicyRule;
import java.util.List;
import java.util.Optional;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Kubernetes' Node authorizer ({@code plugin/pkg/auth/authorizer/node}): a node ({@link
 * NodeIdentity}) may read a Secret, ConfigMap or PersistentVolumeClaim, and create a token for a
 * ServiceAccount, only when a pod bound to it refers to that object ({@link NodeGraph}); it may use
 * only its own Lease in {@code kube-node-lease}; everything else it may do is the same for every
 * node ({@link BootstrapPolicy#nodeRules()}), with NodeRestriction admission keeping each node to
 * its own Node and pods. Anything else, and every user who is no node, gets no opinion (RBAC
 * decides), with Kubernetes' reason.
 *
 * <p>Without the {@code AuthorizeNodeWithSelectors} feature (Kubernetes 1.32): nodes read every
 * Node and pod, as they did before it, since the request attributes carry no field selector.
 */
@Component
@Order(NodeAuthorizer.ORDER)
public class NodeAuthorizer implements Authorizer {

  /** After the privileged-group shortcut, before RBAC. */
  public static final int ORDER = 200;

  static final String NODE_LEASE_NAMESPACE = "kube-node-lease";

  private final NodeGraph graph;
  private final List<PolicyRule> nodeRules =
      BootstrapPolicy.nodeRules().stream().map(PolicyRule::fromJson).toList();

  public NodeAuthorizer(NodeGraph graph) {
    this.graph = graph;
  }

  @Override
  public Mono<Decision> authorize(AuthorizationAttributes a) {
    return Mono.fromSupplier(() -> decide(a));
  }

  Decision decide(AuthorizationAttributes a) {
    Optional<String> identity = NodeIdentity.nodeName(a.user());
    if (identity.isEmpty()) {
      return Decision.noOpinion();
    }
    String node = identity.get();
    if (node.isEmpty()) {
      return noOpinion("unknown node for user \"%s\"".formatted(a.user().name()));
    }
    if (a.resourceRequest()) {
      String group = a.apiGroup();
      String resource = a.resource();
      if (group.isEmpty()) {
        switch (resource) {
          case PodReferences.SECRETS, PodReferences.CONFIGMAPS -> {
            return readNamespacedObject(node, a);
          }
          case PodReferences.CLAIMS -> {
            return a.subresource().equals("status") ? statusUpdate(node, a) : get(node, a);
          }
          case PodReferences.VOLUMES -> {
            return get(node, a);
          }
          case PodReferences.SERVICE_ACCOUNTS -> {
            return createToken(node, a);
          }
          default -> {}
        }
      } else if (group.equals("coordination.k8s.io") && resource.equals("leases")) {
        return lease(node, a);
      }
    }
    return nodeRules.stream().anyMatch(r -> r.allows(a))
        ? Decision.allow("")
        : Decision.noOpinion();
  }

  private Decision statusUpdate(String node, AuthorizationAttributes a) {
    if (!a.verb().equals("update") && !a.verb().equals("patch")) {
      return noOpinion("can only get/update/patch this type");
    }
    return related(node, a);
  }

  private Decision get(String node, AuthorizationAttributes a) {
    if (!a.verb().equals("get")) {
      return noOpinion("can only get individual resources of this type");
    }
    if (!a.subresource().isEmpty()) {
      return noOpinion("cannot get subresource");
    }
    return related(node, a);
  }

  private Decision readNamespacedObject(String node, AuthorizationAttributes a) {
    if (!List.of("get", "list", "watch").contains(a.verb())) {
      return noOpinion("can only read resources of this type");
    }
    if (!a.subresource().isEmpty()) {
      return noOpinion("cannot read subresource");
    }
    if (a.namespace().isEmpty()) {
      return noOpinion("can only read namespaced object of this type");
    }
    return related(node, a);
  }

  private Decision related(String node, AuthorizationAttributes a) {
    if (a.name().isEmpty()) {
      return noOpinion("No Object name found");
    }
    return graph.related(node, a.resource(), a.namespace(), a.name())
        ? Decision.allow("")
        : noRelationship(node);
  }

  private Decision createToken(String node, AuthorizationAttributes a) {
    if (!a.verb().equals("create") || a.name().isEmpty()) {
      return noOpinion("can only create tokens for individual service accounts");
    }
    if (!a.subresource().equals("token")) {
      return noOpinion("can only create token subresource of serviceaccount");
    }
    return graph.related(node, a.resource(), a.namespace(), a.name())
        ? Decision.allow("")
        : noRelationship(node);
  }

  private static Decision lease(String node, AuthorizationAttributes a) {
    if (!List.of("get", "create", "update", "patch", "delete").contains(a.verb())) {
      return noOpinion("can only get, create, update, patch, or delete a node lease");
    }
    if (!a.namespace().equals(NODE_LEASE_NAMESPACE)) {
      return noOpinion(
          "can only access leases in the \"%s\" system namespace".formatted(NODE_LEASE_NAMESPACE));
    }
    // A create names no object yet: NodeRestriction checks the new Lease's name.
    if (!a.verb().equals("create") && !a.name().equals(node)) {
      return noOpinion("can only access node lease with the same name as the requesting node");
    }
    return Decision.allow("");
  }

  private static Decision noRelationship(String node) {
    return noOpinion("no relationship found between node '%s' and this object".formatted(node));
  }

  private static Decision noOpinion(String reason) {
    return new Decision(Decision.Verdict.NO_OPINION, reason);
  }
}
