package io.nauta.core.patch;

import java.util.Iterator;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * JSON equality as RFC 6902 defines it for {@code test}, and as strategic merge patch needs it for
 * merge keys and primitive sets. Jackson's own {@code equals} is not enough: it tells {@code 80}
 * (an int) from {@code 80} (a long) or {@code 80.0}, and parsers pick the node type by magnitude.
 * Custom resource enums compare values the same way (Kubernetes converts before DeepEqual).
 */
public final class JsonValues {

  private JsonValues() {}

  public static boolean equal(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (Map.Entry<String, JsonNode> e : a.properties()) {
        if (!equal(e.getValue(), b.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      Iterator<JsonNode> ia = a.values().iterator();
      Iterator<JsonNode> ib = b.values().iterator();
      while (ia.hasNext()) {
        if (!equal(ia.next(), ib.next())) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  /** Where {@code value} first occurs in {@code array} by {@link #equal}, or -1. */
  static int indexOf(Iterable<JsonNode> array, JsonNode value) {
    int i = 0;
    for (JsonNode n : array) {
      if (equal(n, value)) {
        return i;
      }
      i++;
    }
    return -1;
  }
}
