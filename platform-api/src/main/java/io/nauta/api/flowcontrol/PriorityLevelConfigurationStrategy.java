package io.nauta.api.flowcontrol;

import io.nauta.api.admission.ResourceStrategy;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * PriorityLevelConfigurations as Kubernetes' flowcontrol v1 defaulting writes them: a limited level
 * without {@code nominalConcurrencyShares} gets 30 (v1 lets 0 stand), {@code lendablePercent} 0,
 * and queuing 64 queues, a hand of 8 and 50 requests per queue; an {@code exempt} block gets zeros.
 * The generation follows the spec.
 */
public final class PriorityLevelConfigurationStrategy implements ResourceStrategy {

  @Override
  public ResourceType type() {
    return BuiltInResources.PRIORITY_LEVEL_CONFIGURATIONS;
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    JsonNode spec = obj.path("spec");
    if (spec.get("limited") instanceof ObjectNode limited) {
      zeroIfMissing(limited, "nominalConcurrencyShares", 30);
      zeroIfMissing(limited, "lendablePercent", 0);
      if (limited.path("limitResponse").get("queuing") instanceof ObjectNode queuing) {
        defaultIfZero(queuing, "handSize", 8);
        defaultIfZero(queuing, "queues", 64);
        defaultIfZero(queuing, "queueLengthLimit", 50);
      }
    }
    if (spec.get("exempt") instanceof ObjectNode exempt) {
      zeroIfMissing(exempt, "nominalConcurrencyShares", 0);
      zeroIfMissing(exempt, "lendablePercent", 0);
    }
  }

  @Override
  public boolean tracksGeneration() {
    return true;
  }

  /** A pointer field in Go: only an absent (or null) value takes the default. */
  private static void zeroIfMissing(ObjectNode o, String field, int value) {
    if (o.get(field) == null || o.get(field).isNull()) {
      o.put(field, value);
    }
  }

  /** A plain int field in Go: zero means unset. */
  private static void defaultIfZero(ObjectNode o, String field, int value) {
    if (o.path(field).asInt(0) == 0) {
      o.put(field, value);
    }
  }
}
