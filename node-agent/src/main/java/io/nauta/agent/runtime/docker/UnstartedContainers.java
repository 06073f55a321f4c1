package io.nauta.agent.runtime.docker;

import io.nauta.agent.runtime.ContainerState;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Containers that could not be created (their image is missing or cannot be pulled, or their
 * ConfigMap, Secret or key is), per pod uid, by container name: the one thing Docker cannot tell,
 * so the only state the runtime keeps (with the image pull back-off). An agent that restarts finds
 * them again on its next sync.
 */
final class UnstartedContainers {

  record Unstarted(boolean init, int index, String image, ContainerState.Waiting waiting) {}

  private final Map<String, Map<String, Unstarted>> byPod = new ConcurrentHashMap<>();

  void put(String uid, String container, Unstarted unstarted) {
    byPod.computeIfAbsent(uid, k -> new ConcurrentHashMap<>()).put(container, unstarted);
  }

  /** The container was created after all. */
  void created(String uid, String container) {
    Map<String, Unstarted> pending = byPod.get(uid);
    if (pending != null) {
      pending.remove(container);
    }
  }

  Map<String, Unstarted> of(String uid) {
    return byPod.getOrDefault(uid, Map.of());
  }

  void forget(String uid) {
    byPod.remove(uid);
  }
}
