package io.nauta.core.validation;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Compares model objects by their JSON form. The fabric8 model's {@code equals} tells an absent
 * list from an empty one, which the wire format (and so Kubernetes) does not.
 */
final class JsonComparison {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private JsonComparison() {}

  static JsonNode tree(Object value) {
    return JSON.valueToTree(value);
  }

  static <T> T toModel(JsonNode node, Class<T> type) {
    return JSON.treeToValue(node, type);
  }

  static boolean same(Object a, Object b) {
    return tree(a).equals(tree(b));
  }
}
