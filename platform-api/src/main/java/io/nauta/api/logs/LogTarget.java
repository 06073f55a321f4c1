package io.nauta.api.logs;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.errors.InternalErrorException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which container's logs a {@code pods/log} request reads and where its node agent listens, decided
 * as Kubernetes' {@code LogLocation} does: the container named, or the pod's only one; refused with
 * Kubernetes' messages otherwise.
 */
public final class LogTarget {

  private LogTarget() {}

  /**
   * The container a request means: the one named, or the only one the pod has. The annotation
   * {@code kubectl.kubernetes.io/default-container} is kubectl's business, as in Kubernetes: it
   * names the container in the request.
   */
  public static String container(Pod pod, String requested) {
    String name = pod.getMetadata().getName();
    PodSpec spec = pod.getSpec();
    List<String> all = new ArrayList<>();
    for (List<? extends Container> list :
        List.of(nonNull(spec.getInitContainers()), nonNull(spec.getContainers()))) {
      list.forEach(c -> all.add(c.getName()));
    }
    if (spec.getEphemeralContainers() != null) {
      spec.getEphemeralContainers().forEach(c -> all.add(c.getName()));
    }
    if (requested == null || requested.isEmpty()) {
      List<Container> containers = nonNull(spec.getContainers());
      if (containers.size() == 1) {
        return containers.get(0).getName();
      }
      if (containers.isEmpty()) {
        throw new BadRequestException("a container name must be specified for pod " + name);
      }
      throw new BadRequestException(
          "a container name must be specified for pod "
              + name
              + ", choose one of: "
              + all.toString().replace(",", ""));
    }
    if (!all.contains(requested)) {
      throw new BadRequestException("container " + requested + " is not valid for pod " + name);
    }
    return requested;
  }

  /** {@code host:port} of the node's agent: its InternalIP and advertised kubelet port. */
  public static String agentAddress(Node node, int defaultPort) {
    String ip = null;
    if (node.getStatus() != null && node.getStatus().getAddresses() != null) {
      for (NodeAddress a : node.getStatus().getAddresses()) {
        if ("InternalIP".equals(a.getType()) && ip == null) {
          ip = a.getAddress();
        }
      }
    }
    if (ip == null || ip.isBlank()) {
      throw new InternalErrorException(
          "node " + node.getMetadata().getName() + " has no InternalIP address");
    }
    Integer port = null;
    if (node.getStatus().getDaemonEndpoints() != null
        && node.getStatus().getDaemonEndpoints().getKubeletEndpoint() != null) {
      port = node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort();
    }
    int p = port == null || port <= 0 ? defaultPort : port;
    return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + p;
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }
}
