package io.nauta.api.customresource;

import io.nauta.api.resource.Meta;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A CustomResourceDefinition's {@code status.conditions}, read and set as upstream's helpers do.
 */
final class Conditions {

  private Conditions() {}

  static JsonNode find(JsonNode crd, String type) {
    for (JsonNode c : crd.path("status").path("conditions")) {
      if (type.equals(c.path("type").asString(""))) {
        return c;
      }
    }
    return null;
  }

  static boolean isTrue(JsonNode crd, String type) {
    JsonNode c = find(crd, type);
    return c != null && "True".equals(c.path("status").asString(""));
  }

  /**
   * Sets a condition on {@code status}; its {@code lastTransitionTime} changes only when its status
   * does, so writing the same condition twice (from two API servers) changes nothing.
   */
  static void set(ObjectNode status, String type, String value, String reason, String message) {
    ArrayNode conditions =
        status.get("conditions") instanceof ArrayNode a ? a : status.putArray("conditions");
    ObjectNode existing = null;
    for (JsonNode c : conditions) {
      if (type.equals(c.path("type").asString("")) && c instanceof ObjectNode o) {
        existing = o;
      }
    }
    if (existing == null) {
      existing = conditions.addObject();
      existing.put("type", type);
    }
    if (!value.equals(existing.path("status").asString(""))
        || !existing.has("lastTransitionTime")) {
      existing.put("lastTransitionTime", Meta.timestamp(Instant.now()));
    }
    existing.put("status", value);
    existing.put("reason", reason);
    existing.put("message", message);
  }
}
