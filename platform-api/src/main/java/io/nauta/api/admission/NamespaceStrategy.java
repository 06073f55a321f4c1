package io.nauta.api.admission;

import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import tools.jackson.databind.node.ObjectNode;

/**
 * Namespaces start {@code Active} with the {@code kubernetes} finalizer in {@code spec}, which
 * keeps a deleted namespace {@code Terminating} until its content is gone.
 */
final class NamespaceStrategy implements ResourceStrategy {

  static final String FINALIZER = "kubernetes";

  @Override
  public ResourceType type() {
    return BuiltInResources.NAMESPACES;
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    // The name label Kubernetes sets on every namespace, so selectors can pick namespaces by name.
    ObjectNode labels = Defaults.object(Defaults.object(obj, "metadata"), "labels");
    String name = obj.path("metadata").path("name").asString("");
    if (!name.isEmpty()) {
      labels.put("kubernetes.io/metadata.name", name);
    }
  }

  @Override
  public ObjectNode initialStatus(ObjectNode obj) {
    ObjectNode spec = Defaults.object(obj, "spec");
    if (!spec.has("finalizers")) {
      spec.putArray("finalizers").add(FINALIZER);
    }
    ObjectNode status = obj.objectNode();
    status.put("phase", "Active");
    return status;
  }
}
