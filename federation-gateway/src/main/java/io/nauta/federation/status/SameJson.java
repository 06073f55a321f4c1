package io.nauta.federation.status;

import java.util.Comparator;
import tools.jackson.databind.JsonNode;

/**
 * JSON equality with numbers compared by value. Jackson's own tells an {@code IntNode} 1 from a
 * {@code LongNode} 1: a status read back from the API server has ints where the aggregation wrote
 * longs, so a plain {@code equals} called every stored status changed and rewrote it on every pass.
 */
final class SameJson {

  private static final Comparator<JsonNode> BY_VALUE =
      (a, b) -> {
        if (a.equals(b)) {
          return 0;
        }
        if (a.isNumber() && b.isNumber()) {
          return a.decimalValue().compareTo(b.decimalValue());
        }
        return 1;
      };

  private SameJson() {}

  static boolean equal(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.equals(BY_VALUE, b);
  }
}
