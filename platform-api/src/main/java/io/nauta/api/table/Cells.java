package io.nauta.api.table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/** Field readers and formatters shared by the printers, each as Kubernetes' printers format. */
final class Cells {

  static final String NONE = "<none>";

  private Cells() {}

  /** A string field, or {@code ""} when absent (Go's zero value). */
  static String text(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() || n.isContainer() ? "" : n.asString();
  }

  static String orNone(String s) {
    return s.isEmpty() ? NONE : s;
  }

  /** An integer field, or 0 when absent. */
  static long integer(JsonNode n) {
    return n == null || !n.isNumber() ? 0 : n.asLong();
  }

  static boolean present(JsonNode n) {
    return n != null && n.isObject();
  }

  static String name(JsonNode obj) {
    return text(obj.path("metadata").path("name"));
  }

  static String age(JsonNode obj, Instant now) {
    return HumanDuration.since(obj.path("metadata").get("creationTimestamp"), now);
  }

  /** {@code spec.replicas}, which Kubernetes defaults to 1. */
  static long desiredReplicas(JsonNode obj) {
    JsonNode r = obj.path("spec").get("replicas");
    return r == null || !r.isNumber() ? 1 : r.asLong();
  }

  /** Container names, comma-separated ({@code layoutContainerCells}). */
  static String containerNames(JsonNode podSpec) {
    return joinField(podSpec.path("containers"), "name");
  }

  /** Container images, comma-separated ({@code layoutContainerCells}). */
  static String containerImages(JsonNode podSpec) {
    return joinField(podSpec.path("containers"), "image");
  }

  private static String joinField(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(c -> out.add(text(c.path(field))));
    return String.join(",", out);
  }

  /** {@code labels.FormatLabels}: {@code k=v} sorted by key, or {@code <none>}. */
  static String labels(JsonNode map) {
    TreeMap<String, String> sorted = new TreeMap<>();
    map.properties().forEach(e -> sorted.put(e.getKey(), text(e.getValue())));
    List<String> out = new ArrayList<>();
    sorted.forEach((k, v) -> out.add(k + "=" + v));
    return orNone(String.join(",", out));
  }
}
