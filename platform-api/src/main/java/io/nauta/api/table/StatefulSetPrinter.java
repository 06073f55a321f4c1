package io.nauta.api.table;

import static io.nauta.api.table.Cells.integer;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code kubectl get statefulsets}: NAME READY AGE; wide the template's containers and images
 * (upstream's printStatefulSet).
 */
final class StatefulSetPrinter implements TablePrinter {

  private static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.string("Ready", "Number of the pod with ready state"),
          Column.age(),
          Column.string("Containers", Column.CONTAINERS_DOC).wide(),
          Column.string("Images", Column.IMAGES_DOC).wide());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode sts, Instant now) {
    JsonNode podSpec = sts.path("spec").path("template").path("spec");
    return List.of(
        Cells.name(sts),
        integer(sts.path("status").path("readyReplicas")) + "/" + Cells.desiredReplicas(sts),
        Cells.age(sts, now),
        Cells.containerNames(podSpec),
        Cells.containerImages(podSpec));
  }
}
