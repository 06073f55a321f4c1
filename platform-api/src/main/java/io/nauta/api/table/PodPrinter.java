package io.nauta.api.table;

import static io.nauta.api.table.Cells.orNone;
import static io.nauta.api.table.Cells.text;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** {@code kubectl get pods}: NAME READY STATUS RESTARTS AGE; wide IP NODE NOMINATED NODE GATES. */
final class PodPrinter implements TablePrinter {

  private static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.string(
              "Ready", "The aggregate readiness state of this pod for accepting traffic."),
          Column.string("Status", "The aggregate status of the containers in this pod."),
          Column.string(
              "Restarts",
              "The number of times the containers in this pod have been restarted and when the"
                  + " last container in this pod has restarted."),
          Column.age(),
          Column.string(
                  "IP",
                  "podIP address allocated to the pod. Routable at least within the cluster. Empty"
                      + " if not yet allocated.")
              .wide(),
          Column.string(
                  "Node",
                  "NodeName indicates in which node this pod is scheduled. If empty, this pod is a"
                      + " candidate for scheduling by the scheduler defined in schedulerName.")
              .wide(),
          Column.string(
                  "Nominated Node",
                  "nominatedNodeName is set only when this pod preempts other pods on the node, but"
                      + " it cannot be scheduled right away as preemption victims receive their"
                      + " graceful termination periods.")
              .wide(),
          Column.string(
                  "Readiness Gates",
                  "If specified, all readiness gates will be evaluated for pod readiness. A pod is"
                      + " ready when all its containers are ready AND all conditions specified in"
                      + " the readiness gates have status equal to \"True\"")
              .wide());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode pod, Instant now) {
    PodStatusSummary s = PodStatusSummary.of(pod);
    String restarts = Long.toString(s.restarts());
    if (s.restarts() != 0 && s.lastRestart() != null) {
      restarts += " (" + HumanDuration.format(Duration.between(s.lastRestart(), now)) + " ago)";
    }
    JsonNode status = pod.path("status");
    return List.of(
        Cells.name(pod),
        s.ready() + "/" + s.total(),
        s.reason(),
        restarts,
        Cells.age(pod, now),
        orNone(podIp(status)),
        orNone(text(pod.path("spec").path("nodeName"))),
        orNone(text(status.path("nominatedNodeName"))),
        readinessGates(pod));
  }

  @Override
  public List<ObjectNode> conditions(ObjectNode pod) {
    return switch (text(pod.path("status").path("phase"))) {
      case "Succeeded" -> List.of(completed("Succeeded", "The pod has completed successfully."));
      case "Failed" -> List.of(completed("Failed", "The pod failed."));
      default -> List.of();
    };
  }

  private static ObjectNode completed(String reason, String message) {
    ObjectNode c = JsonNodeFactory.instance.objectNode();
    c.put("type", "Completed");
    c.put("status", "True");
    c.put("reason", reason);
    c.put("message", message);
    return c;
  }

  private static String podIp(JsonNode status) {
    String ip = text(status.path("podIPs").path(0).path("ip"));
    // v1 clients may set only podIP; Kubernetes' conversion fills podIPs from it.
    return ip.isEmpty() ? text(status.path("podIP")) : ip;
  }

  private static String readinessGates(JsonNode pod) {
    JsonNode gates = pod.path("spec").path("readinessGates");
    if (gates.isEmpty()) {
      return Cells.NONE;
    }
    int trueConditions = 0;
    for (JsonNode gate : gates) {
      String type = text(gate.path("conditionType"));
      for (JsonNode c : pod.path("status").path("conditions")) {
        if (type.equals(text(c.path("type")))) {
          if ("True".equals(text(c.path("status")))) {
            trueConditions++;
          }
          break;
        }
      }
    }
    return trueConditions + "/" + gates.size();
  }
}
