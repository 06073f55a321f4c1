package io.nauta.federation.status;

import io.nauta.federation.api.Karmada;
import tools.jackson.databind.JsonNode;

/**
 * Karmada's default health interpreter ({@code resourceinterpreter/default/native/healthy.go}): a
 * Deployment or StatefulSet is healthy when its controller observed the current generation, all
 * replicas are updated and the updated ones available; a ReplicaSet when the available reach the
 * desired; a DaemonSet when every scheduled pod is updated and available; a Service unless it is a
 * LoadBalancer without an ingress; a PVC when bound; a Pod when running and ready or succeeded. A
 * kind without an interpreter is healthy once it exists, as Karmada's work status controller treats
 * it.
 */
public final class Health {

  private Health() {}

  /** {@code Healthy}, {@code Unhealthy} or {@code Unknown} for the member's object. */
  public static String of(JsonNode object) {
    if (object == null) {
      return Karmada.HEALTH_UNKNOWN;
    }
    JsonNode spec = object.path("spec");
    JsonNode status = object.path("status");
    long generation = object.path("metadata").path("generation").asLong(0);
    long observed = status.path("observedGeneration").asLong(0);
    boolean healthy =
        switch (object.path("kind").asString("")) {
          case "Deployment", "StatefulSet" ->
              observed == generation
                  && (!spec.has("replicas")
                      || status.path("updatedReplicas").asInt(0) >= spec.path("replicas").asInt())
                  && status.path("availableReplicas").asInt(0)
                      >= status.path("updatedReplicas").asInt(0);
          case "ReplicaSet" ->
              observed == generation
                  && (!spec.has("replicas")
                      || status.path("availableReplicas").asInt(0)
                          >= spec.path("replicas").asInt());
          case "DaemonSet" ->
              observed == generation
                  && status.path("updatedNumberScheduled").asInt(0)
                      >= status.path("desiredNumberScheduled").asInt(0)
                  && status.path("numberAvailable").asInt(0)
                      >= status.path("updatedNumberScheduled").asInt(0);
          case "Service" ->
              !"LoadBalancer".equals(spec.path("type").asString(""))
                  || hasIngress(status.path("loadBalancer").path("ingress"));
          case "Ingress" -> hasIngress(status.path("loadBalancer").path("ingress"));
          case "PersistentVolumeClaim" -> "Bound".equals(status.path("phase").asString(""));
          case "Pod" -> podHealthy(status);
          default -> true;
        };
    return healthy ? Karmada.HEALTHY : Karmada.UNHEALTHY;
  }

  private static boolean hasIngress(JsonNode ingress) {
    for (JsonNode i : ingress.values()) {
      if (!i.path("ip").asString("").isEmpty() || !i.path("hostname").asString("").isEmpty()) {
        return true;
      }
    }
    return false;
  }

  private static boolean podHealthy(JsonNode status) {
    String phase = status.path("phase").asString("");
    if (phase.equals("Succeeded")) {
      return true;
    }
    if (!phase.equals("Running")) {
      return false;
    }
    for (JsonNode c : status.path("conditions").values()) {
      if ("Ready".equals(c.path("type").asString(""))
          && "True".equals(c.path("status").asString(""))) {
        return true;
      }
    }
    return false;
  }
}
