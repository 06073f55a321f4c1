package io.nauta.api.table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code kubectl get ing}: NAME CLASS HOSTS ADDRESS PORTS AGE (upstream's {@code printIngress}):
 * the class or {@code <none>}, the first three rule hosts ({@code *} for none, {@code + N more...}
 * beyond), the load balancer's IPs or host names sorted (cut at 16 characters only when not wide,
 * which a server-side table never is), {@code 80} or {@code 80, 443} with TLS.
 */
final class IngressPrinter implements TablePrinter {

  private static final int MAX_HOSTS = 3;
  private static final int LOAD_BALANCER_WIDTH = 16;

  static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.string(
              "Class",
              "The name of the IngressClass resource that should be used for additional"
                  + " configuration"),
          Column.string(
              "Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
          Column.string(
              "Address", "Address is a list containing ingress points for the load-balancer"),
          Column.string("Ports", "Ports of TLS configurations that open"),
          Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode ing, Instant now) {
    JsonNode spec = ing.path("spec");
    JsonNode cls = spec.get("ingressClassName");
    return List.of(
        Cells.name(ing),
        cls == null || cls.isNull() ? Cells.NONE : Cells.text(cls),
        hosts(spec.path("rules")),
        // the API server renders tables wide (GenerateOptions{Wide: true}): never cut here
        address(ing.path("status").path("loadBalancer").path("ingress"), true),
        spec.path("tls").isEmpty() ? "80" : "80, 443",
        Cells.age(ing, now));
  }

  static String hosts(JsonNode rules) {
    List<String> list = new ArrayList<>();
    boolean more = false;
    for (JsonNode rule : rules) {
      if (list.size() == MAX_HOSTS) {
        more = true;
      }
      String host = rule.path("host").asString("");
      if (!more && !host.isEmpty()) {
        list.add(host);
      }
    }
    if (list.isEmpty()) {
      return "*";
    }
    String joined = String.join(",", list);
    return more ? joined + " + " + (rules.size() - MAX_HOSTS) + " more..." : joined;
  }

  static String address(JsonNode points, boolean wide) {
    TreeSet<String> result = new TreeSet<>();
    for (JsonNode p : points) {
      String ip = p.path("ip").asString("");
      String hostname = p.path("hostname").asString("");
      if (!ip.isEmpty()) {
        result.add(ip);
      } else if (!hostname.isEmpty()) {
        result.add(hostname);
      }
    }
    String r = String.join(",", result);
    if (!wide && r.length() > LOAD_BALANCER_WIDTH) {
      r = r.substring(0, LOAD_BALANCER_WIDTH - 3) + "...";
    }
    return r;
  }
}
