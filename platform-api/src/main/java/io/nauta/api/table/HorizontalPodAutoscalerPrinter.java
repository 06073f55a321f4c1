package io.nauta.api.table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code kubectl get hpa}: NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE, TARGETS as
 * upstream's {@code formatHPAMetrics} writes them ({@code cpu: 85%/50%}, {@code <unknown>} before a
 * metric is measured, at most two and then {@code + N more...}).
 */
final class HorizontalPodAutoscalerPrinter implements TablePrinter {

  private static final String UNKNOWN = "<unknown>";
  private static final int MAX_SHOWN = 2;

  private static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.string("Reference", "reference to the target resource"),
          Column.string("Targets", "the target utilization"),
          Column.string("MinPods", "the minimum number of pods"),
          Column.integer("MaxPods", "the maximum number of pods"),
          Column.integer("Replicas", "the current number of pods"),
          Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode hpa, Instant now) {
    JsonNode spec = hpa.path("spec");
    JsonNode ref = spec.path("scaleTargetRef");
    JsonNode min = spec.get("minReplicas");
    return List.of(
        Cells.name(hpa),
        Cells.text(ref.path("kind")) + "/" + Cells.text(ref.path("name")),
        "autoscaling/v1".equals(hpa.path("apiVersion").asString(""))
            ? v1(spec.path("targetCPUUtilizationPercentage"), hpa.path("status"))
            : targets(spec.path("metrics"), hpa.path("status").path("currentMetrics")),
        min == null || min.isNull() ? "<unset>" : String.valueOf(min.asLong()),
        Cells.integer(spec.path("maxReplicas")),
        Cells.integer(hpa.path("status").path("currentReplicas")),
        Cells.age(hpa, now));
  }

  static String targets(JsonNode specs, JsonNode statuses) {
    if (!specs.isArray() || specs.isEmpty()) {
      return Cells.NONE;
    }
    List<String> list = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      JsonNode spec = specs.get(i);
      JsonNode status = statuses.path(i);
      list.add(
          switch (Cells.text(spec.path("type"))) {
            case "External" -> valueOrAverage(spec.path("external"), status.path("external"));
            case "Object" -> valueOrAverage(spec.path("object"), status.path("object"));
            case "Pods" ->
                current(status.path("pods").path("current").path("averageValue"))
                    + "/"
                    + Cells.text(spec.path("pods").path("target").path("averageValue"));
            case "Resource" -> resource(spec.path("resource"), status.path("resource"));
            case "ContainerResource" ->
                resource(spec.path("containerResource"), status.path("containerResource"));
            default -> "<unknown type>";
          });
    }
    if (list.size() > MAX_SHOWN) {
      return String.join(", ", list.subList(0, MAX_SHOWN))
          + " + "
          + (list.size() - MAX_SHOWN)
          + " more...";
    }
    return String.join(", ", list);
  }

  /** v1's one CPU target, as the internal version prints it. */
  private static String v1(JsonNode target, JsonNode status) {
    JsonNode current = status.path("currentCPUUtilizationPercentage");
    return "cpu: "
        + (has(current) ? current.asLong() + "%" : UNKNOWN)
        + "/"
        + (has(target) ? target.asLong() + "%" : "<auto>");
  }

  private static String resource(JsonNode source, JsonNode status) {
    String name = Cells.text(source.path("name"));
    JsonNode target = source.path("target");
    JsonNode current = status.path("current");
    if (has(target.path("averageValue"))) {
      return name
          + ": "
          + current(current.path("averageValue"))
          + "/"
          + Cells.text(target.path("averageValue"));
    }
    String now =
        has(current.path("averageUtilization"))
            ? current.path("averageUtilization").asLong() + "%"
            : UNKNOWN;
    String want =
        has(target.path("averageUtilization"))
            ? target.path("averageUtilization").asLong() + "%"
            : "<auto>";
    return name + ": " + now + "/" + want;
  }

  private static String valueOrAverage(JsonNode source, JsonNode status) {
    JsonNode target = source.path("target");
    if (has(target.path("averageValue"))) {
      return current(status.path("current").path("averageValue"))
          + "/"
          + Cells.text(target.path("averageValue"))
          + " (avg)";
    }
    return current(status.path("current").path("value")) + "/" + Cells.text(target.path("value"));
  }

  private static String current(JsonNode quantity) {
    return has(quantity) ? Cells.text(quantity) : UNKNOWN;
  }

  private static boolean has(JsonNode n) {
    return n != null && !n.isMissingNode() && !n.isNull();
  }
}
