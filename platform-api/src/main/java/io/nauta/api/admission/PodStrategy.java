package io.nauta.api.admission;

import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Pods: spec defaults, and a new pod starts {@code Pending} with its QoS class. */
final class PodStrategy implements ResourceStrategy {

  @Override
  public ResourceType type() {
    return BuiltInResources.PODS;
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    PodSpecDefaults.apply(Defaults.object(obj, "spec"), true);
  }

  @Override
  public void applyAdmissionDefaults(ObjectNode obj) {
    PodSpecDefaults.admission(Defaults.object(obj, "spec"));
  }

  @Override
  public void afterMutatingAdmission(ObjectNode obj) {
    // LimitRanger may have given the containers requests and limits: the class is the final pod's.
    if (obj.get("status") instanceof ObjectNode status && status.has("qosClass")) {
      status.put("qosClass", qosClass(obj.path("spec")));
    }
  }

  @Override
  public ObjectNode initialStatus(ObjectNode obj) {
    ObjectNode status = obj.objectNode();
    status.put("phase", "Pending");
    status.put("qosClass", qosClass(obj.path("spec")));
    return status;
  }

  @Override
  public boolean tracksGeneration() {
    return true;
  }

  /** Kubernetes' QoS classes: no requests or limits at all, limits equal requests, or between. */
  static String qosClass(JsonNode spec) {
    boolean any = false;
    boolean guaranteed = true;
    for (String list : new String[] {"initContainers", "containers"}) {
      for (JsonNode c : spec.path(list)) {
        JsonNode requests = c.path("resources").path("requests");
        JsonNode limits = c.path("resources").path("limits");
        for (String r : new String[] {"cpu", "memory"}) {
          // Only CPU and memory decide the class: a pod asking for nothing but a GPU is BestEffort.
          if (nonZero(requests.get(r)) || nonZero(limits.get(r))) {
            any = true;
          }
          JsonNode limit = limits.get(r);
          JsonNode request = requests.get(r);
          if (limit == null || (request != null && !request.asString().equals(limit.asString()))) {
            guaranteed = false;
          }
        }
      }
    }
    if (!any) {
      return "BestEffort";
    }
    return guaranteed ? "Guaranteed" : "Burstable";
  }

  private static boolean nonZero(JsonNode quantity) {
    if (quantity == null || quantity.isNull()) {
      return false;
    }
    String q = quantity.isNumber() ? quantity.asString() : quantity.asString("");
    return !q.isEmpty() && !q.matches("[+-]?0*(\\.0*)?[a-zA-Z]*");
  }
}
