package io.nauta.api.security.bootstrap;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * Defaults that a server built on this one (the federation gateway) adds to the {@link
 * BootstrapPolicy}, as a bean: reconciled with it, created at start and repaired the same way, and
 * the server reports ready only once they are in place too.
 */
public interface BootstrapPolicyContribution {

  /** ClusterRoles, as {@code rbac.authorization.k8s.io/v1} objects. */
  List<ObjectNode> clusterRoles();

  /** ClusterRoleBindings, as {@code rbac.authorization.k8s.io/v1} objects. */
  List<ObjectNode> clusterRoleBindings();
}
