package io.nauta.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import reactor.core.publisher.Mono;

/**
 * Everything the deployment controller does to the API (plus the two fresh reads it needs before
 * adopting or after a name clash), so the rollout logic can be tested against a recording fake.
 * Updates carry {@code metadata.resourceVersion}: a write based on a stale cache fails with a
 * conflict and the sync is retried.
 */
public interface DeploymentWriter {

  Mono<ReplicaSet> createReplicaSet(ReplicaSet rs);

  /** PUT of the whole replica set (scale, annotations, owner references). */
  Mono<ReplicaSet> updateReplicaSet(ReplicaSet rs);

  Mono<Void> deleteReplicaSet(ReplicaSet rs);

  /** PUT of the deployment: its revision annotation, or the template a rollback restores. */
  Mono<Deployment> updateDeployment(Deployment d);

  /** PUT of the deployment's status subresource. */
  Mono<Deployment> updateStatus(Deployment d);

  Mono<Deployment> getDeployment(String namespace, String name);

  Mono<ReplicaSet> getReplicaSet(String namespace, String name);

  /** Records an event about the deployment; never fails and never delays the caller. */
  void event(Deployment d, String type, String reason, String message);
}
