package io.nauta.api.admission;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Small helpers for filling defaults into JSON trees without overwriting what the user set. */
final class Defaults {

  private Defaults() {}

  /** Absent, null or empty: Go's zero string, which Kubernetes' defaulting fills. */
  static void text(ObjectNode node, String field, String value) {
    if (!node.hasNonNull(field)
        || node.get(field).isString() && node.get(field).asString().isEmpty()) {
      node.put(field, value);
    }
  }

  static void number(ObjectNode node, String field, long value) {
    if (!node.hasNonNull(field)) {
      node.put(field, value);
    }
  }

  static void bool(ObjectNode node, String field, boolean value) {
    if (!node.hasNonNull(field)) {
      node.put(field, value);
    }
  }

  static ObjectNode object(ObjectNode node, String field) {
    JsonNode v = node.get(field);
    if (v instanceof ObjectNode o) {
      return o;
    }
    return node.putObject(field);
  }

  /** Calls {@code action} for each object element of the array at {@code field}, if any. */
  static void eachObject(
      JsonNode node, String field, java.util.function.Consumer<ObjectNode> action) {
    JsonNode arr = node.get(field);
    if (arr != null && arr.isArray()) {
      for (JsonNode e : arr) {
        if (e instanceof ObjectNode o) {
          action.accept(o);
        }
      }
    }
  }
}
