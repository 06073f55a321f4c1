package io.nauta.federation.status;

import io.nauta.federation.api.Karmada;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What of a member object's status the binding's {@code aggregatedStatus} shows, as Karmada's
 * {@code reflectstatus.go} picks it: for a workload the counts and {@code observedGeneration}, plus
 * the member object's {@code generation} and the template generation it was written from ({@code
 * resourceTemplateGeneration}), which the aggregation needs to say whether every member caught up;
 * for a Service or Ingress the load balancer; for a Job its progress; for other kinds the whole
 * status.
 */
public final class ReflectedStatus {

  private static final List<String> DEPLOYMENT =
      List.of(
          "replicas",
          "updatedReplicas",
          "readyReplicas",
          "availableReplicas",
          "unavailableReplicas",
          "observedGeneration");
  private static final List<String> STATEFUL_SET =
      List.of(
          "replicas",
          "readyReplicas",
          "currentReplicas",
          "updatedReplicas",
          "availableReplicas",
          "observedGeneration");
  private static final List<String> REPLICA_SET =
      List.of(
          "replicas",
          "fullyLabeledReplicas",
          "readyReplicas",
          "availableReplicas",
          "observedGeneration");
  private static final List<String> DAEMON_SET =
      List.of(
          "currentNumberScheduled",
          "desiredNumberScheduled",
          "numberAvailable",
          "numberMisscheduled",
          "numberReady",
          "updatedNumberScheduled",
          "numberUnavailable",
          "observedGeneration");
  private static final List<String> JOB =
      List.of(
          "active", "succeeded", "failed", "ready", "startTime", "completionTime", "conditions");

  private ReflectedStatus() {}

  /** The status to report, or null when the member object has none yet. */
  public static JsonNode of(JsonNode object) {
    JsonNode status = object.get("status");
    if (status == null || !status.isObject() || status.isEmpty()) {
      return null;
    }
    return switch (object.path("kind").asString("")) {
      case "Deployment" -> withGenerations(object, pick(status, DEPLOYMENT));
      case "StatefulSet" -> withGenerations(object, pick(status, STATEFUL_SET));
      case "ReplicaSet" -> withGenerations(object, pick(status, REPLICA_SET));
      case "DaemonSet" -> withGenerations(object, pick(status, DAEMON_SET));
      case "Job" -> pick(status, JOB);
      case "Service", "Ingress" -> pick(status, List.of("loadBalancer"));
      default -> status.deepCopy();
    };
  }

  private static ObjectNode pick(JsonNode status, List<String> fields) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (String f : fields) {
      JsonNode v = status.get(f);
      if (v != null && !v.isNull()) {
        out.set(f, v.deepCopy());
      }
    }
    return out;
  }

  private static ObjectNode withGenerations(JsonNode object, ObjectNode picked) {
    JsonNode meta = object.path("metadata");
    long generation = meta.path("generation").asLong(0);
    if (generation > 0) {
      picked.put("generation", generation);
    }
    long templateGeneration =
        meta.path("annotations").path(Karmada.RESOURCE_TEMPLATE_GENERATION_ANNOTATION).asLong(0);
    if (templateGeneration > 0) {
      picked.put("resourceTemplateGeneration", templateGeneration);
    }
    return picked;
  }
}
