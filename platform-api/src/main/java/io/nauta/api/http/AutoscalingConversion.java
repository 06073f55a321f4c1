package io.nauta.api.http;

import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * HorizontalPodAutoscalers between {@code autoscaling/v2} (stored) and {@code autoscaling/v1}
 * (served for older clients): v1's {@code targetCPUUtilizationPercentage} is v2's Resource cpu
 * metric with a Utilization target, {@code currentCPUUtilizationPercentage} its current
 * utilization. Unlike upstream, what v1 cannot express (other metrics, behavior, conditions) is not
 * kept in annotations: a v1 read omits it, a v1 write of an autoscaler that had it drops it.
 */
final class AutoscalingConversion {

  private static final String V1 = "autoscaling/v1";
  private static final String V2 = "autoscaling/v2";

  private AutoscalingConversion() {}

  static boolean applies(ResourceType type) {
    return type.group().equals(BuiltInResources.AUTOSCALING_GROUP)
        && type.plural().equals("horizontalpodautoscalers");
  }

  /** A stored v2 object as v1 shows it (a new tree). */
  static ObjectNode toV1(ObjectNode v2) {
    ObjectNode out = v2.deepCopy();
    out.put("apiVersion", V1);
    JsonNode spec = v2.get("spec");
    if (spec instanceof ObjectNode s) {
      ObjectNode v1Spec = out.putObject("spec");
      copy(s, v1Spec, "scaleTargetRef");
      copy(s, v1Spec, "minReplicas");
      copy(s, v1Spec, "maxReplicas");
      for (JsonNode m : s.path("metrics")) {
        JsonNode target = m.path("resource").path("target");
        if ("Resource".equals(m.path("type").asString(""))
            && "cpu".equals(m.path("resource").path("name").asString(""))
            && target.has("averageUtilization")) {
          v1Spec.set("targetCPUUtilizationPercentage", target.get("averageUtilization"));
        }
      }
    }
    JsonNode status = v2.get("status");
    if (status instanceof ObjectNode st) {
      ObjectNode v1Status = out.putObject("status");
      copy(st, v1Status, "observedGeneration");
      copy(st, v1Status, "lastScaleTime");
      v1Status.put("currentReplicas", st.path("currentReplicas").asInt(0));
      v1Status.put("desiredReplicas", st.path("desiredReplicas").asInt(0));
      for (JsonNode m : st.path("currentMetrics")) {
        JsonNode current = m.path("resource").path("current");
        if ("Resource".equals(m.path("type").asString(""))
            && "cpu".equals(m.path("resource").path("name").asString(""))
            && current.has("averageUtilization")) {
          v1Status.set("currentCPUUtilizationPercentage", current.get("averageUtilization"));
        }
      }
    }
    return out;
  }

  /** A v1 body as it is stored (changed in place). */
  static ObjectNode toV2(ObjectNode v1) {
    v1.put("apiVersion", V2);
    if (v1.get("spec") instanceof ObjectNode spec) {
      JsonNode cpu = spec.remove("targetCPUUtilizationPercentage");
      if (cpu != null && !cpu.isNull()) {
        ArrayNode metrics = spec.putArray("metrics");
        ObjectNode resource = metrics.addObject().put("type", "Resource").putObject("resource");
        resource.put("name", "cpu");
        resource.putObject("target").put("type", "Utilization").set("averageUtilization", cpu);
      }
    }
    if (v1.get("status") instanceof ObjectNode status) {
      JsonNode cpu = status.remove("currentCPUUtilizationPercentage");
      if (cpu != null && !cpu.isNull()) {
        ArrayNode metrics = status.putArray("currentMetrics");
        ObjectNode resource = metrics.addObject().put("type", "Resource").putObject("resource");
        resource.put("name", "cpu");
        resource.putObject("current").set("averageUtilization", cpu);
      }
    }
    return v1;
  }

  private static void copy(ObjectNode from, ObjectNode to, String field) {
    if (from.has(field)) {
      to.set(field, from.get(field));
    }
  }
}
