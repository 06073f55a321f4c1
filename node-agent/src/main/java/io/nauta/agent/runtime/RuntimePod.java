package io.nauta.agent.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What runs for one pod: its sandbox's IP and its containers, init containers apart.
 *
 * @param uid the pod's {@code metadata.uid}
 * @param namespace the pod's namespace
 * @param name the pod's name
 * @param ip the sandbox's IP (the pod IP)
 * @param createdAt when the sandbox was created
 * @param initContainers the init containers that were created, in spec order
 * @param containers the app containers that were created, in spec order
 */
public record RuntimePod(
    String uid,
    String namespace,
    String name,
    String ip,
    Instant createdAt,
    List<RuntimeContainer> initContainers,
    List<RuntimeContainer> containers) {

  public RuntimePod {
    initContainers = List.copyOf(initContainers);
    containers = List.copyOf(containers);
  }

  public Optional<RuntimeContainer> container(String name) {
    return containers.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  public Optional<RuntimeContainer> initContainer(String name) {
    return initContainers.stream().filter(c -> c.name().equals(name)).findFirst();
  }
}
