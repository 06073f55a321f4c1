package io.nauta.api.admission;

import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Namespaces' deletion: the finalizers in {@code spec.finalizers} (the {@code kubernetes} one that
 * {@link NamespaceStrategy} adds) hold a deleted namespace as metadata finalizers would, and a
 * namespace being deleted turns {@code Terminating} until {@code NamespaceTermination} has emptied
 * it and removed its finalizer.
 */
@Component
class NamespaceHooks implements StoreHooks {

  @Override
  public ResourceType type() {
    return BuiltInResources.NAMESPACES;
  }

  @Override
  public List<String> kindFinalizers(ObjectNode obj) {
    List<String> out = new ArrayList<>();
    obj.path("spec").path("finalizers").forEach(f -> out.add(f.asString()));
    return out;
  }

  @Override
  public void markDeleting(ObjectNode obj) {
    JsonNode status = obj.get("status");
    ObjectNode s = status instanceof ObjectNode o ? o : obj.putObject("status");
    s.put("phase", "Terminating");
  }
}
