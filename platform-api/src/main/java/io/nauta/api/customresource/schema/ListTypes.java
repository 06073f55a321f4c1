package io.nauta.api.customresource.schema;

import io.nauta.core.errors.FieldError;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The invariants of {@code x-kubernetes-list-type: set} (no duplicate items) and {@code map} (no
 * two items with the same {@code x-kubernetes-list-map-keys}), as apiextensions' {@code
 * listtype.ValidateListSetsAndMaps}: each duplicate after the first is a {@code Duplicate value}.
 * Field paths here are Kubernetes' {@code field.Path}s ({@code spec.labels[key]}).
 */
final class ListTypes {
  private ListTypes() {}

  static void validate(String path, Schema s, JsonNode obj, List<FieldError> errs) {
    if (s == null || obj == null || !obj.isObject() || !s.hasListInvariants) {
      return;
    }
    if (s.additionalProperties != null) {
      for (Map.Entry<String, JsonNode> e : obj.properties()) {
        node(Paths.key(path, e.getKey()), s.additionalProperties, e.getValue(), errs);
      }
    }
    if (s.properties != null) {
      for (Map.Entry<String, JsonNode> e : obj.properties()) {
        Schema sub = s.properties.get(e.getKey());
        if (sub != null) {
          node(Paths.child(path, e.getKey()), sub, e.getValue(), errs);
        }
      }
    }
  }

  private static void node(String path, Schema s, JsonNode obj, List<FieldError> errs) {
    if (!s.hasListInvariants) {
      return;
    }
    if (obj.isArray()) {
      array(path, s, obj, errs);
    } else if (obj.isObject()) {
      validate(path, s, obj, errs);
    }
  }

  private static void array(String path, Schema s, JsonNode arr, List<FieldError> errs) {
    if ("set".equals(s.xListType)) {
      Map<String, Integer> seen = new HashMap<>();
      for (int i = 0; i < arr.size(); i++) {
        if (seen.merge(identity(arr.get(i)), 1, Integer::sum) == 2) {
          errs.add(FieldError.duplicate(Paths.index(path, i), GoText.badValue(arr.get(i))));
        }
      }
    } else if ("map".equals(s.xListType)) {
      mapList(path, s, arr, errs);
    }
    if (s.items != null) {
      for (int i = 0; i < arr.size(); i++) {
        node(Paths.index(path, i), s.items, arr.get(i), errs);
      }
    }
  }

  private static void mapList(String path, Schema s, JsonNode arr, List<FieldError> errs) {
    for (int i = 0; i < arr.size(); i++) {
      JsonNode x = arr.get(i);
      if (!x.isNull() && !x.isObject()) {
        errs.add(
            FieldError.invalid(
                Paths.index(path, i),
                GoText.badValue(x),
                "must be an object for an array of list-type map"));
        return;
      }
    }
    if (arr.size() <= 1) {
      return;
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < arr.size(); i++) {
      ObjectNode key = keyOf(arr.get(i), s.xListMapKeys);
      if (seen.merge(GoText.json(key), 1, Integer::sum) == 2) {
        errs.add(FieldError.duplicate(Paths.index(path, i), new GoText.Printed(GoText.json(key))));
      }
    }
  }

  /** The item's map keys, as upstream prints them in the Duplicate error. */
  static ObjectNode keyOf(JsonNode item, List<String> keys) {
    ObjectNode key = JsonNodeFactory.instance.objectNode();
    if (item != null && item.isObject()) {
      for (String k : keys) {
        JsonNode v = item.get(k);
        if (v != null) {
          key.set(k, v);
        }
      }
    }
    return key;
  }

  /** Identity of a set item: Go compares scalars by value and lists and maps by their JSON. */
  private static String identity(JsonNode v) {
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return "i:" + v.longValue();
    }
    if (v.isNumber()) {
      return "f:" + GoText.number(v.doubleValue());
    }
    return (v.isContainer() ? "c:" : "s:") + GoText.json(v);
  }
}
