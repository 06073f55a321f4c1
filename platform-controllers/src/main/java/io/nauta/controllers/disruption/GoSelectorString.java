package io.nauta.controllers.disruption;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A label selector as Go's {@code %v} prints upstream's generated {@code LabelSelector.String()},
 * so an event that quotes a selector reads as Kubernetes' does, e.g. {@code
 * &LabelSelector{MatchLabels:map[string]string{app:
 * web,},MatchExpressions:[]LabelSelectorRequirement{},}}.
 */
final class GoSelectorString {

  private GoSelectorString() {}

  static String of(LabelSelector selector) {
    if (selector == null) {
      return "nil";
    }
    StringBuilder labels = new StringBuilder("map[string]string{");
    Map<String, String> sorted =
        new TreeMap<>(selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels());
    sorted.forEach((k, v) -> labels.append(k).append(": ").append(v).append(','));
    labels.append('}');
    StringBuilder expressions = new StringBuilder("[]LabelSelectorRequirement{");
    List<LabelSelectorRequirement> requirements =
        selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
    for (LabelSelectorRequirement r : requirements) {
      List<String> values = r.getValues() == null ? List.of() : r.getValues();
      expressions
          .append("LabelSelectorRequirement{Key:")
          .append(r.getKey())
          .append(",Operator:")
          .append(r.getOperator())
          .append(",Values:[")
          .append(String.join(" ", values))
          .append("],},");
    }
    expressions.append('}');
    return "&LabelSelector{MatchLabels:" + labels + ",MatchExpressions:" + expressions + ",}";
  }
}
