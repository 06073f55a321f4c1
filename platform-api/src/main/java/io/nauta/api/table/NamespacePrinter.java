package io.nauta.api.table;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** {@code kubectl get namespaces}: NAME STATUS AGE. */
final class NamespacePrinter implements TablePrinter {

  private static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.string("Status", "The status of the namespace"),
          Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode ns, Instant now) {
    return List.of(Cells.name(ns), Cells.text(ns.path("status").path("phase")), Cells.age(ns, now));
  }
}
