package io.nauta.api.table;

import static io.nauta.api.table.Cells.integer;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code kubectl get daemonsets}: NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR
 * AGE; wide the template's containers and images and the selector (upstream's printDaemonSet).
 */
final class DaemonSetPrinter implements TablePrinter {

  private static final String DOCS =
      " More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/";

  private static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.integer(
              "Desired",
              "The total number of nodes that should be running the daemon pod (including nodes"
                  + " correctly running the daemon pod)."
                  + DOCS),
          Column.integer(
              "Current",
              "The number of nodes that are running at least 1 daemon pod and are supposed to run"
                  + " the daemon pod."
                  + DOCS),
          Column.integer(
              "Ready",
              "numberReady is the number of nodes that should be running the daemon pod and have"
                  + " one or more of the daemon pod running with a Ready Condition."),
          Column.integer(
              "Up-to-date", "The total number of nodes that are running updated daemon pod"),
          Column.integer(
              "Available",
              "The number of nodes that should be running the daemon pod and have one or more of"
                  + " the daemon pod running and available (ready for at least"
                  + " spec.minReadySeconds)"),
          Column.string(
              "Node Selector",
              "NodeSelector is a selector which must be true for the pod to fit on a node."
                  + " Selector which must match a node's labels for the pod to be scheduled on"
                  + " that node. More info:"
                  + " https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
          Column.age(),
          Column.string("Containers", Column.CONTAINERS_DOC).wide(),
          Column.string("Images", Column.IMAGES_DOC).wide(),
          Column.string(
                  "Selector",
                  "A label query over pods that are managed by the daemon set. Must match in order"
                      + " to be controlled. It must match the pod template's labels. More info:"
                      + " https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors")
              .wide());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode ds, Instant now) {
    JsonNode status = ds.path("status");
    JsonNode podSpec = ds.path("spec").path("template").path("spec");
    return List.of(
        Cells.name(ds),
        integer(status.path("desiredNumberScheduled")),
        integer(status.path("currentNumberScheduled")),
        integer(status.path("numberReady")),
        integer(status.path("updatedNumberScheduled")),
        integer(status.path("numberAvailable")),
        Cells.labels(podSpec.path("nodeSelector")),
        Cells.age(ds, now),
        Cells.containerNames(podSpec),
        Cells.containerImages(podSpec),
        Selectors.format(ds.path("spec").get("selector")));
  }
}
