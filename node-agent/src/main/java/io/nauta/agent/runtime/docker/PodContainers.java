package io.nauta.agent.runtime.docker;

import java.util.Comparator;
import java.util.List;

/**
 * A pod's containers in Docker: its sandbox (null if it has none) and every run of every container.
 *
 * @param restartPolicy the pod's restartPolicy, as its sandbox's label keeps it
 */
record PodContainers(PodContainer sandbox, String restartPolicy, List<PodContainer> containers) {

  /** This view with {@code sandbox} (just made) as the pod's sandbox. */
  PodContainers withSandbox(PodContainer sandbox, String restartPolicy) {
    return new PodContainers(sandbox, restartPolicy, containers);
  }

  /** The newest run of a container, or null if it was never created. */
  PodContainer latest(String name) {
    return containers.stream()
        .filter(c -> c.name().equals(name))
        .max(Comparator.comparingInt(PodContainer::restartCount))
        .orElse(null);
  }

  /** The run before {@code latest}, kept for {@code lastState}; null if there is none. */
  PodContainer previous(PodContainer latest) {
    return containers.stream()
        .filter(c -> c.name().equals(latest.name()) && c.restartCount() < latest.restartCount())
        .max(Comparator.comparingInt(PodContainer::restartCount))
        .orElse(null);
  }
}
