package io.nauta.api.table;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * NAME AGE, for kinds without a printer of their own: what Kubernetes prints for a custom resource
 * without {@code additionalPrinterColumns}.
 */
final class DefaultPrinter implements TablePrinter {

  private static final List<Column> COLUMNS = List.of(Column.objectName(), Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode obj, Instant now) {
    return List.of(Cells.name(obj), Cells.age(obj, now));
  }
}
