package io.nauta.api.admission;

import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * PodDisruptionBudgets (policy/v1), as upstream's strategy: no defaults (upstream leaves {@code
 * unhealthyPodEvictionPolicy} unset), a new budget's status is the zero status (its counts are not
 * omitted in v1, so a client reads {@code disruptionsAllowed: 0} until the disruption controller
 * has looked), and {@code metadata.generation} follows the spec, which evictions compare with
 * {@code status.observedGeneration}.
 */
final class PodDisruptionBudgetStrategy implements ResourceStrategy {

  @Override
  public ResourceType type() {
    return BuiltInResources.POD_DISRUPTION_BUDGETS;
  }

  @Override
  public ObjectNode initialStatus(ObjectNode obj) {
    ObjectNode status = JsonNodeFactory.instance.objectNode();
    status.put("disruptionsAllowed", 0);
    status.put("currentHealthy", 0);
    status.put("desiredHealthy", 0);
    status.put("expectedPods", 0);
    return status;
  }

  @Override
  public boolean tracksGeneration() {
    return true;
  }
}
