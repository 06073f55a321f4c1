package io.nauta.api.admission;

import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import tools.jackson.databind.node.ObjectNode;

/**
 * EndpointSlices (discovery.k8s.io/v1): upstream's {@code SetDefaults_EndpointPort} (a port's
 * {@code name} is {@code ""} and its {@code protocol} {@code TCP} when left out).
 */
final class EndpointSliceStrategy implements ResourceStrategy {

  @Override
  public ResourceType type() {
    return BuiltInResources.ENDPOINT_SLICES;
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    Defaults.eachObject(
        obj,
        "ports",
        port -> {
          Defaults.text(port, "name", "");
          Defaults.text(port, "protocol", "TCP");
        });
  }
}
