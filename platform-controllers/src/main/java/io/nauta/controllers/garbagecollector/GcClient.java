package io.nauta.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.nauta.core.registry.ResourceType;
import reactor.core.publisher.Mono;

/** The garbage collector's writes and live reads, behind an interface for tests. */
public interface GcClient {

  /** The object as the API server has it now; empty when it does not exist. */
  Mono<HasMetadata> get(ResourceType type, String namespace, String name);

  /**
   * Deletes the object if it still has {@code uid}, with {@code propagationPolicy} ({@code
   * Background}, {@code Foreground} or {@code Orphan}). Completes empty when it is already gone.
   */
  Mono<Void> delete(
      ResourceType type, String namespace, String name, String uid, String propagationPolicy);

  /** Applies a strategic merge patch that edits {@code metadata.ownerReferences}. */
  Mono<Void> patchOwnerReferences(
      ResourceType type, String namespace, String name, String strategicMergePatch);

  /**
   * Applies a JSON merge patch that replaces {@code metadata.ownerReferences}: for custom
   * resources, which take no strategic merge patch. By default the strategic one's path (fakes).
   */
  default Mono<Void> mergePatchOwnerReferences(
      ResourceType type, String namespace, String name, String mergePatch) {
    return patchOwnerReferences(type, namespace, name, mergePatch);
  }

  /** Removes {@code finalizer} from the live object (if it is still there). */
  Mono<Void> removeFinalizer(ResourceType type, String namespace, String name, String finalizer);
}
