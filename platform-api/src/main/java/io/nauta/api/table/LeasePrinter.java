package io.nauta.api.table;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** {@code kubectl get leases}: NAME HOLDER AGE. */
final class LeasePrinter implements TablePrinter {

  private static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.string(
              "Holder", "holderIdentity contains the identity of the holder of a current lease."),
          Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode lease, Instant now) {
    return List.of(
        Cells.name(lease),
        Cells.text(lease.path("spec").path("holderIdentity")),
        Cells.age(lease, now));
  }
}
