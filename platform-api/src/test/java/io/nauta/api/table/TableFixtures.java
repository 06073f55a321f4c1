package io.nauta.api.table;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Objects as JSON trees, timestamps relative to a fixed {@link #NOW}. */
final class TableFixtures {

  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private TableFixtures() {}

  static ObjectNode json(String json) {
    return (ObjectNode) MAPPER.readTree(json);
  }

  /** The RFC 3339 timestamp {@code seconds} before {@link #NOW}. */
  static String ago(long seconds) {
    return NOW.minus(Duration.ofSeconds(seconds)).toString();
  }

  static List<String> columnNames(TablePrinter printer) {
    return printer.columns().stream().map(Column::name).toList();
  }

  static List<String> narrowColumnNames(TablePrinter printer) {
    return printer.columns().stream().filter(c -> c.priority() == 0).map(Column::name).toList();
  }

  static List<Object> cells(String kind, String json) {
    return TablePrinters.forKind(kind).cells(json(json), NOW);
  }
}
