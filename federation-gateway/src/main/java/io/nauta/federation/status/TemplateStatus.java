package io.nauta.federation.status;

import io.nauta.federation.api.AggregatedStatusItem;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The template's status at the gateway from its members' ({@code aggregatestatus.go}): for a
 * Deployment or StatefulSet the sums of the counts, with {@code observedGeneration} the template's
 * generation only once every member's object observed the generation the gateway wrote from it
 * (else the previous value), so {@code kubectl rollout status} at the gateway waits for every
 * member; a Deployment also gets {@code Available} and {@code Progressing} conditions derived from
 * the sums. A Job sums its pods and completes when every member's completes. A LoadBalancer Service
 * gathers its members' ingresses. Other kinds: null (the template's status is left alone).
 */
public final class TemplateStatus {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private TemplateStatus() {}

  /**
   * The new status of {@code template} from {@code items} (one per targeted cluster), or null when
   * the kind's status is not aggregated.
   */
  public static ObjectNode aggregate(
      JsonNode template, List<AggregatedStatusItem> items, Instant now) {
    return switch (template.path("kind").asString("")) {
      case "Deployment" -> deployment(template, items, now);
      case "StatefulSet" ->
          workload(
              template,
              items,
              List.of(
                  "replicas",
                  "readyReplicas",
                  "currentReplicas",
                  "updatedReplicas",
                  "availableReplicas"));
      case "Job" -> job(template, items);
      case "Service" -> service(template, items);
      default -> null;
    };
  }

  private static ObjectNode workload(
      JsonNode template, List<AggregatedStatusItem> items, List<String> counts) {
    ObjectNode old =
        template.path("status").isObject()
            ? (ObjectNode) template.path("status")
            : JSON.objectNode();
    ObjectNode status = old.deepCopy();
    long generation = template.path("metadata").path("generation").asLong(0);
    long[] sums = new long[counts.size()];
    int caughtUp = 0;
    for (AggregatedStatusItem item : items) {
      JsonNode s = item.status();
      if (s == null || !s.isObject()) {
        continue;
      }
      for (int i = 0; i < counts.size(); i++) {
        sums[i] += s.path(counts.get(i)).asLong(0);
      }
      if (s.path("observedGeneration").asLong(0) >= s.path("generation").asLong(0)
          && s.path("resourceTemplateGeneration").asLong(0) >= generation) {
        caughtUp++;
      }
    }
    for (int i = 0; i < counts.size(); i++) {
      status.put(counts.get(i), sums[i]);
    }
    if (!items.isEmpty() && caughtUp == items.size()) {
      status.put("observedGeneration", generation);
    }
    return status;
  }

  private static ObjectNode deployment(
      JsonNode template, List<AggregatedStatusItem> items, Instant now) {
    ObjectNode status =
        workload(
            template,
            items,
            List.of(
                "replicas",
                "updatedReplicas",
                "readyReplicas",
                "availableReplicas",
                "unavailableReplicas"));
    long generation = template.path("metadata").path("generation").asLong(0);
    int desired = template.path("spec").path("replicas").asInt(1);
    long available = status.path("availableReplicas").asLong(0);
    long updated = status.path("updatedReplicas").asLong(0);
    long replicas = status.path("replicas").asLong(0);
    boolean current = status.path("observedGeneration").asLong(0) >= generation;
    boolean minimum = available >= desired - maxUnavailable(template.path("spec"), desired);
    ArrayNode conditions = JSON.arrayNode();
    conditions.add(
        condition(
            template,
            "Available",
            minimum,
            minimum ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
            minimum
                ? "Deployment has minimum availability."
                : "Deployment does not have minimum availability.",
            now));
    boolean complete = current && updated == desired && replicas == desired && available == desired;
    String name = template.path("metadata").path("name").asString("");
    conditions.add(
        condition(
            template,
            "Progressing",
            true,
            complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
            complete
                ? "Deployment \"" + name + "\" has successfully progressed in every member cluster."
                : "Deployment \"" + name + "\" is progressing in the member clusters.",
            now));
    status.set("conditions", conditions);
    return status;
  }

