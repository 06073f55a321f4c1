package io.nauta.api.admission;

import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import tools.jackson.databind.node.ObjectNode;

/**
 * IngressClasses (networking.k8s.io/v1): {@code SetDefaults_IngressClass}, parameters without a
 * scope are {@code Cluster}-scoped; {@code metadata.generation} follows the spec.
 */
final class IngressClassStrategy implements ResourceStrategy {

  @Override
  public ResourceType type() {
    return BuiltInResources.INGRESS_CLASSES;
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    // only a missing scope (a pointer in Go): "" stays and is refused
    if (obj.path("spec").get("parameters") instanceof ObjectNode params
        && !params.hasNonNull("scope")) {
      params.put("scope", "Cluster");
    }
  }

  @Override
  public boolean tracksGeneration() {
    return true;
  }
}
