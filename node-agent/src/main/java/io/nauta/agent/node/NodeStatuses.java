package io.nauta.agent.node;

import io.fabric8.kubernetes.api.model.NodeAddressBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.NodeSystemInfoBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A node's status as the kubelet posts it: capacity, allocatable, addresses, node info and the
 * conditions {@code MemoryPressure}, {@code DiskPressure}, {@code PIDPressure} and {@code Ready}
 * with the kubelet's reasons and messages.
 */
public final class NodeStatuses {

  private NodeStatuses() {}

  /**
   * @param current the status the API server has (null for a new node): transition times of
   *     conditions that did not change are kept
   * @param kubeletPort the port the agent's HTTP server listens on (the API server reads logs
   *     there, at the node's InternalIP); 0 when it is not known
   */
  public static NodeStatus desired(
      NodeStatus current,
      Map<String, Quantity> capacity,
      String ip,
      String hostname,
      Map<String, String> info,
      int kubeletPort,
      Instant now) {
    return desired(current, capacity, ip, hostname, info, kubeletPort, null, now);
  }

  /**
   * @param notReady why the node is not ready (e.g. {@code container runtime is down}), or null
   *     when it is: then {@code Ready} is {@code False} with the kubelet's reason {@code
   *     KubeletNotReady} and this message
   */
  public static NodeStatus desired(
      NodeStatus current,
      Map<String, Quantity> capacity,
      String ip,
      String hostname,
      Map<String, String> info,
      int kubeletPort,
      String notReady,
      Instant now) {
    String nowText = now.truncatedTo(ChronoUnit.SECONDS).toString();
    List<NodeCondition> conditions = new ArrayList<>();
    conditions.add(
        condition(
            current,
            "MemoryPressure",
            "False",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
            nowText));
    conditions.add(
        condition(
            current,
            "DiskPressure",
            "False",
            "KubeletHasNoDiskPressure",
            "kubelet has no disk pressure",
            nowText));
    conditions.add(
        condition(
            current,
            "PIDPressure",
            "False",
            "KubeletHasSufficientPID",
            "kubelet has sufficient PID available",
            nowText));
    conditions.add(
        notReady == null
            ? condition(
                current,
                "Ready",
                "True",
                "KubeletReady",
                "kubelet is posting ready status",
                nowText)
            : condition(current, "Ready", "False", "KubeletNotReady", notReady, nowText));
    return new NodeStatusBuilder(current == null ? new NodeStatus() : current)
        .withCapacity(capacity)
        .withAllocatable(capacity)
        .withConditions(conditions)
        .withNewDaemonEndpoints()
        .withNewKubeletEndpoint(kubeletPort)
        .endDaemonEndpoints()
        .withAddresses(
            new NodeAddressBuilder().withType("InternalIP").withAddress(ip).build(),
            new NodeAddressBuilder().withType("Hostname").withAddress(hostname).build())
        .withNodeInfo(
            new NodeSystemInfoBuilder()
                .withArchitecture(info.get("architecture"))
                .withOperatingSystem(info.get("operatingSystem"))
                .withKernelVersion(info.get("kernelVersion"))
                .withOsImage(info.get("osImage"))
                .withContainerRuntimeVersion(info.get("containerRuntimeVersion"))
                .withKubeletVersion(info.get("kubeletVersion"))
                .withKubeProxyVersion("")
                .withMachineID(info.get("machineID"))
                .withSystemUUID(info.get("systemUUID"))
                .withBootID(info.get("bootID"))
                .build())
        .build();
  }

  /**
   * True when {@code desired} says something {@code current} does not, heartbeat times aside: then
   * the status is written before the report interval is up.
   */
  public static boolean changed(NodeStatus current, NodeStatus desired) {
    if (current == null) {
      return true;
    }
    return !Objects.equals(withoutHeartbeats(current), withoutHeartbeats(desired));
  }

  private static NodeStatus withoutHeartbeats(NodeStatus s) {
    List<NodeCondition> conditions =
        s.getConditions() == null
            ? List.of()
            : s.getConditions().stream()
                .map(c -> new NodeConditionBuilder(c).withLastHeartbeatTime(null).build())
                .toList();
    return new NodeStatusBuilder(s).withConditions(conditions).build();
  }

  private static NodeCondition condition(
      NodeStatus current, String type, String status, String reason, String message, String now) {
    String transition = now;
    if (current != null && current.getConditions() != null) {
      for (NodeCondition c : current.getConditions()) {
        if (type.equals(c.getType())
            && status.equals(c.getStatus())
            && c.getLastTransitionTime() != null) {
          transition = c.getLastTransitionTime();
        }
      }
    }
    return new NodeConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastHeartbeatTime(now)
        .withLastTransitionTime(transition)
        .build();
  }
}
