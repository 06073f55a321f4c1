package io.nauta.agent.probes;

import io.fabric8.kubernetes.api.model.ContainerPort;
import java.util.List;

/**
 * The container a probe runs against.
 *
 * @param containerId the runtime's id of the container ({@code exec} runs in it)
 * @param podIp the pod's IP ({@code httpGet} and {@code tcpSocket} go to it unless they name a
 *     host)
 * @param ports the container's ports from its spec, which named probe ports refer to
 */
public record ProbeTarget(String containerId, String podIp, List<ContainerPort> ports) {

  public ProbeTarget {
    ports = ports == null ? List.of() : List.copyOf(ports);
  }
}
