package io.nauta.federation.propagation;

import io.nauta.core.client.KubeClient;
import io.nauta.core.client.PatchType;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.registry.ResourceType;
import io.nauta.federation.api.ResourceBinding;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes to a binding's spec or metadata by the federation controllers. A ClusterResourceBinding is
 * read and written as the {@link ResourceBinding} record too (same fields; its {@code kind} says
 * which), through its own resource type.
 */
public final class BindingPatches {

  private BindingPatches() {}

  /**
   * A merge patch of the binding at the resourceVersion read: written in between, it fails with a
   * conflict and the work queue brings the key back to a reconcile of the newer version. A binding
   * gone meanwhile is not an error.
   */
  public static Mono<Void> patch(
      KubeClient gateway, ResourceType bindingType, ResourceBinding binding, ObjectNode patch) {
    return patched(gateway, bindingType, binding, patch).then();
  }

  /** {@link #patch}, with the binding as the API server wrote it (empty if it is gone). */
  public static Mono<ResourceBinding> patched(
      KubeClient gateway, ResourceType bindingType, ResourceBinding binding, ObjectNode patch) {
    MemberObjects.objectAt(patch, "metadata")
        .put("resourceVersion", binding.metadata().getResourceVersion());
    return gateway
        .resource(bindingType, ResourceBinding.class)
        .patch(
            binding.metadata().getNamespace(),
            binding.metadata().getName(),
            PatchType.MERGE,
            patch.toString())
        .onErrorResume(NotFoundException.class, e -> Mono.empty());
  }
}
