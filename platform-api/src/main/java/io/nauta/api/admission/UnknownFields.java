package io.nauta.api.admission;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Finds the fields of an object that its kind does not have, as Kubernetes' field validation does.
 * The fabric8 model keeps unknown fields in {@code additionalProperties}; a mapper that ignores
 * those writes back only the known fields, and whatever the request has beyond that is unknown.
 */
public final class UnknownFields {

  private final JsonMapper knownOnly;

  public UnknownFields(JsonMapper mapper) {
    this.knownOnly =
        mapper
            .rebuild()
            .annotationIntrospector(
                new JacksonAnnotationIntrospector() {
                  @Override
                  public Boolean hasAnyGetter(MapperConfig<?> config, Annotated a) {
                    return Boolean.FALSE;
                  }
                })
            .build();
  }

  /** The decoded object written back with only the fields its kind has. */
  public JsonNode knownFields(Object typed) {
    return knownOnly.valueToTree(typed);
  }

  /**
   * The fields of {@code obj} missing from {@code known}, as Kubernetes writes their paths: {@code
   * spec.containers[0].foo}.
   */
  public List<String> find(ObjectNode obj, JsonNode known) {
    List<String> out = new ArrayList<>();
    collect(obj, known, "", out);
    return out;
  }

  /** Removes from {@code obj}, in place, every field missing from {@code known}. */
  public void prune(ObjectNode obj, JsonNode known) {
    pruneTree(obj, known);
  }

  private static void pruneTree(JsonNode node, JsonNode known) {
    if (node instanceof ObjectNode o && known != null && known.isObject()) {
      List<String> drop = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        JsonNode k = known.get(e.getKey());
        if (k == null) {
          if (!isEmpty(e.getValue())) {
            drop.add(e.getKey());
          }
        } else {
          pruneTree(e.getValue(), k);
        }
      }
      o.remove(drop);
    } else if (node instanceof ArrayNode a && known != null && known.isArray()) {
      for (int i = 0; i < a.size() && i < known.size(); i++) {
        pruneTree(a.get(i), known.get(i));
      }
    }
  }

  private static void collect(JsonNode node, JsonNode known, String path, List<String> out) {
    if (node.isObject() && known != null && known.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        JsonNode k = known.get(e.getKey());
        if (k == null) {
          // A known field left empty is not written back by the model; only report real data.
          if (!isEmpty(e.getValue())) {
            out.add(child);
          }
        } else {
          collect(e.getValue(), k, child, out);
        }
      }
    } else if (node.isArray() && known != null && known.isArray()) {
      for (int i = 0; i < node.size() && i < known.size(); i++) {
        collect(node.get(i), known.get(i), path + "[" + i + "]", out);
      }
    }
  }

  private static boolean isEmpty(JsonNode v) {
    return v.isNull() || ((v.isObject() || v.isArray()) && v.isEmpty());
  }
}
