package io.nauta.api.http;

import io.fabric8.kubernetes.api.model.LabelSelector;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code autoscaling/v1 Scale} of an object ({@link ScaleMapping} says where its figures are):
 * {@code status.selector} is the label selector as a string, as {@code kubectl scale} and
 * autoscalers read it.
 */
final class ScaleSubresource {

  private ScaleSubresource() {}

  static ObjectNode toScale(ObjectNode obj, JsonMapper mapper) {
    String selectorText = null;
    JsonNode selector = obj.path("spec").get("selector");
    if (selector != null && selector.isObject()) {
      LabelSelector model = mapper.treeToValue(selector, LabelSelector.class);
      selectorText = io.nauta.core.selector.LabelSelector.fromModel(model).toString();
    }
    return scale(
        obj,
        mapper,
        obj.path("spec").path("replicas").asInt(1),
        obj.path("status").path("replicas").asInt(0),
        selectorText);
  }

  /**
   * A Scale of {@code obj} with these replicas and selector (null: none), its metadata the
   * object's.
   */
  static ObjectNode scale(
      ObjectNode obj, JsonMapper mapper, long specReplicas, long statusReplicas, String selector) {
    ObjectNode scale = mapper.createObjectNode();
    scale.put("kind", "Scale");
    scale.put("apiVersion", "autoscaling/v1");
    ObjectNode meta = scale.putObject("metadata");
    for (String f :
        new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
      JsonNode v = obj.path("metadata").get(f);
      if (v != null) {
        meta.set(f, v);
      }
    }
    scale.putObject("spec").put("replicas", specReplicas);
    ObjectNode status = scale.putObject("status");
    status.put("replicas", statusReplicas);
    if (selector != null) {
      status.put("selector", selector);
    }
    return scale;
  }
}
