package io.nauta.api.admission;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.nauta.core.registry.ResourceType;
import java.util.List;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * What one kind does around the generic store's writes, beyond its {@link ResourceStrategy}: the
 * Kubernetes apiserver's {@code BeginCreate}, {@code BeginUpdate}, {@code AfterDelete} and
 * graceful-delete strategy ({@code registry/generic/registry/store.go}). The store calls these and
 * never asks which kind it writes; a kind with nothing to do here registers no hooks at all.
 *
 * <p>To give a kind hooks, write one {@code @Component} implementing this interface for its {@link
 * #type()}; {@link Hooks} finds it. At most one per type.
 */
public interface StoreHooks {

  ResourceType type();

  /**
   * Before a new object is stored (after admission; never on a dry run): claims what the object
   * needs, e.g. a service's cluster IP, and may fill what it claimed into {@code obj}. The returned
   * {@link Finish} hears whether the write succeeded, so a failed one gives the claim back.
   */
  default Mono<Finish> beginCreate(ObjectNode obj) {
    return Finish.NOTHING;
  }

  /**
   * Before an update of the main resource is stored (after admission; never on a dry run nor for a
   * subresource write), as {@link #beginCreate}; {@code old} is the stored object.
   */
  default Mono<Finish> beginUpdate(ObjectNode updated, ObjectNode old) {
    return Finish.NOTHING;
  }

  /**
   * After the object has left storage (not on a dry run). Errors here cannot undo the deletion, so
   * the hook deals with its own (a repair loop, a log line) and completes.
   */
  default Mono<Void> afterDelete(ObjectNode deleted) {
    return Mono.empty();
  }

  /**
   * The graceful-deletion policy ({@code RESTGracefulDeleteStrategy.CheckGracefulDelete}): how long
   * a deleted object stays with a {@code deletionTimestamp} before it may go, in seconds; null when
   * the kind has no graceful deletion (the object goes at once unless finalizers hold it).
   */
  default Long gracePeriodSeconds(ObjectNode obj, DeleteOptions options) {
    return null;
  }

  /**
   * Whether an object whose last finalizer went stays anyway, because its grace period is still
   * running (a pod waits for its node agent to delete it with 0).
   */
  default boolean waitsForGracePeriod(ObjectNode obj) {
    return false;
  }

  /**
   * Finalizers the kind keeps outside {@code metadata.finalizers} that also hold a deleted object
   * (a namespace's {@code spec.finalizers}).
   */
  default List<String> kindFinalizers(ObjectNode obj) {
    return List.of();
  }

  /**
   * Marks an object whose deletion has begun and is held by finalizers or a grace period (a
   * namespace turns {@code Terminating}).
   */
  default void markDeleting(ObjectNode obj) {}

  /**
   * What a begin hook leaves to do once the write is decided, as upstream's {@code FinishFunc}:
   * commit on success (e.g. free what the old object held), undo on failure.
   */
  @FunctionalInterface
  interface Finish {

    Mono<Finish> NOTHING = Mono.just(success -> Mono.empty());

    Mono<Void> finish(boolean success);
  }
}
