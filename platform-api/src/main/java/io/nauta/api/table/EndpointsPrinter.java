package io.nauta.api.table;

import static io.nauta.api.table.Cells.integer;
import static io.nauta.api.table.Cells.text;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code kubectl get endpoints}: NAME ENDPOINTS AGE. */
final class EndpointsPrinter implements TablePrinter {

  private static final int MAX = 3;

  private static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.string(
              "Endpoints",
              "The set of all endpoints is the union of all subsets. Addresses are placed into"
                  + " subsets according to the IPs they share."),
          Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode ep, Instant now) {
    return List.of(Cells.name(ep), format(ep.path("subsets")), Cells.age(ep, now));
  }

  /**
   * {@code formatEndpoints}: the first three {@code ip:port} pairs (every address with every port
   * of its subset; bare IPs for a subset without ports), then {@code + N more...}.
   */
  static String format(JsonNode subsets) {
    if (subsets.isEmpty()) {
      return Cells.NONE;
    }
    List<String> list = new ArrayList<>();
    int count = 0;
    for (JsonNode subset : subsets) {
      JsonNode addresses = subset.path("addresses");
      if (subset.path("ports").isEmpty()) {
        count += addresses.size();
        for (JsonNode a : addresses) {
          if (list.size() == MAX) {
            break;
          }
          list.add(text(a.path("ip")));
        }
        continue;
      }
      for (JsonNode port : subset.path("ports")) {
        count += addresses.size();
        for (JsonNode a : addresses) {
          if (list.size() == MAX) {
            break;
          }
          list.add(hostPort(text(a.path("ip")), integer(port.path("port"))));
        }
      }
    }
    String joined = String.join(",", list);
    // Kubernetes sets "more" only when it meets an address it has no room for.
    return count > MAX ? joined + " + " + (count - MAX) + " more..." : joined;
  }

  /** Go's {@code net.JoinHostPort}: IPv6 addresses in brackets. */
  private static String hostPort(String ip, long port) {
    return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
  }
}
