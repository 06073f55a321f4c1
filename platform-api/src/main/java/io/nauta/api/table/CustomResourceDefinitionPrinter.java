package io.nauta.api.table;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * NAME, CREATED AT: what Kubernetes prints for CustomResourceDefinitions (the generic table of the
 * apiextensions server: the creation time as a date, not an age).
 */
final class CustomResourceDefinitionPrinter implements TablePrinter {

  private static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          new Column(
              "Created At",
              "date",
              "",
              "CreationTimestamp is a timestamp representing the server time when this object was"
                  + " created. It is not guaranteed to be set in happens-before order across"
                  + " separate operations. Clients may not set this value. It is represented in"
                  + " RFC3339 form and is in UTC.\n\n"
                  + "Populated by the system. Read-only. Null for lists. More info:"
                  + " https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
              0));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode obj, Instant now) {
    return List.of(Cells.name(obj), obj.path("metadata").path("creationTimestamp").asString(""));
  }
}
