package io.nauta.core.selector;

import java.util.List;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;

/**
 * A field that a field selector may name, and where its value lives in the object's JSON.
 *
 * @param name the selector's name for it, e.g. {@code spec.nodeName}
 * @param sources where to read it, first non-empty wins
 * @param whenMissing its value when no source holds one: Kubernetes reads these fields from typed
 *     Go structs, so an absent boolean is {@code false}, an absent count {@code 0}, an absent
 *     string ""
 */
record SelectableField(String name, List<JsonPointer> sources, String whenMissing) {

  static SelectableField string(String name) {
    return new SelectableField(name, List.of(pointer(name)), "");
  }

  static SelectableField bool(String name) {
    return new SelectableField(name, List.of(pointer(name)), "false");
  }

  static SelectableField integer(String name) {
    return new SelectableField(name, List.of(pointer(name)), "0");
  }

  /** A count named {@code name} in selectors, read from {@code path}. */
  static SelectableField integerFrom(String name, String path) {
    return new SelectableField(name, List.of(pointer(path)), "0");
  }

  /** A field named {@code name} whose value is read from the first of {@code paths} that is set. */
  static SelectableField readFrom(String name, String... paths) {
    return new SelectableField(
        name, List.of(paths).stream().map(SelectableField::pointer).toList(), "");
  }

  String read(JsonNode object) {
    for (JsonPointer source : sources) {
      JsonNode node = object.at(source);
      if (node.isValueNode() && !node.isNull()) {
        String value = node.asString();
        if (!value.isEmpty()) {
          return value;
        }
      }
    }
    return whenMissing;
  }

  private static JsonPointer pointer(String dottedPath) {
    return JsonPointer.compile("/" + dottedPath.replace('.', '/'));
  }
}
