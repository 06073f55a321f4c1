package io.nauta.api.table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A {@code metav1.LabelSelector} written as Kubernetes writes it ({@code
 * LabelSelectorAsSelector(s).String()}): requirements sorted by key, {@code k=v}, {@code k in
 * (a,b)}, {@code k notin (a,b)}, {@code k}, {@code !k}.
 */
final class Selectors {

  private Selectors() {}

  private record Requirement(String key, String text) {}

  /** The selector's string, {@code ""} for none or empty, null if it is not a valid selector. */
  static String string(JsonNode selector) {
    if (selector == null || !selector.isObject()) {
      return "";
    }
    List<Requirement> reqs = new ArrayList<>();
    selector
        .path("matchLabels")
        .properties()
        .forEach(
            e ->
                reqs.add(new Requirement(e.getKey(), e.getKey() + "=" + Cells.text(e.getValue()))));
    for (JsonNode expr : selector.path("matchExpressions")) {
      Requirement r = expression(expr);
      if (r == null) {
        return null;
      }
      reqs.add(r);
    }
    reqs.sort(Comparator.comparing(Requirement::key));
    return String.join(",", reqs.stream().map(Requirement::text).toList());
  }

  /** {@code metav1.FormatLabelSelector}: {@code <none>} when empty, {@code <error>} if invalid. */
  static String format(JsonNode selector) {
    String s = string(selector);
    return s == null ? "<error>" : Cells.orNone(s);
  }

  private static Requirement expression(JsonNode expr) {
    String key = Cells.text(expr.path("key"));
    List<String> values = new ArrayList<>();
    expr.path("values").forEach(v -> values.add(Cells.text(v)));
    values.sort(null);
    String joined = "(" + String.join(",", values) + ")";
    return switch (Cells.text(expr.path("operator"))) {
      case "In" -> values.isEmpty() ? null : new Requirement(key, key + " in " + joined);
      case "NotIn" -> values.isEmpty() ? null : new Requirement(key, key + " notin " + joined);
      case "Exists" -> values.isEmpty() ? new Requirement(key, key) : null;
      case "DoesNotExist" -> values.isEmpty() ? new Requirement(key, "!" + key) : null;
      default -> null;
    };
  }
}
