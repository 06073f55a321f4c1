package io.nauta.api.table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code kubectl get endpointslices}: NAME ADDRESSTYPE PORTS ENDPOINTS AGE (upstream's {@code
 * printEndpointSlice}: the first three ports and addresses, then {@code + N more...}).
 */
final class EndpointSlicePrinter implements TablePrinter {

  private static final int MAX = 3;

  private static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.string(
              "AddressType",
              "addressType specifies the type of address carried by this EndpointSlice. All"
                  + " addresses in this slice must be the same type. This field is immutable after"
                  + " creation."),
          Column.string(
              "Ports",
              "ports specifies the list of network ports exposed by each endpoint in this slice."),
          Column.string(
              "Endpoints",
              "endpoints is a list of unique endpoints in this slice. Each slice may include a"
                  + " maximum of 1000 endpoints."),
          Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode slice, Instant now) {
    return List.of(
        Cells.name(slice),
        Cells.text(slice.path("addressType")),
        ports(slice.path("ports")),
        endpoints(slice.path("endpoints")),
        Cells.age(slice, now));
  }

  /** {@code formatDiscoveryPorts}: the port number, else its name, else {@code *}. */
  static String ports(JsonNode ports) {
    List<String> list = new ArrayList<>();
    for (JsonNode p : ports) {
      if (list.size() == MAX) {
        break;
      }
      if (p.hasNonNull("port")) {
        list.add(String.valueOf(p.path("port").asLong()));
      } else if (p.hasNonNull("name")) {
        list.add(p.path("name").asString());
      } else {
        list.add("*");
      }
    }
    return withMore(list, ports.size());
  }

  /** {@code formatDiscoveryEndpoints}: every address of every endpoint, in order. */
  static String endpoints(JsonNode endpoints) {
    List<String> list = new ArrayList<>();
    int count = 0;
    for (JsonNode e : endpoints) {
      for (JsonNode a : e.path("addresses")) {
        if (list.size() < MAX) {
          list.add(a.asString());
        }
        count++;
      }
    }
    return withMore(list, count);
  }

  /** {@code listWithMoreString}: {@code <unset>} for none. */
  private static String withMore(List<String> list, int count) {
    String joined = String.join(",", list);
    if (count > MAX) {
      return joined + " + " + (count - MAX) + " more...";
    }
    return joined.isEmpty() ? "<unset>" : joined;
  }
}
