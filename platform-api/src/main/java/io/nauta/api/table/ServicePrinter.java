package io.nauta.api.table;

import static io.nauta.api.table.Cells.integer;
import static io.nauta.api.table.Cells.text;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code kubectl get services}: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE; wide SELECTOR. */
final class ServicePrinter implements TablePrinter {

  private static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.string(
              "Type",
              "type determines how the Service is exposed. Defaults to ClusterIP. Valid options"
                  + " are ExternalName, ClusterIP, NodePort, and LoadBalancer."),
          Column.string(
              "Cluster-IP",
              "clusterIP is the IP address of the service and is usually assigned randomly."),
          Column.string(
              "External-IP",
              "externalIPs is a list of IP addresses for which nodes in the cluster will also"
                  + " accept traffic for this service."),
          Column.string("Port(s)", "The list of ports that are exposed by this service."),
          Column.age(),
          Column.string(
                  "Selector",
                  "Route service traffic to pods with label keys and values matching this"
                      + " selector.")
              .wide());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode svc, Instant now) {
    JsonNode spec = svc.path("spec");
    String type = text(spec.path("type"));
    if (type.isEmpty()) {
      type = "ClusterIP"; // what Kubernetes defaults it to
    }
    return List.of(
        Cells.name(svc),
        type,
        clusterIp(spec),
        externalIp(type, svc),
        Cells.orNone(ports(spec.path("ports"))),
        Cells.age(svc, now),
        Cells.labels(spec.path("selector")));
  }

  private static String clusterIp(JsonNode spec) {
    String ip = text(spec.path("clusterIPs").path(0));
    return Cells.orNone(ip.isEmpty() ? text(spec.path("clusterIP")) : ip);
  }

  /** {@code getServiceExternalIP}, wide as the API server always renders it. */
  static String externalIp(String type, JsonNode svc) {
    List<String> external = new ArrayList<>();
    svc.path("spec").path("externalIPs").forEach(ip -> external.add(text(ip)));
    switch (type) {
      case "ClusterIP", "NodePort":
        return external.isEmpty() ? Cells.NONE : String.join(",", external);
      case "LoadBalancer":
        TreeSet<String> ingress = new TreeSet<>();
        for (JsonNode i : svc.path("status").path("loadBalancer").path("ingress")) {
          String address =
              text(i.path("ip")).isEmpty() ? text(i.path("hostname")) : text(i.path("ip"));
          if (!address.isEmpty()) {
            ingress.add(address);
          }
        }
        List<String> all = new ArrayList<>(ingress);
        all.addAll(external);
        return all.isEmpty() ? "<pending>" : String.join(",", all);
      case "ExternalName":
        return text(svc.path("spec").path("externalName"));
      default:
        return HumanDuration.UNKNOWN;
    }
  }

  /** {@code makePortString}: {@code 80/TCP}, or {@code 80:30080/TCP} with a node port. */
  static String ports(JsonNode ports) {
    List<String> pieces = new ArrayList<>();
    for (JsonNode p : ports) {
      String protocol = text(p.path("protocol")).isEmpty() ? "TCP" : text(p.path("protocol"));
      long nodePort = integer(p.path("nodePort"));
      pieces.add(integer(p.path("port")) + (nodePort > 0 ? ":" + nodePort : "") + "/" + protocol);
    }
    return String.join(",", pieces);
  }
}
