package io.nauta.federation.overrides;

import io.nauta.core.errors.ApiException;
import io.nauta.core.selector.LabelSelector;
import io.nauta.federation.api.ResourceSelector;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Karmada's implicit priority of a resource selector over an object ({@code
 * util.ResourceSelectorPriority}): a selector naming the object beats one whose label selector
 * matches it, which beats one that matches every object of the kind. A name, when given, is all
 * that is compared; the label selector is then ignored.
 */
public final class ResourceSelectors {

  /** The selector does not match. */
  public static final int MISMATCH = 0;

  /** A selector with neither name nor label selector: every object of the kind. */
  public static final int MATCH_ALL = 1;

  /** The selector's label selector matches the object's labels. */
  public static final int MATCH_LABEL_SELECTOR = 2;

  /** The selector names the object. */
  public static final int MATCH_NAME = 3;

  private ResourceSelectors() {}

  /** The highest priority among {@code selectors} for {@code object}. */
  public static int priority(JsonNode object, List<ResourceSelector> selectors) {
    int best = MISMATCH;
    for (ResourceSelector rs : selectors) {
      best = Math.max(best, priority(object, rs));
    }
    return best;
  }

  /** The priority of one selector for {@code object}. */
  public static int priority(JsonNode object, ResourceSelector rs) {
    JsonNode metadata = object.path("metadata");
    if (!object.path("apiVersion").asString("").equals(nonNull(rs.apiVersion()))
        || !object.path("kind").asString("").equals(nonNull(rs.kind()))
        || (!nonNull(rs.namespace()).isEmpty()
            && !metadata.path("namespace").asString("").equals(rs.namespace()))) {
      return MISMATCH;
    }
    if (!nonNull(rs.name()).isEmpty()) {
      return rs.name().equals(metadata.path("name").asString("")) ? MATCH_NAME : MISMATCH;
    }
    if (rs.labelSelector() == null) {
      return MATCH_ALL;
    }
    try {
      return LabelSelector.fromModel(rs.labelSelector()).matches(labels(metadata))
          ? MATCH_LABEL_SELECTOR
          : MISMATCH;
    } catch (ApiException invalid) {
      return MISMATCH;
    }
  }

  static Map<String, String> labels(JsonNode metadata) {
    JsonNode labels = metadata.path("labels");
    if (!labels.isObject()) {
      return Map.of();
    }
    Map<String, String> out = new java.util.HashMap<>();
    labels.properties().forEach(e -> out.put(e.getKey(), e.getValue().asString("")));
    return out;
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
