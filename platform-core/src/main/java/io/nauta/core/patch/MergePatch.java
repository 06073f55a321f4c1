package io.nauta.core.patch;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * RFC 7386 JSON Merge Patch ({@code application/merge-patch+json}): objects merge recursively, a
 * null removes a member, anything else (arrays included) replaces what was there.
 */
public final class MergePatch {

  private MergePatch() {}

  public static JsonNode apply(JsonNode target, JsonNode patch) {
    return merge(target == null ? null : target.deepCopy(), patch);
  }

  /** RFC 7386 section 2, on a target that is already ours to change. */
  private static JsonNode merge(JsonNode target, JsonNode patch) {
    if (patch == null || !patch.isObject()) {
      return patch == null ? null : patch.deepCopy();
    }
    ObjectNode result =
        target != null && target.isObject()
            ? (ObjectNode) target
            : JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      if (e.getValue().isNull()) {
        result.remove(e.getKey());
      } else {
        result.set(e.getKey(), merge(result.get(e.getKey()), e.getValue()));
      }
    }
    return result;
  }
}
