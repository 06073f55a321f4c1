package io.nauta.api.http;

import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * HorizontalPodAutoscalers between {@code autoscaling/v2} (stored) and {@code autoscaling/v1}
 * (served for older clients, and what {@code kubectl autoscale} posts up to 1.33): v1's {@code
 * targetCPUUtilizationPercentage} is v2's Resource cpu metric with a Utilization target, {@code
 * currentCPUUtilizationPercentage} its current utilization. What v1 cannot express rides in
 * annotations, as upstream's conversion keeps it, so a v1 read-modify-write loses nothing: the
 * other metrics, the behavior, the other current metrics and the conditions. (Upstream writes the
 * metrics in the older v2beta1 shape; these hold v2's, which only Nauta reads back.)
 */
final class AutoscalingConversion {

  private static final String V1 = "autoscaling/v1";
  private static final String V2 = "autoscaling/v2";
  static final String METRICS = "autoscaling.alpha.kubernetes.io/metrics";
  static final String BEHAVIOR = "autoscaling.alpha.kubernetes.io/behavior";
  static final String CURRENT_METRICS = "autoscaling.alpha.kubernetes.io/current-metrics";
  static final String CONDITIONS = "autoscaling.alpha.kubernetes.io/conditions";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private AutoscalingConversion() {}

  static boolean applies(ResourceType type) {
    return type.group().equals(BuiltInResources.AUTOSCALING_GROUP)
        && type.plural().equals("horizontalpodautoscalers");
  }

  private static boolean isCpu(JsonNode metric, String field) {
    return "Resource".equals(metric.path("type").asString(""))
        && "cpu".equals(metric.path("resource").path("name").asString(""))
        && metric.path("resource").path(field).has("averageUtilization");
  }

  /** A stored v2 object as v1 shows it (a new tree). */
  static ObjectNode toV1(ObjectNode v2) {
    ObjectNode out = v2.deepCopy();
    out.put("apiVersion", V1);
    if (v2.get("spec") instanceof ObjectNode s) {
      ObjectNode v1Spec = out.putObject("spec");
      copy(s, v1Spec, "scaleTargetRef");
      copy(s, v1Spec, "minReplicas");
      copy(s, v1Spec, "maxReplicas");
      annotate(
          out,
          METRICS,
          splitCpu(s.path("metrics"), "target", v1Spec, "targetCPUUtilizationPercentage"));
      annotate(out, BEHAVIOR, s.get("behavior"));
    }
    if (v2.get("status") instanceof ObjectNode st) {
      ObjectNode v1Status = out.putObject("status");
      copy(st, v1Status, "observedGeneration");
      copy(st, v1Status, "lastScaleTime");
      v1Status.put("currentReplicas", st.path("currentReplicas").asInt(0));
      v1Status.put("desiredReplicas", st.path("desiredReplicas").asInt(0));
      annotate(
          out,
          CURRENT_METRICS,
          splitCpu(
              st.path("currentMetrics"), "current", v1Status, "currentCPUUtilizationPercentage"));
      annotate(out, CONDITIONS, st.get("conditions"));
    }
    return out;
  }

  /** A v1 body as it is stored (changed in place). */
  static ObjectNode toV2(ObjectNode v1) {
    v1.put("apiVersion", V2);
    JsonNode otherMetrics = take(v1, METRICS);
    JsonNode behavior = take(v1, BEHAVIOR);
    JsonNode otherCurrent = take(v1, CURRENT_METRICS);
    JsonNode conditions = take(v1, CONDITIONS);
    if (v1.get("spec") instanceof ObjectNode spec) {
      ArrayNode metrics =
          joinCpu(spec.remove("targetCPUUtilizationPercentage"), "target", otherMetrics);
      if (!metrics.isEmpty()) {
        spec.set("metrics", metrics);
      }
      if (behavior != null && behavior.isObject()) {
        spec.set("behavior", behavior);
      }
    }
    if (v1.get("status") instanceof ObjectNode status) {
      ArrayNode metrics =
          joinCpu(status.remove("currentCPUUtilizationPercentage"), "current", otherCurrent);
      if (!metrics.isEmpty()) {
        status.set("currentMetrics", metrics);
      }
      if (conditions != null && conditions.isArray()) {
        status.set("conditions", conditions);
      }
    }
    return v1;
  }

  /**
   * Sets v1's {@code field} from the first Resource cpu utilization among {@code metrics} ({@code
   * part} is {@code target} or {@code current}); the other metrics are returned.
   */
  private static ArrayNode splitCpu(JsonNode metrics, String part, ObjectNode v1, String field) {
    ArrayNode others = JSON.createArrayNode();
    boolean taken = false;
    for (JsonNode m : metrics) {
      if (!taken && isCpu(m, part)) {
        v1.set(field, m.path("resource").path(part).get("averageUtilization"));
        taken = true;
      } else {
        others.add(m);
      }
    }
    return others;
  }

  /** v2's metrics from v1's cpu utilization (may be null) and the annotated others. */
  private static ArrayNode joinCpu(JsonNode cpu, String part, JsonNode others) {
    ArrayNode metrics = JSON.createArrayNode();
    if (cpu != null && !cpu.isNull()) {
      ObjectNode resource = metrics.addObject().put("type", "Resource").putObject("resource");
      resource.put("name", "cpu");
      ObjectNode value = resource.putObject(part);
      if (part.equals("target")) {
        value.put("type", "Utilization");
      }
      value.set("averageUtilization", cpu);
    }
    if (others instanceof ArrayNode a) {
      metrics.addAll(a);
    }
    return metrics;
  }

  private static void annotate(ObjectNode obj, String key, JsonNode value) {
    if (value == null || value.isNull() || (value.isArray() && value.isEmpty())) {
      return;
    }
    ObjectNode meta = obj.get("metadata") instanceof ObjectNode m ? m : obj.putObject("metadata");
    ObjectNode annotations =
        meta.get("annotations") instanceof ObjectNode a ? a : meta.putObject("annotations");
    annotations.put(key, JSON.writeValueAsString(value));
  }

  /** Removes an annotation this conversion wrote and parses it; null when absent or unreadable. */
  private static JsonNode take(ObjectNode obj, String key) {
    if (!(obj.path("metadata").get("annotations") instanceof ObjectNode annotations)) {
      return null;
    }
    JsonNode text = annotations.remove(key);
    if (annotations.isEmpty()) {
      ((ObjectNode) obj.get("metadata")).remove("annotations");
    }
    if (text == null || !text.isString()) {
      return null;
    }
    try {
      return JSON.readTree(text.asString());
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static void copy(ObjectNode from, ObjectNode to, String field) {
    if (from.has(field)) {
      to.set(field, from.get(field));
    }
  }
}
