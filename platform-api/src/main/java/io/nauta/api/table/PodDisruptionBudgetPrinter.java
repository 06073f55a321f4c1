package io.nauta.api.table;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code kubectl get pdb}: NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE, an unset
 * bound shown as {@code N/A}, as upstream's {@code printPodDisruptionBudget}.
 */
final class PodDisruptionBudgetPrinter implements TablePrinter {

  private static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.string("Min Available", "The minimum number of pods that must be available."),
          Column.string("Max Unavailable", "The maximum number of pods that may be unavailable."),
          Column.integer(
              "Allowed Disruptions",
              "Calculated number of pods that may be disrupted at this time."),
          Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode pdb, Instant now) {
    JsonNode spec = pdb.path("spec");
    return List.of(
        Cells.name(pdb),
        bound(spec.get("minAvailable")),
        bound(spec.get("maxUnavailable")),
        Cells.integer(pdb.path("status").path("disruptionsAllowed")),
        Cells.age(pdb, now));
  }

  private static String bound(JsonNode v) {
    return v == null || v.isNull() ? "N/A" : v.asString();
  }
}
