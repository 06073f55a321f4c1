package io.nauta.api.table;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** {@code kubectl get secrets}: NAME TYPE DATA AGE. */
final class SecretPrinter implements TablePrinter {

  private static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.string("Type", "Used to facilitate programmatic handling of secret data."),
          Column.string(
              "Data",
              "Data contains the secret data. Each key must consist of alphanumeric characters,"
                  + " '-', '_' or '.'."),
          Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode secret, Instant now) {
    // stringData is write-only: by the time a secret is stored it has been merged into data.
    long data = secret.path("data").size();
    return List.of(
        Cells.name(secret), Cells.text(secret.path("type")), data, Cells.age(secret, now));
  }
}
