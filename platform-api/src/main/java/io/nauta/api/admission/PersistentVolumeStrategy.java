package io.nauta.api.admission;

import io.nauta.api.resource.Meta;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.time.Instant;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * PersistentVolumes (v1): {@code SetDefaults_PersistentVolume} (reclaim policy {@code Retain},
 * volume mode {@code Filesystem}, a hostPath's type {@code ""}), a new volume starts {@code
 * Pending}, and the status strategy stamps {@code lastPhaseTransitionTime} when the phase changes
 * (PersistentVolumeLastPhaseTransitionTime, on since 1.29).
 */
final class PersistentVolumeStrategy implements ResourceStrategy {

  @Override
  public ResourceType type() {
    return BuiltInResources.PERSISTENT_VOLUMES;
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    ObjectNode spec = Defaults.object(obj, "spec");
    Defaults.text(spec, "persistentVolumeReclaimPolicy", "Retain");
    if (!spec.hasNonNull("volumeMode")) {
      spec.put("volumeMode", "Filesystem");
    }
    if (spec.get("hostPath") instanceof ObjectNode hostPath && !hostPath.hasNonNull("type")) {
      hostPath.put("type", "");
    }
  }

  @Override
  public ObjectNode initialStatus(ObjectNode obj) {
    return obj.objectNode()
        .put("phase", "Pending")
        .put("lastPhaseTransitionTime", Meta.timestamp(Instant.now()));
  }

  @Override
  public void prepareForStatusUpdate(ObjectNode updated, ObjectNode old) {
    ObjectNode status = Defaults.object(updated, "status");
    Defaults.text(status, "phase", "Pending");
    JsonNode oldStatus = old.path("status");
    String phase = status.path("phase").asString("");
    JsonNode time = status.get("lastPhaseTransitionTime");
    JsonNode oldTime = oldStatus.get("lastPhaseTransitionTime");
    boolean unset = time == null || time.isNull();
    if (phase.equals(oldStatus.path("phase").asString("")) && unset) {
      if (oldTime != null && !oldTime.isNull()) {
        status.set("lastPhaseTransitionTime", oldTime);
      }
    } else if (!phase.equals(oldStatus.path("phase").asString(""))
        && (unset || Objects.equals(time, oldTime))) {
      status.put("lastPhaseTransitionTime", Meta.timestamp(Instant.now()));
    }
  }
}
