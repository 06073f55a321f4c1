package io.nauta.api.admission;

import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * HorizontalPodAutoscalers (autoscaling/v2), upstream's {@code
 * SetDefaults_HorizontalPodAutoscaler}: {@code minReplicas} 1, a CPU utilization target of 80 %
 * when no metric is given, and a behavior the user gave completed with the default rules (scale up:
 * no stabilization, the larger of 4 pods or 100 % per 15 s; scale down: 300 s stabilization, 100 %
 * per 15 s). A missing behavior stays missing: the controller applies the same defaults.
 */
final class HorizontalPodAutoscalerStrategy implements ResourceStrategy {

  @Override
  public ResourceType type() {
    return BuiltInResources.HORIZONTAL_POD_AUTOSCALERS;
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    ObjectNode spec = Defaults.object(obj, "spec");
    Defaults.number(spec, "minReplicas", 1);
    JsonNode metrics = spec.get("metrics");
    if (metrics == null || !metrics.isArray() || metrics.isEmpty()) {
      ArrayNode list = spec.putArray("metrics");
      ObjectNode m = list.addObject();
      m.put("type", "Resource");
      ObjectNode resource = m.putObject("resource");
      resource.put("name", "cpu");
      ObjectNode target = resource.putObject("target");
      target.put("type", "Utilization");
      target.put("averageUtilization", 80);
    }
    if (spec.get("behavior") instanceof ObjectNode behavior) {
      rules(behavior, "scaleUp", 0, true);
      rules(behavior, "scaleDown", 300, false);
    }
  }

  private static void rules(ObjectNode behavior, String field, int window, boolean up) {
    ObjectNode rules = Defaults.object(behavior, field);
    Defaults.text(rules, "selectPolicy", "Max");
    Defaults.number(rules, "stabilizationWindowSeconds", window);
    JsonNode policies = rules.get("policies");
    if (policies == null || policies.isNull()) {
      ArrayNode list = rules.putArray("policies");
      if (up) {
        policy(list, "Pods", 4);
      }
      policy(list, "Percent", 100);
    }
  }

  private static void policy(ArrayNode list, String type, int value) {
    ObjectNode p = list.addObject();
    p.put("type", type);
    p.put("value", value);
    p.put("periodSeconds", 15);
  }
}
