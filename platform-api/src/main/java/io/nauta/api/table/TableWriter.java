package io.nauta.api.table;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes objects as a {@code meta.k8s.io/v1 Table}, the answer to {@code Accept:
 * application/json;as=Table;g=meta.k8s.io;v=v1}: column definitions, then one row of cells per
 * object with the object (or its metadata) attached as {@code includeObject} asks.
 */
public final class TableWriter {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private TableWriter() {}

  /**
   * @param kind the objects' kind, which picks the columns
   * @param objects never modified; rows carry copies
   * @param resourceVersion, continueToken the list's; omitted when null or empty
   * @param remainingItemCount omitted when null
   * @param now the instant AGE and other durations are measured to
   */
  public static ObjectNode table(
      String kind,
      List<ObjectNode> objects,
      IncludeObject include,
      String resourceVersion,
      String continueToken,
      Long remainingItemCount,
      Instant now) {
    return table(
        TablePrinters.forKind(kind),
        objects,
        include,
        resourceVersion,
        continueToken,
        remainingItemCount,
        now);
  }

  /** The same, with the columns of {@code printer} (a custom resource's, from its definition). */
  public static ObjectNode table(
      TablePrinter printer,
      List<ObjectNode> objects,
      IncludeObject include,
      String resourceVersion,
      String continueToken,
      Long remainingItemCount,
      Instant now) {
    ObjectNode table = JSON.objectNode();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    ObjectNode meta = table.putObject("metadata");
    if (resourceVersion != null && !resourceVersion.isEmpty()) {
      meta.put("resourceVersion", resourceVersion);
    }
    if (continueToken != null && !continueToken.isEmpty()) {
      meta.put("continue", continueToken);
    }
    if (remainingItemCount != null) {
      meta.put("remainingItemCount", remainingItemCount);
    }
    ArrayNode columns = table.putArray("columnDefinitions");
    printer.columns().forEach(c -> columns.add(c.toJson()));
    ArrayNode rows = table.putArray("rows");
    for (ObjectNode obj : objects) {
      rows.add(row(printer, obj, include, now));
    }
    return table;
  }

  private static ObjectNode row(
      TablePrinter printer, ObjectNode obj, IncludeObject include, Instant now) {
    ObjectNode row = JSON.objectNode();
    ArrayNode cells = row.putArray("cells");
    for (Object cell : printer.cells(obj, now)) {
      cells.add(cell(cell));
    }
    List<ObjectNode> conditions = printer.conditions(obj);
    if (!conditions.isEmpty()) {
      row.putArray("conditions").addAll(conditions);
    }
    switch (include) {
      case OBJECT -> row.set("object", obj.deepCopy());
      case METADATA -> row.set("object", partialObjectMetadata(obj));
      case NONE -> {}
    }
    return row;
  }

  private static JsonNode cell(Object value) {
    if (value instanceof String s) {
      return JSON.stringNode(s);
    } else if (value instanceof Long l) {
      return JSON.numberNode(l);
    } else if (value instanceof Integer i) {
      return JSON.numberNode(i.longValue());
    } else if (value instanceof Boolean b) {
      return JSON.booleanNode(b);
    }
    return value == null ? JSON.nullNode() : JSON.stringNode(value.toString());
  }

  private static ObjectNode partialObjectMetadata(ObjectNode obj) {
    ObjectNode partial = JSON.objectNode();
    partial.put("kind", "PartialObjectMetadata");
    partial.put("apiVersion", "meta.k8s.io/v1");
    JsonNode metadata = obj.get("metadata");
    partial.set("metadata", metadata instanceof ObjectNode m ? m.deepCopy() : JSON.objectNode());
    return partial;
  }
}
