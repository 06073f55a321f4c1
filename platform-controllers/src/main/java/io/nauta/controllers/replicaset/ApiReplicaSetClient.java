package io.nauta.controllers.replicaset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.PatchType;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.events.EventRecorder;
import io.nauta.core.registry.BuiltInResources;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.core.publisher.Mono;

/** {@link ReplicaSetClient} on the API server. */
final class ApiReplicaSetClient implements ReplicaSetClient {

  private final KubeClient client;
  private final ResourceClient<Pod> pods;
  private final ResourceClient<ReplicaSet> replicaSets;
  private final EventRecorder events;

  ApiReplicaSetClient(KubeClient client, EventRecorder events) {
    this.client = client;
    this.pods = client.resource(BuiltInResources.PODS, Pod.class);
    this.replicaSets = client.resource(BuiltInResources.REPLICASETS, ReplicaSet.class);
    this.events = events;
  }

  @Override
  public Mono<Pod> createPod(String namespace, Pod pod) {
    return pods.create(pod);
  }

  @Override
  public Mono<Void> deletePod(String namespace, String name) {
    return pods.delete(namespace, name);
  }

  @Override
  public Mono<Pod> patchPod(String namespace, String name, String patch) {
    return pods.patch(namespace, name, PatchType.STRATEGIC_MERGE, patch);
  }

  @Override
  public Mono<ReplicaSet> getReplicaSet(String namespace, String name) {
    return replicaSets.get(namespace, name);
  }

  /**
   * A merge patch naming every field (zeros and a null for absent conditions included), so it needs
   * no resourceVersion and cannot conflict with writers of other fields.
   */
  @Override
  public Mono<Void> updateStatus(ReplicaSet rs, ReplicaSetStatus status) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("replicas", ReplicaSetStatuses.orZero(status.getReplicas()));
    s.put("fullyLabeledReplicas", ReplicaSetStatuses.orZero(status.getFullyLabeledReplicas()));
    s.put("readyReplicas", ReplicaSetStatuses.orZero(status.getReadyReplicas()));
    s.put("availableReplicas", ReplicaSetStatuses.orZero(status.getAvailableReplicas()));
    s.put("observedGeneration", status.getObservedGeneration());
    s.put(
        "conditions",
        status.getConditions() == null || status.getConditions().isEmpty()
            ? null
            : status.getConditions());
    String patch = client.mapper().writeValueAsString(Map.of("status", s));
    return replicaSets
        .patchStatus(
            rs.getMetadata().getNamespace(), rs.getMetadata().getName(), PatchType.MERGE, patch)
        .then();
  }

  @Override
  public Mono<Void> event(ReplicaSet rs, String type, String reason, String message) {
    return events.record(rs, type, reason, message);
  }
}
