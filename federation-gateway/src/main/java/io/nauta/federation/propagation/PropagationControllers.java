package io.nauta.federation.propagation;

import io.nauta.core.controller.Controller;
import java.util.List;

/**
 * The propagation controllers, for ResourceBindings and ClusterResourceBindings, so other parts
 * (the member watches) can send them a binding key: {@code namespace/name} goes to the first, a
 * bare name to the second.
 */
public record PropagationControllers(Controller namespaced, Controller clusterScoped) {

  public List<Controller> all() {
    return List.of(namespaced, clusterScoped);
  }

  public void enqueue(String bindingKey) {
    (bindingKey.contains("/") ? namespaced : clusterScoped).enqueue(bindingKey);
  }
}