  /** Kubernetes' maxUnavailable: 25% by default, a percentage rounded down, 0 for Recreate. */
  static int maxUnavailable(JsonNode spec, int desired) {
    JsonNode strategy = spec.path("strategy");
    if ("Recreate".equals(strategy.path("type").asString(""))) {
      return 0;
    }
    JsonNode v = strategy.path("rollingUpdate").path("maxUnavailable");
    if (v.isNumber()) {
      return v.asInt();
    }
    String text = v.isString() ? v.asString() : "25%";
    if (text.endsWith("%")) {
      try {
        return (int)
            Math.floor(desired * Integer.parseInt(text.substring(0, text.length() - 1)) / 100.0);
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** A condition that keeps its transition time while its status does not change. */
  private static ObjectNode condition(
      JsonNode template, String type, boolean status, String reason, String message, Instant now) {
    String value = status ? "True" : "False";
    String transition = now.toString();
    String update = now.toString();
    for (JsonNode c : template.path("status").path("conditions").values()) {
      if (type.equals(c.path("type").asString("")) && value.equals(c.path("status").asString(""))) {
        transition = c.path("lastTransitionTime").asString(transition);
        if (reason.equals(c.path("reason").asString(""))
            && message.equals(c.path("message").asString(""))) {
          update = c.path("lastUpdateTime").asString(update);
        }
      }
    }
    ObjectNode c = JSON.objectNode();
    c.put("type", type);
    c.put("status", value);
    c.put("lastUpdateTime", update);
    c.put("lastTransitionTime", transition);
    c.put("reason", reason);
    c.put("message", message);
    return c;
  }

  private static ObjectNode job(JsonNode template, List<AggregatedStatusItem> items) {
    ObjectNode status =
        template.path("status").isObject()
            ? ((ObjectNode) template.path("status")).deepCopy()
            : JSON.objectNode();
    long active = 0;
    long succeeded = 0;
    long failed = 0;
    int complete = 0;
    String failedCluster = null;
    String start = null;
    String end = null;
    for (AggregatedStatusItem item : items) {
      JsonNode s = item.status();
      if (s == null || !s.isObject()) {
        continue;
      }
      active += s.path("active").asLong(0);
      succeeded += s.path("succeeded").asLong(0);
      failed += s.path("failed").asLong(0);
      String st = s.path("startTime").asString(null);
      if (st != null && (start == null || st.compareTo(start) < 0)) {
        start = st;
      }
      for (JsonNode c : s.path("conditions").values()) {
        if ("True".equals(c.path("status").asString(""))) {
          if ("Complete".equals(c.path("type").asString(""))) {
            complete++;
            String ct = s.path("completionTime").asString(null);
            if (ct != null && (end == null || ct.compareTo(end) > 0)) {
              end = ct;
            }
          } else if ("Failed".equals(c.path("type").asString(""))) {
            failedCluster = item.clusterName();
          }
        }
      }
    }
    status.put("active", active);
    status.put("succeeded", succeeded);
    status.put("failed", failed);
    if (start != null) {
      status.put("startTime", start);
    }
    ArrayNode conditions = JSON.arrayNode();
    if (failedCluster != null) {
      ObjectNode c = conditions.addObject();
      c.put("type", "Failed");
      c.put("status", "True");
      c.put("reason", "JobFailed");
      c.put("message", "Job executed failed in member cluster " + failedCluster);
    } else if (!items.isEmpty() && complete == items.size()) {
      ObjectNode c = conditions.addObject();
      c.put("type", "Complete");
      c.put("status", "True");
      c.put("reason", "Completed");
      c.put("message", "Job completed");
      if (end != null) {
        status.put("completionTime", end);
      }
    }
    if (!conditions.isEmpty()) {
      status.set("conditions", conditions);
    }
    return status;
  }

  private static ObjectNode service(JsonNode template, List<AggregatedStatusItem> items) {
    if (!"LoadBalancer".equals(template.path("spec").path("type").asString(""))) {
      return null;
    }
    ArrayNode ingress = JSON.arrayNode();
    for (AggregatedStatusItem item : items) {
      if (item.status() != null) {
        for (JsonNode i : item.status().path("loadBalancer").path("ingress").values()) {
          ingress.add(i.deepCopy());
        }
      }
    }
    ObjectNode status = JSON.objectNode();
    status.putObject("loadBalancer").set("ingress", ingress);
    return status;
  }
}
