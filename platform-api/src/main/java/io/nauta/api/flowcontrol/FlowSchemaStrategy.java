package io.nauta.api.flowcontrol;

import io.nauta.api.admission.ResourceStrategy;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import tools.jackson.databind.node.ObjectNode;

/**
 * FlowSchemas as Kubernetes' flowcontrol v1 defaulting and strategy write them: a missing {@code
 * matchingPrecedence} is 1000, and the generation follows the spec.
 */
public final class FlowSchemaStrategy implements ResourceStrategy {

  static final int DEFAULT_MATCHING_PRECEDENCE = 1000;

  @Override
  public ResourceType type() {
    return BuiltInResources.FLOW_SCHEMAS;
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    ObjectNode spec = obj.withObject("/spec");
    if (spec.path("matchingPrecedence").asInt(0) == 0) {
      spec.put("matchingPrecedence", DEFAULT_MATCHING_PRECEDENCE);
    }
  }

  @Override
  public boolean tracksGeneration() {
    return true;
  }
}
