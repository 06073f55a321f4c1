package io.nauta.controllers.replicaset;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.nauta.core.controller.OwnerReferences;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.selector.LabelSelector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kubernetes' {@code PodControllerRefManager.ClaimPods}: of the active pods in the replica set's
 * namespace it keeps those it controls that still match its selector, adopts matching orphans
 * (after re-reading the replica set from the API server, so a replica set deleted a moment ago
 * adopts nothing) and releases pods it controls that no longer match.
 */
final class PodClaimer {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ReplicaSetClient client;

  PodClaimer(ReplicaSetClient client) {
    this.client = client;
  }

  /** The pods {@code rs} owns after adopting and releasing. */
  Mono<List<Pod>> claim(ReplicaSet rs, LabelSelector selector, List<Pod> pods) {
    boolean deleting = rs.getMetadata().getDeletionTimestamp() != null;
    Mono<ReplicaSet> canAdopt = recheck(rs).cache();
    return Flux.fromIterable(pods)
        .concatMap(
            pod -> {
              Optional<OwnerReference> ref = OwnerReferences.controllerOf(pod);
              boolean matches = selector.matches(pod.getMetadata().getLabels());
              if (ref.isPresent()) {
                if (!rs.getMetadata().getUid().equals(ref.get().getUid())) {
                  return Mono.empty();
                }
                if (matches) {
                  return Mono.just(pod);
                }
                if (deleting) {
                  return Mono.empty();
                }
                return release(rs, pod).then(Mono.<Pod>empty());
              }
              if (deleting || !matches || pod.getMetadata().getDeletionTimestamp() != null) {
                return Mono.empty();
              }
              return canAdopt.then(Mono.defer(() -> adopt(rs, pod)));
            })
        .collectList();
  }

  /** Kubernetes' RecheckDeletionTimestamp: the live replica set must be this one, not deleting. */
  private Mono<ReplicaSet> recheck(ReplicaSet rs) {
    return client
        .getReplicaSet(rs.getMetadata().getNamespace(), rs.getMetadata().getName())
        .flatMap(
            fresh -> {
              if (!rs.getMetadata().getUid().equals(fresh.getMetadata().getUid())) {
                return Mono.error(
                    new IllegalStateException(
                        "original ReplicaSet "
                            + rs.getMetadata().getName()
                            + " is gone: got uid "
                            + fresh.getMetadata().getUid()));
              }
              if (fresh.getMetadata().getDeletionTimestamp() != null) {
                return Mono.error(
                    new IllegalStateException(
                        "ReplicaSet "
                            + rs.getMetadata().getName()
                            + " has just been deleted at "
                            + fresh.getMetadata().getDeletionTimestamp()));
              }
              return Mono.just(fresh);
            });
  }

  private Mono<Pod> adopt(ReplicaSet rs, Pod pod) {
    OwnerReference ref = OwnerReferences.controllerReference(rs);
    Map<String, Object> owner = new LinkedHashMap<>();
    owner.put("apiVersion", ref.getApiVersion());
    owner.put("kind", ref.getKind());
    owner.put("name", ref.getName());
    owner.put("uid", ref.getUid());
    owner.put("controller", true);
    owner.put("blockOwnerDeletion", true);
    return patch(pod, List.of(owner));
  }

  private Mono<Void> release(ReplicaSet rs, Pod pod) {
    return patch(pod, List.of(Map.of("$patch", "delete", "uid", rs.getMetadata().getUid()))).then();
  }

  /** An ownerReferences patch with the pod's uid, as upstream, so a re-created pod is untouched. */
  private Mono<Pod> patch(Pod pod, List<Map<String, Object>> ownerReferences) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("ownerReferences", ownerReferences);
    metadata.put("uid", pod.getMetadata().getUid());
    String body = JSON.writeValueAsString(Map.of("metadata", metadata));
    return client
        .patchPod(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), body)
        .onErrorResume(NotFoundException.class, e -> Mono.empty());
  }
}
