package io.nauta.api.admission;

import io.nauta.core.registry.ResourceType;
import tools.jackson.databind.node.ObjectNode;

/** Deployments and replica sets: replica count, rollout strategy and template defaults. */
final class WorkloadStrategy implements ResourceStrategy {

  private final ResourceType type;
  private final boolean deployment;

  WorkloadStrategy(ResourceType type, boolean deployment) {
    this.type = type;
    this.deployment = deployment;
  }

  @Override
  public ResourceType type() {
    return type;
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    ObjectNode spec = Defaults.object(obj, "spec");
    Defaults.number(spec, "replicas", 1);
    ObjectNode template = Defaults.object(spec, "template");
    PodSpecDefaults.apply(Defaults.object(template, "spec"), false);
    if (deployment) {
      Defaults.number(spec, "revisionHistoryLimit", 10);
      Defaults.number(spec, "progressDeadlineSeconds", 600);
      ObjectNode strategy = Defaults.object(spec, "strategy");
      Defaults.text(strategy, "type", "RollingUpdate");
      if ("RollingUpdate".equals(strategy.path("type").asString())) {
        ObjectNode rolling = Defaults.object(strategy, "rollingUpdate");
        Defaults.text(rolling, "maxSurge", "25%");
        Defaults.text(rolling, "maxUnavailable", "25%");
      }
    }
  }

  @Override
  public ObjectNode initialStatus(ObjectNode obj) {
    return obj.objectNode();
  }

  @Override
  public boolean tracksGeneration() {
    return true;
  }
}
