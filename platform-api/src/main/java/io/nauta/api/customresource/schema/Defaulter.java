package io.nauta.api.customresource.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies {@code default}s as apiextensions' decoder does: first {@code
 * PruneNonNullableNullsWithoutDefaults} (a null where the schema is not nullable and has no default
 * is dropped), then {@code Default} (absent fields, and nulls that are not nullable, get a deep
 * copy of the default), also inside list items and additionalProperties.
 */
final class Defaulter {
  private Defaulter() {}

  static void apply(JsonNode x, Schema s) {
    pruneNonNullableNulls(x, s);
    defaults(x, s);
  }

  private static Schema fieldSchema(String field, Schema s) {
    if (s == null) {
      return null;
    }
    Schema p = s.properties == null ? null : s.properties.get(field);
    if (p != null) {
      return p;
    }
    return s.hasAdditionalProperties ? s.additionalProperties : null;
  }

  private static boolean isNull(JsonNode v) {
    return v == null || v.isNull();
  }

  private static void pruneNonNullableNulls(JsonNode x, Schema s) {
    if (x instanceof ObjectNode obj) {
      List<String> drop = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : obj.properties()) {
        Schema schema = fieldSchema(e.getKey(), s);
        if (isNull(e.getValue())
            && schema != null
            && !schema.nullable
            && schema.defaultValue == null) {
          drop.add(e.getKey());
        } else {
          pruneNonNullableNulls(e.getValue(), schema);
        }
      }
      drop.forEach(obj::remove);
    } else if (x instanceof ArrayNode arr) {
      Schema items = s == null ? null : s.items;
      for (JsonNode item : arr.values()) {
        pruneNonNullableNulls(item, items);
      }
    }
  }

  private static boolean isNonNullableNull(JsonNode x, Schema s) {
    return isNull(x) && s != null && !s.nullable;
  }

  private static JsonNode copy(Schema s) {
    return s.defaultValue == null
        ? tools.jackson.databind.node.JsonNodeFactory.instance.nullNode()
        : s.defaultValue.deepCopy();
  }

  private static void defaults(JsonNode x, Schema s) {
    if (s == null) {
      return;
    }
    if (x instanceof ObjectNode obj) {
      if (s.properties != null) {
        for (Map.Entry<String, Schema> e : s.properties.entrySet()) {
          Schema prop = e.getValue();
          if (prop.defaultValue == null) {
            continue;
          }
          JsonNode current = obj.get(e.getKey());
          if (current == null || isNonNullableNull(current, prop)) {
            obj.set(e.getKey(), prop.defaultValue.deepCopy());
          }
        }
      }
      for (String k : new ArrayList<>(obj.propertyNames())) {
        Schema prop = s.properties == null ? null : s.properties.get(k);
        if (prop != null) {
          defaults(obj.get(k), prop);
        } else if (s.hasAdditionalProperties) {
          Schema ap = s.additionalProperties;
          if (isNonNullableNull(obj.get(k), ap)) {
            obj.set(k, copy(ap));
          }
          defaults(obj.get(k), ap);
        }
      }
    } else if (x instanceof ArrayNode arr) {
      for (int i = 0; i < arr.size(); i++) {
        if (isNonNullableNull(arr.get(i), s.items)) {
          arr.set(i, copy(s.items));
        }
        defaults(arr.get(i), s.items);
      }
    }
  }
}
