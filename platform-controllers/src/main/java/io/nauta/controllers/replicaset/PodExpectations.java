package io.nauta.controllers.replicaset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.controllers.pods.Adoption;
import io.nauta.core.controller.Expectations;
import io.nauta.core.controller.OwnerReferences;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerStore;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Kubernetes' {@code UIDTrackingControllerExpectations}: creations are counted, deletions are
 * tracked by pod key, so a pod seen twice on its way out (once when it gets a deletionTimestamp,
 * once when it is removed) counts once, and a late event for an earlier deletion cannot satisfy a
 * newer expectation.
 */
public final class PodExpectations {

  private final Expectations counts;
  private final Map<String, Set<String>> pendingDeletions = new ConcurrentHashMap<>();

  public PodExpectations(Expectations counts) {
    this.counts = counts;
  }

  public void expectCreations(String key, int adds) {
    pendingDeletions.remove(key);
    counts.expectCreations(key, adds);
  }

  public void expectDeletions(String key, Collection<String> podKeys) {
    Set<String> pending = ConcurrentHashMap.newKeySet();
    pending.addAll(podKeys);
    pendingDeletions.put(key, pending);
    counts.expectDeletions(key, pending.size());
  }

  /** Creations and deletions at once, as a DaemonSet's pass may both add and remove pods. */
  public void expect(String key, int adds, Collection<String> podKeys) {
    Set<String> pending = ConcurrentHashMap.newKeySet();
    pending.addAll(podKeys);
    pendingDeletions.put(key, pending);
    counts.expect(key, adds, pending.size());
  }

  public void creationObserved(String key) {
    counts.creationObserved(key);
  }

  public void deletionObserved(String key, String podKey) {
    Set<String> pending = pendingDeletions.get(key);
    if (pending != null && pending.remove(podKey)) {
      counts.deletionObserved(key);
    }
  }

  /**
   * Observes what an event of a pod controlled by {@code owner} means: a creation when a live pod
   * appears, a deletion when it gets its deletionTimestamp or goes.
   */
  public void observe(String owner, InformerEvent<Pod> event) {
    Pod pod = event.object();
    boolean leaving = pod.getMetadata().getDeletionTimestamp() != null;
    switch (event.type()) {
      case ADDED -> {
        if (leaving) {
          deletionObserved(owner, InformerStore.keyOf(pod));
        } else {
          creationObserved(owner);
        }
      }
      case UPDATED -> {
        if (leaving) {
          deletionObserved(owner, InformerStore.keyOf(pod));
        }
      }
      case DELETED -> deletionObserved(owner, InformerStore.keyOf(pod));
      default -> {}
    }
  }

  /**
   * Where a pod event goes for a controller of {@code kind} with a selector per owner: to the
   * controlling owner in {@code owners} by name and uid (observing the expectations), or, for a
   * live orphan, to the owners whose selector matches it (they may adopt it).
   */
  public <O extends HasMetadata> Collection<String> route(
      InformerEvent<Pod> event,
      String kind,
      InformerStore<O> owners,
      Function<O, io.fabric8.kubernetes.api.model.LabelSelector> selectorOf) {
    Pod pod = event.object();
    Optional<String> owner = OwnerReferences.controllerKey(pod, kind, owners);
    if (owner.isEmpty()) {
      return OwnerReferences.controllerOf(pod).isPresent()
              || event.type() == InformerEvent.Type.DELETED
          ? List.of()
          : Adoption.adopters(pod, owners, selectorOf);
    }
    observe(owner.get(), event);
    return List.of(owner.get());
  }

  /** An owner's event: a deleted owner's expectations go; no key to enqueue by itself. */
  public <O extends HasMetadata> Collection<String> forgetDeleted(InformerEvent<O> event) {
    if (event.type() == InformerEvent.Type.DELETED) {
      delete(InformerStore.keyOf(event.object()));
    }
    return List.of();
  }

  public boolean satisfied(String key) {
    return counts.satisfied(key);
  }

  public void delete(String key) {
    pendingDeletions.remove(key);
    counts.delete(key);
  }
}
