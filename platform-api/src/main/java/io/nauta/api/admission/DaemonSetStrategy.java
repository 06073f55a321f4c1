package io.nauta.api.admission;

import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import tools.jackson.databind.node.ObjectNode;

/** DaemonSets: upstream's {@code SetDefaults_DaemonSet} (apps/v1) and the template's defaults. */
final class DaemonSetStrategy implements ResourceStrategy {

  @Override
  public ResourceType type() {
    return BuiltInResources.DAEMONSETS;
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    ObjectNode spec = Defaults.object(obj, "spec");
    ObjectNode template = Defaults.object(spec, "template");
    PodSpecDefaults.apply(Defaults.object(template, "spec"), false);
    ObjectNode strategy = Defaults.object(spec, "updateStrategy");
    Defaults.text(strategy, "type", "RollingUpdate");
    if ("RollingUpdate".equals(strategy.path("type").asString())) {
      ObjectNode rolling = Defaults.object(strategy, "rollingUpdate");
      // ints, not longs: the model's IntOrString reads only an int or a string
      if (!rolling.has("maxUnavailable") || rolling.get("maxUnavailable").isNull()) {
        rolling.put("maxUnavailable", 1);
      }
      if (!rolling.has("maxSurge") || rolling.get("maxSurge").isNull()) {
        rolling.put("maxSurge", 0);
      }
    }
    Defaults.number(spec, "revisionHistoryLimit", 10);
  }

  @Override
  public ObjectNode initialStatus(ObjectNode obj) {
    // DaemonSetStatus' counts are not omitempty: a new DaemonSet shows them as zeros.
    ObjectNode status = obj.objectNode();
    status.put("currentNumberScheduled", 0);
    status.put("numberMisscheduled", 0);
    status.put("desiredNumberScheduled", 0);
    status.put("numberReady", 0);
    return status;
  }

  @Override
  public boolean tracksGeneration() {
    return true;
  }
}
