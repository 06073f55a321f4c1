package io.nauta.api.admission;

import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;

/**
 * Ingresses (networking.k8s.io/v1): no defaults in v1 (a path's {@code pathType} is required, not
 * defaulted as in v1beta1); {@code metadata.generation} follows the spec, as upstream's strategy.
 */
final class IngressStrategy implements ResourceStrategy {

  @Override
  public ResourceType type() {
    return BuiltInResources.INGRESSES;
  }

  @Override
  public boolean tracksGeneration() {
    return true;
  }
}
