package io.nauta.api.admission;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.nauta.api.resource.Meta;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pods' graceful deletion, as Kubernetes' pod strategy ({@code CheckGracefulDelete}): a pod bound
 * to a node and still running stays, marked for deletion, until its node agent has stopped the
 * containers and deletes it with a grace period of 0.
 */
@Component
class PodHooks implements StoreHooks {

  @Override
  public ResourceType type() {
    return BuiltInResources.PODS;
  }

  /**
   * Only pods bound to a node and not finished get a grace period: the request's, else the pod's
   * {@code terminationGracePeriodSeconds} (30 by default); the others go at once.
   */
  @Override
  public Long gracePeriodSeconds(ObjectNode obj, DeleteOptions options) {
    JsonNode spec = obj.path("spec");
    String phase = obj.path("status").path("phase").asString("");
    if (spec.path("nodeName").asString("").isEmpty()
        || phase.equals("Succeeded")
        || phase.equals("Failed")) {
      return 0L;
    }
    if (options.getGracePeriodSeconds() != null) {
      return Math.max(0, options.getGracePeriodSeconds());
    }
    return spec.path("terminationGracePeriodSeconds").asLong(30);
  }

  @Override
  public boolean waitsForGracePeriod(ObjectNode obj) {
    return Meta.of(obj).path("deletionGracePeriodSeconds").asLong(0) > 0;
  }
}
