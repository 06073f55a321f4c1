package io.nauta.api.table;

import static io.nauta.api.table.Cells.integer;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code kubectl get deployments}: NAME READY UP-TO-DATE AVAILABLE AGE; wide the template. */
final class DeploymentPrinter implements TablePrinter {

  private static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.string("Ready", "Number of the pod with ready state"),
          Column.string(
              "Up-to-date",
              "Total number of non-terminated pods targeted by this deployment that have the"
                  + " desired template spec."),
          Column.string(
              "Available",
              "Total number of available pods (ready for at least minReadySeconds) targeted by"
                  + " this deployment."),
          Column.age(),
          Column.string("Containers", Column.CONTAINERS_DOC).wide(),
          Column.string("Images", Column.IMAGES_DOC).wide(),
          Column.string(
                  "Selector",
                  "Label selector for pods. Existing ReplicaSets whose pods are selected by this"
                      + " will be the ones affected by this deployment.")
              .wide());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode d, Instant now) {
    JsonNode status = d.path("status");
    JsonNode podSpec = d.path("spec").path("template").path("spec");
    String selector = Selectors.string(d.path("spec").get("selector"));
    return List.of(
        Cells.name(d),
        integer(status.path("readyReplicas")) + "/" + Cells.desiredReplicas(d),
        integer(status.path("updatedReplicas")),
        integer(status.path("availableReplicas")),
        Cells.age(d, now),
        Cells.containerNames(podSpec),
        Cells.containerImages(podSpec),
        selector == null ? "<invalid>" : selector);
  }
}
