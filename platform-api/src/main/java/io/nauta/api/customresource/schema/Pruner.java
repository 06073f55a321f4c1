package io.nauta.api.customresource.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Drops the fields a structural schema does not specify, as apiextensions' {@code pruning.Prune}:
 * below {@code x-kubernetes-preserve-unknown-fields} unknown fields stay (but specified ones are
 * still pruned inside), and the apiVersion, kind and metadata of the resource and of every embedded
 * resource are left alone.
 */
final class Pruner {
  private Pruner() {}

  private static final Set<String> META_FIELDS = Set.of("apiVersion", "kind", "metadata");

  /** Prunes {@code x} in place; {@code isResourceRoot} treats it as a resource (embedded). */
  static void prune(JsonNode x, Schema s, boolean isResourceRoot) {
    pruneNode(x, s, isResourceRoot);
  }

  private static void pruneNode(JsonNode x, Schema s, boolean embedded) {
    if (s != null && s.xPreserveUnknownFields) {
      skipPrune(x, s, embedded);
      return;
    }
    if (x instanceof ObjectNode obj) {
      if (s == null) {
        obj.removeAll();
        return;
      }
      pruneFields(obj, s, embedded, true);
    } else if (x != null && x.isArray()) {
      for (JsonNode item : x.values()) {
        pruneNode(item, s == null ? null : s.items, false);
      }
    }
  }

  /**
   * Prunes inside the fields the schema specifies; drops the others when {@code dropUnknown}
   * (unless below x-kubernetes-preserve-unknown-fields), but never an embedded resource's meta.
   */
  private static void pruneFields(ObjectNode obj, Schema s, boolean embedded, boolean dropUnknown) {
    boolean isEmbedded = embedded || s.xEmbeddedResource;
    List<String> drop = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : obj.properties()) {
      String k = e.getKey();
      if (isEmbedded && META_FIELDS.contains(k)) {
        continue;
      }
      Schema prop = s.properties == null ? null : s.properties.get(k);
      if (prop != null) {
        pruneNode(e.getValue(), prop, false);
      } else if (s.hasAdditionalProperties) {
        pruneNode(e.getValue(), s.additionalProperties, false);
      } else if (dropUnknown) {
        drop.add(k);
      }
    }
    drop.forEach(obj::remove);
  }

  private static void skipPrune(JsonNode x, Schema s, boolean embedded) {
    if (s == null) {
      return;
    }
    if (x instanceof ObjectNode obj) {
      pruneFields(obj, s, embedded, false);
    } else if (x != null && x.isArray()) {
      for (JsonNode item : x.values()) {
        skipPrune(item, s.items, false);
      }
    }
  }
}
