package io.nauta.api.table;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** {@code kubectl get configmaps}: NAME DATA AGE; DATA counts both data and binaryData keys. */
final class ConfigMapPrinter implements TablePrinter {

  private static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.string(
              "Data",
              "Data contains the configuration data. Each key must consist of alphanumeric"
                  + " characters, '-', '_' or '.'."),
          Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode cm, Instant now) {
    long data = cm.path("data").size() + cm.path("binaryData").size();
    return List.of(Cells.name(cm), data, Cells.age(cm, now));
  }
}
