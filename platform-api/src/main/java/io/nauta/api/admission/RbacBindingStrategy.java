package io.nauta.api.admission;

import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import tools.jackson.databind.node.ObjectNode;

/**
 * RoleBindings and ClusterRoleBindings: Kubernetes' v1 defaulting fills {@code roleRef.apiGroup}
 * and each User's and Group's {@code apiGroup}, so {@code kubectl create rolebinding} objects and
 * hand-written ones that leave it out validate alike.
 */
final class RbacBindingStrategy implements ResourceStrategy {

  private final ResourceType type;

  RbacBindingStrategy(ResourceType type) {
    this.type = type;
  }

  @Override
  public ResourceType type() {
    return type;
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    if (obj.get("roleRef") instanceof ObjectNode ref) {
      Defaults.text(ref, "apiGroup", BuiltInResources.RBAC_GROUP);
    }
    Defaults.eachObject(
        obj,
        "subjects",
        s -> {
          String kind = s.path("kind").asString("");
          if (kind.equals("User") || kind.equals("Group")) {
            Defaults.text(s, "apiGroup", BuiltInResources.RBAC_GROUP);
          }
        });
  }
}
