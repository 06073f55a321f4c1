package io.nauta.api.table;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * Prints one kind as Kubernetes' server-side printers do (pkg/printers/internalversion). Cells
 * always include the wide ({@code priority 1}) columns, as the API server generates them; kubectl
 * hides those unless asked for {@code -o wide}.
 */
public interface TablePrinter {

  List<Column> columns();

  /** One cell per column, in column order: {@code String}, {@code Long} or {@code Boolean}. */
  List<Object> cells(ObjectNode obj, Instant now);

  /** {@code rows[].conditions}; only pods that ran to completion have any. */
  default List<ObjectNode> conditions(ObjectNode obj) {
    return List.of();
  }
}
