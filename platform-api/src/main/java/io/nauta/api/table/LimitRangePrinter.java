package io.nauta.api.table;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** {@code kubectl get limits}: NAME CREATED AT (upstream's {@code printLimitRange}). */
final class LimitRangePrinter implements TablePrinter {

  static final List<Column> COLUMNS =
      List.of(Column.objectName(), new Column("Created At", "date", "", Column.AGE_DOC, 0));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode lr, Instant now) {
    return List.of(Cells.name(lr), lr.path("metadata").path("creationTimestamp").asString(""));
  }
}
