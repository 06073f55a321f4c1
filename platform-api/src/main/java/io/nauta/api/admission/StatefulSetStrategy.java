package io.nauta.api.admission;

import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import tools.jackson.databind.node.ObjectNode;

/**
 * StatefulSets (apps/v1): upstream's {@code SetDefaults_StatefulSet} (the MaxUnavailableStatefulSet
 * gate off, so {@code maxUnavailable} stays unset and the controller takes 1), the template's
 * defaults, and each volume claim template's as a claim's ({@code volumeMode: Filesystem}, phase
 * Pending).
 */
final class StatefulSetStrategy implements ResourceStrategy {

  @Override
  public ResourceType type() {
    return BuiltInResources.STATEFULSETS;
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    ObjectNode spec = Defaults.object(obj, "spec");
    Defaults.text(spec, "podManagementPolicy", "OrderedReady");
    ObjectNode strategy = Defaults.object(spec, "updateStrategy");
    if (!strategy.hasNonNull("type") || strategy.get("type").asString().isEmpty()) {
      strategy.put("type", "RollingUpdate");
      Defaults.object(strategy, "rollingUpdate");
    }
    if ("RollingUpdate".equals(strategy.path("type").asString())
        && strategy.get("rollingUpdate") instanceof ObjectNode rolling) {
      Defaults.number(rolling, "partition", 0);
    }
    ObjectNode retention = Defaults.object(spec, "persistentVolumeClaimRetentionPolicy");
    Defaults.text(retention, "whenDeleted", "Retain");
    Defaults.text(retention, "whenScaled", "Retain");
    Defaults.number(spec, "replicas", 1);
    Defaults.number(spec, "revisionHistoryLimit", 10);
    PodSpecDefaults.apply(Defaults.object(Defaults.object(spec, "template"), "spec"), false);
    Defaults.eachObject(
        spec,
        "volumeClaimTemplates",
        claim -> {
          Defaults.text(Defaults.object(claim, "spec"), "volumeMode", "Filesystem");
          Defaults.text(Defaults.object(claim, "status"), "phase", "Pending");
        });
  }

  @Override
  public ObjectNode initialStatus(ObjectNode obj) {
    // StatefulSetStatus' replicas and availableReplicas are not omitempty.
    ObjectNode status = obj.objectNode();
    status.put("replicas", 0);
    status.put("availableReplicas", 0);
    return status;
  }

  @Override
  public boolean tracksGeneration() {
    return true;
  }
}
