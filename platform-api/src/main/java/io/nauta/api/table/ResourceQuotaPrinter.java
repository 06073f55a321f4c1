package io.nauta.api.table;

import io.nauta.core.quota.Quantities;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code kubectl get quota}: NAME AGE REQUEST LIMIT, each tracked resource of {@code status.hard}
 * as {@code name: used/hard}, the {@code limits.*} ones under LIMIT (upstream's {@code
 * printResourceQuota}).
 */
final class ResourceQuotaPrinter implements TablePrinter {

  static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.age(),
          Column.string(
              "Request",
              "Request represents a minimum amount of cpu/memory that a container may consume."),
          Column.string(
              "Limit",
              "Limits control the maximum amount of cpu/memory that a container may use"
                  + " independent of contention on the node."));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode quota, Instant now) {
    JsonNode hard = quota.path("status").path("hard");
    JsonNode used = quota.path("status").path("used");
    Map<String, String> sorted = new TreeMap<>();
    hard.properties().forEach(e -> sorted.put(e.getKey(), e.getValue().asString("")));
    List<String> requests = new ArrayList<>();
    List<String> limits = new ArrayList<>();
    sorted.forEach(
        (name, h) -> {
          String u =
              used.has(name) ? Quantities.canonical(name, used.path(name).asString("")) : "0";
          String cell = name + ": " + u + "/" + Quantities.canonical(name, h);
          (name.startsWith("limits.") ? limits : requests).add(cell);
        });
    return List.of(
        Cells.name(quota),
        Cells.age(quota, now),
        String.join(", ", requests),
        String.join(", ", limits));
  }
}
