package io.nauta.controllers.replicaset;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.nauta.core.controller.OwnerReferences;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerStore;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Maps a pod event to the replica set keys it concerns (Kubernetes' addPod, updatePod and
 * deletePod): the pod's controller, observing its expectations on the way; for an orphan, every
 * replica set that could adopt it; on a change of labels or controller, the old owner as well.
 */
final class PodEventHandler {

  private final InformerStore<ReplicaSet> replicaSets;
  private final PodExpectations expectations;

  PodEventHandler(InformerStore<ReplicaSet> replicaSets, PodExpectations expectations) {
    this.replicaSets = replicaSets;
    this.expectations = expectations;
  }

  Collection<String> keys(InformerEvent<Pod> event) {
    Pod pod = event.object();
    switch (event.type()) {
      case ADDED -> {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
          // A pod first seen already terminating (e.g. after a restart): count it as a delete.
          return deleted(pod);
        }
        Optional<String> owner = OwnerReferences.controllerOf(pod).flatMap(r -> resolve(pod, r));
        if (owner.isPresent()) {
          expectations.creationObserved(owner.get());
          return List.of(owner.get());
        }
        if (OwnerReferences.controllerOf(pod).isPresent()) {
          return List.of();
        }
        return adopters(pod);
      }
      case UPDATED -> {
        return updated(event.previous(), pod);
      }
      case DELETED -> {
        return deleted(pod);
      }
      default -> {
        return List.of();
      }
    }
  }

  private Collection<String> updated(Pod old, Pod cur) {
    Set<String> keys = new LinkedHashSet<>();
    boolean labelsChanged =
        !Objects.equals(old.getMetadata().getLabels(), cur.getMetadata().getLabels());
    if (cur.getMetadata().getDeletionTimestamp() != null) {
      keys.addAll(deleted(cur));
      if (labelsChanged) {
        keys.addAll(deleted(old));
      }
      return keys;
    }
    Optional<OwnerReference> curRef = OwnerReferences.controllerOf(cur);
    Optional<OwnerReference> oldRef = OwnerReferences.controllerOf(old);
    boolean refChanged =
        !Objects.equals(curRef.map(OwnerReference::getUid), oldRef.map(OwnerReference::getUid));
    if (refChanged && oldRef.isPresent()) {
      resolve(old, oldRef.get()).ifPresent(keys::add);
    }
    if (curRef.isPresent()) {
      resolve(cur, curRef.get()).ifPresent(keys::add);
      return keys;
    }
    if (labelsChanged || refChanged) {
      keys.addAll(adopters(cur));
    }
    return keys;
  }

  private Collection<String> deleted(Pod pod) {
    Optional<String> owner = OwnerReferences.controllerOf(pod).flatMap(r -> resolve(pod, r));
    owner.ifPresent(k -> expectations.deletionObserved(k, InformerStore.keyOf(pod)));
    return owner.map(List::of).orElse(List.of());
  }

  /** The key of the replica set {@code ref} names, if it is one we know by that uid. */
  private Optional<String> resolve(Pod pod, OwnerReference ref) {
    if (!"ReplicaSet".equals(ref.getKind())) {
      return Optional.empty();
    }
    String key = InformerStore.key(pod.getMetadata().getNamespace(), ref.getName());
    return replicaSets
        .get(key)
        .filter(rs -> Objects.equals(rs.getMetadata().getUid(), ref.getUid()))
        .map(rs -> key);
  }

  /** Every replica set in the pod's namespace whose selector matches it (candidates to adopt). */
  private Collection<String> adopters(Pod pod) {
    return replicaSets
        .byIndex(InformerStore.BY_NAMESPACE, pod.getMetadata().getNamespace())
        .stream()
        .filter(rs -> ReplicaSetSelectors.matches(rs, pod))
        .map(InformerStore::keyOf)
        .toList();
  }
}
