package io.nauta.api.table;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** {@code kubectl get roles} and {@code clusterroles}: NAME CREATED-AT, as Kubernetes prints. */
final class RolePrinter implements TablePrinter {

  private static final List<Column> COLUMNS =
      List.of(Column.objectName(), new Column("Created At", "date", "", Column.AGE_DOC, 0));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode role, Instant now) {
    String created = role.path("metadata").path("creationTimestamp").asString("");
    return List.of(Cells.name(role), created.isEmpty() ? "<unknown>" : created);
  }
}
