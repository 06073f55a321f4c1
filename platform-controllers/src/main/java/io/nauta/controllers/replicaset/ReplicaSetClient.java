package io.nauta.controllers.replicaset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import reactor.core.publisher.Mono;

/**
 * Every write the replica set controller makes, behind one small interface (Kubernetes' {@code
 * PodControlInterface} plus the status update and events), so the sync logic is tested with a fake
 * that records calls.
 */
public interface ReplicaSetClient {

  /** Creates a pod (its name from {@code generateName}); the created pod. */
  Mono<Pod> createPod(String namespace, Pod pod);

  /** Deletes a pod (gracefully, as the API server decides). */
  Mono<Void> deletePod(String namespace, String name);

  /** Applies a strategic merge patch to a pod; the patched pod. */
  Mono<Pod> patchPod(String namespace, String name, String strategicMergePatch);

  /** Reads a replica set from the API server, not a cache (the adoption re-check). */
  Mono<ReplicaSet> getReplicaSet(String namespace, String name);

  /** Writes {@code status} through the status subresource. */
  Mono<Void> updateStatus(ReplicaSet replicaSet, ReplicaSetStatus status);

  /** Records an event about the replica set ({@code Normal} or {@code Warning}). */
  Mono<Void> event(ReplicaSet replicaSet, String type, String reason, String message);
}
