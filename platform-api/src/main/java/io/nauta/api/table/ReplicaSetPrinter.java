package io.nauta.api.table;

import static io.nauta.api.table.Cells.integer;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code kubectl get replicasets}: NAME DESIRED CURRENT READY AGE; wide the template. */
final class ReplicaSetPrinter implements TablePrinter {

  private static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.integer(
              "Desired",
              "Replicas is the number of desired replicas. This is a pointer to distinguish"
                  + " between explicit zero and unspecified. Defaults to 1."),
          Column.integer(
              "Current", "Replicas is the most recently observed number of non-terminating pods."),
          Column.integer(
              "Ready",
              "The number of non-terminating pods targeted by this ReplicaSet with a Ready"
                  + " Condition."),
          Column.age(),
          Column.string("Containers", Column.CONTAINERS_DOC).wide(),
          Column.string("Images", Column.IMAGES_DOC).wide(),
          Column.string(
                  "Selector",
                  "Selector is a label query over pods that should match the replica count.")
              .wide());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode rs, Instant now) {
    JsonNode status = rs.path("status");
    JsonNode podSpec = rs.path("spec").path("template").path("spec");
    return List.of(
        Cells.name(rs),
        Cells.desiredReplicas(rs),
        integer(status.path("replicas")),
        integer(status.path("readyReplicas")),
        Cells.age(rs, now),
        Cells.containerNames(podSpec),
        Cells.containerImages(podSpec),
        Selectors.format(rs.path("spec").get("selector")));
  }
}
