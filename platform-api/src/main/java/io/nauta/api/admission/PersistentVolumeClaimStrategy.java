package io.nauta.api.admission;

import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import tools.jackson.databind.node.ObjectNode;

/**
 * PersistentVolumeClaims (v1): {@code SetDefaults_PersistentVolumeClaimSpec} (volume mode {@code
 * Filesystem}) and {@code SetDefaults_PersistentVolumeClaim} (phase {@code Pending}, also on status
 * writes, as decoding defaults every write).
 */
final class PersistentVolumeClaimStrategy implements ResourceStrategy {

  @Override
  public ResourceType type() {
    return BuiltInResources.PERSISTENT_VOLUME_CLAIMS;
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    ObjectNode spec = Defaults.object(obj, "spec");
    if (!spec.hasNonNull("volumeMode")) {
      spec.put("volumeMode", "Filesystem");
    }
  }

  @Override
  public ObjectNode initialStatus(ObjectNode obj) {
    return obj.objectNode().put("phase", "Pending");
  }

  @Override
  public void prepareForStatusUpdate(ObjectNode updated, ObjectNode old) {
    Defaults.text(Defaults.object(updated, "status"), "phase", "Pending");
  }
}
