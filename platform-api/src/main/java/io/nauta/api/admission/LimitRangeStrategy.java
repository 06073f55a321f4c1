package io.nauta.api.admission;

import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * LimitRanges (v1), upstream's {@code SetDefaults_LimitRangeItem}: for a Container item, a missing
 * default limit is the max, a missing default request the default limit, else the min.
 */
final class LimitRangeStrategy implements ResourceStrategy {

  @Override
  public ResourceType type() {
    return BuiltInResources.LIMIT_RANGES;
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    for (JsonNode item : obj.path("spec").path("limits")) {
      if (!(item instanceof ObjectNode limit)
          || !"Container".equals(limit.path("type").asString(""))) {
        continue;
      }
      ObjectNode defaults = Defaults.object(limit, "default");
      ObjectNode requests = Defaults.object(limit, "defaultRequest");
      fill(defaults, limit.path("max"));
      fill(requests, defaults);
      fill(requests, limit.path("min"));
      if (defaults.isEmpty()) {
        limit.remove("default");
      }
      if (requests.isEmpty()) {
        limit.remove("defaultRequest");
      }
    }
  }

  private static void fill(ObjectNode to, JsonNode from) {
    for (Map.Entry<String, JsonNode> e : from.properties()) {
      if (!to.has(e.getKey())) {
        to.set(e.getKey(), e.getValue().deepCopy());
      }
    }
  }
}
