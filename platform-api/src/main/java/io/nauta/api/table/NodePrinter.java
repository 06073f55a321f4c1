package io.nauta.api.table;

import static io.nauta.api.table.Cells.text;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code kubectl get nodes}: NAME STATUS ROLES AGE VERSION; wide addresses and system info. */
final class NodePrinter implements TablePrinter {

  private static final String ROLE_PREFIX = "node-role.kubernetes.io/";
  private static final String ROLE_LABEL = "kubernetes.io/role";
  private static final String ADDRESSES_DOC =
      "List of addresses reachable to the node. Queried from cloud provider, if available.";

  private static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.string("Status", "The status of the node"),
          Column.string("Roles", "The roles of the node"),
          Column.age(),
          Column.string("Version", "Kubelet Version reported by the node."),
          Column.string("Internal-IP", ADDRESSES_DOC).wide(),
          Column.string("External-IP", ADDRESSES_DOC).wide(),
          Column.string(
                  "OS-Image",
                  "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7"
                      + " (wheezy)).")
              .wide(),
          Column.string(
                  "Kernel-Version",
                  "Kernel Version reported by the node from 'uname -r' (e.g."
                      + " 3.16.0-0.bpo.4-amd64).")
              .wide(),
          Column.string(
                  "Container-Runtime",
                  "ContainerRuntime Version reported by the node through runtime remote API (e.g."
                      + " containerd://1.4.2).")
              .wide());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode node, Instant now) {
    JsonNode info = node.path("status").path("nodeInfo");
    return List.of(
        Cells.name(node),
        status(node),
        roles(node.path("metadata").path("labels")),
        Cells.age(node, now),
        text(info.path("kubeletVersion")),
        address(node, "InternalIP"),
        address(node, "ExternalIP"),
        orUnknown(text(info.path("osImage"))),
        orUnknown(text(info.path("kernelVersion"))),
        orUnknown(text(info.path("containerRuntimeVersion"))));
  }

  /** {@code Ready}, {@code NotReady} or {@code Unknown}, then {@code SchedulingDisabled}. */
  static String status(JsonNode node) {
    List<String> status = new ArrayList<>();
    JsonNode ready = null;
    for (JsonNode c : node.path("status").path("conditions")) {
      if ("Ready".equals(text(c.path("type")))) {
        ready = c; // the last one wins, as in Kubernetes' condition map
      }
    }
    if (ready == null) {
      status.add("Unknown");
    } else {
      status.add("True".equals(text(ready.path("status"))) ? "Ready" : "NotReady");
    }
    if (node.path("spec").path("unschedulable").asBoolean(false)) {
      status.add("SchedulingDisabled");
    }
    return String.join(",", status);
  }

  /** {@code node-role.kubernetes.io/<role>} keys and {@code kubernetes.io/role} values, sorted. */
  static String roles(JsonNode labels) {
    TreeSet<String> roles = new TreeSet<>();
    labels
        .properties()
        .forEach(
            e -> {
              String k = e.getKey();
              if (k.startsWith(ROLE_PREFIX) && k.length() > ROLE_PREFIX.length()) {
                roles.add(k.substring(ROLE_PREFIX.length()));
              } else if (k.equals(ROLE_LABEL) && !text(e.getValue()).isEmpty()) {
                roles.add(text(e.getValue()));
              }
            });
    return Cells.orNone(String.join(",", roles));
  }

  private static String address(JsonNode node, String type) {
    for (JsonNode a : node.path("status").path("addresses")) {
      if (type.equals(text(a.path("type")))) {
        return text(a.path("address"));
      }
    }
    return Cells.NONE;
  }

  private static String orUnknown(String s) {
    return s.isEmpty() ? HumanDuration.UNKNOWN : s;
  }
}
