package io.nauta.api.resourcemetrics;

import io.nauta.api.table.Column;
import io.nauta.api.table.TablePrinter;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code kubectl get nodemetrics|podmetrics}: NAME CPU MEMORY WINDOW, as metrics-server prints them
 * (a pod's usage summed over its containers), for one request's items.
 */
final class MetricsTablePrinter implements TablePrinter {

  private static final List<Column> COLUMNS =
      List.of(
          new Column("Name", "string", "name", "Name of the resource", 0),
          new Column("CPU", "string", "", "CPU usage", 0),
          new Column("Memory", "string", "", "Memory usage", 0),
          new Column("Window", "string", "", "Interval over which the usage was measured", 0));

  /** Each item's total usage: nanocores and bytes. */
  private final Map<ObjectNode, long[]> totals = new IdentityHashMap<>();

  void add(ObjectNode item, long nanoCores, long bytes) {
    totals.put(item, new long[] {nanoCores, bytes});
  }

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode item, Instant now) {
    long[] usage = totals.getOrDefault(item, new long[2]);
    return List.of(
        item.path("metadata").path("name").asString(""),
        MetricsFormat.cpu(usage[0]),
        MetricsFormat.memory(usage[1]),
        item.path("window").asString(""));
  }
}
