package io.nauta.controllers.replicaset;

import io.nauta.core.controller.Expectations;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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

  public void creationObserved(String key) {
    counts.creationObserved(key);
  }

  public void deletionObserved(String key, String podKey) {
    Set<String> pending = pendingDeletions.get(key);
    if (pending != null && pending.remove(podKey)) {
      counts.deletionObserved(key);
    }
  }

  public boolean satisfied(String key) {
    return counts.satisfied(key);
  }

  public void delete(String key) {
    pendingDeletions.remove(key);
    counts.delete(key);
  }
}
