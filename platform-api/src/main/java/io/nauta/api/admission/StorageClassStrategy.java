package io.nauta.api.admission;

import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import tools.jackson.databind.node.ObjectNode;

/**
 * StorageClasses (storage.k8s.io/v1): {@code SetDefaults_StorageClass}, reclaim policy {@code
 * Delete} and binding mode {@code Immediate}.
 */
final class StorageClassStrategy implements ResourceStrategy {

  @Override
  public ResourceType type() {
    return BuiltInResources.STORAGE_CLASSES;
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    if (!obj.hasNonNull("reclaimPolicy")) {
      obj.put("reclaimPolicy", "Delete");
    }
    if (!obj.hasNonNull("volumeBindingMode")) {
      obj.put("volumeBindingMode", "Immediate");
    }
  }
}
