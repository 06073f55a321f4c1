package io.nauta.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.events.EventRecorder;
import io.nauta.core.registry.BuiltInResources;
import reactor.core.publisher.Mono;

/** {@link DeploymentWriter} on the API server. */
final class ApiDeploymentWriter implements DeploymentWriter {

  private final ResourceClient<Deployment> deployments;
  private final ResourceClient<ReplicaSet> replicaSets;
  private final EventRecorder recorder;

  ApiDeploymentWriter(KubeClient client, EventRecorder recorder) {
    this.deployments = client.resource(BuiltInResources.DEPLOYMENTS, Deployment.class);
    this.replicaSets = client.resource(BuiltInResources.REPLICASETS, ReplicaSet.class);
    this.recorder = recorder;
  }

  @Override
  public Mono<ReplicaSet> createReplicaSet(ReplicaSet rs) {
    return replicaSets.create(rs);
  }

  @Override
  public Mono<ReplicaSet> updateReplicaSet(ReplicaSet rs) {
    return replicaSets.update(rs);
  }

  @Override
  public Mono<Void> deleteReplicaSet(ReplicaSet rs) {
    return replicaSets.delete(rs.getMetadata().getNamespace(), rs.getMetadata().getName());
  }

  @Override
  public Mono<Deployment> updateDeployment(Deployment d) {
    return deployments.update(d);
  }

  @Override
  public Mono<Deployment> updateStatus(Deployment d) {
    return deployments.updateStatus(d);
  }

  @Override
  public Mono<Deployment> getDeployment(String namespace, String name) {
    return deployments.get(namespace, name);
  }

  @Override
  public Mono<ReplicaSet> getReplicaSet(String namespace, String name) {
    return replicaSets.get(namespace, name);
  }

  @Override
  public void event(Deployment d, String type, String reason, String message) {
    // client-go's recorder is asynchronous too: an event never holds up a rollout.
    recorder.record(d, type, reason, message).subscribe();
  }
}
