package io.nauta.controllers.endpoints;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.nauta.controllers.pods.PodConditions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The subsets of a service's Endpoints, computed from its pods as Kubernetes' endpoints controller
 * does: every pod with an IP that is not terminating (unless {@code publishNotReadyAddresses}) is
 * an address, ready or not ready; each service port is resolved against the pod ({@code targetPort}
 * a number, or the name of a container port; a pod without that named port is left out for that
 * port); then addresses are grouped by the set of ports they serve ({@code RepackSubsets}), with
 * ports and addresses sorted so the result is stable.
 */
public final class EndpointSubsets {

  private EndpointSubsets() {}

  public static List<EndpointSubset> compute(Service service, List<Pod> pods) {
    boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
    List<ServicePort> servicePorts =
        service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
    // ip -> (address, ready, ports it serves)
    Map<String, Member> members = new TreeMap<>();
    for (Pod pod : pods) {
      if (!shouldBeInEndpoints(pod, publishNotReady)) {
        continue;
      }
      String ip = pod.getStatus().getPodIP();
      boolean ready = publishNotReady || PodConditions.isReady(pod);
      List<ServedPort> served = ServedPort.of(pod, servicePorts);
      if (!servicePorts.isEmpty() && served.isEmpty()) {
        continue; // serves none of the service's ports
      }
      List<EndpointPort> ports = served.stream().map(ServedPort::toEndpointPort).toList();
      String key = ServedPort.key(served);
      members.putIfAbsent(ip, new Member(address(pod), ready, ports, key));
    }
    // Group addresses by the exact list of ports they serve.
    Map<String, List<Member>> byPorts = new LinkedHashMap<>();
    Map<String, List<EndpointPort>> portLists = new LinkedHashMap<>();
    for (Member m : members.values()) {
      String k = m.portsKey();
      byPorts.computeIfAbsent(k, x -> new ArrayList<>()).add(m);
      portLists.putIfAbsent(k, m.ports());
    }
    List<EndpointSubset> subsets = new ArrayList<>();
    byPorts.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              EndpointSubsetBuilder b = new EndpointSubsetBuilder();
              for (Member m : e.getValue()) {
                if (m.ready()) {
                  b.addToAddresses(m.address());
                } else {
                  b.addToNotReadyAddresses(m.address());
                }
              }
              List<EndpointPort> ports = portLists.get(e.getKey());
              if (!ports.isEmpty()) {
                b.withPorts(ports);
              }
              subsets.add(b.build());
            });
    return subsets;
  }

  /** Kubernetes' {@code ShouldPodBeInEndpoints}: an IP, not finished, not terminating. */
  public static boolean shouldBeInEndpoints(Pod pod, boolean includeTerminating) {
    if (pod.getStatus() == null
        || pod.getStatus().getPodIP() == null
        || pod.getStatus().getPodIP().isEmpty()) {
      return false;
    }
    String phase = pod.getStatus().getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return false;
    }
    return includeTerminating || pod.getMetadata().getDeletionTimestamp() == null;
  }

  /**
   * The pod's port for a service port ({@code FindPort}): a numeric {@code targetPort} as it is, a
   * named one looked up among the containers' ports of the same protocol; empty when the pod has no
   * such port.
   */
  public static OptionalInt resolvePort(Pod pod, ServicePort sp) {
    IntOrString target = sp.getTargetPort();
    if (target == null || (target.getIntVal() == null && target.getStrVal() == null)) {
      return sp.getPort() == null ? OptionalInt.empty() : OptionalInt.of(sp.getPort());
    }
    if (target.getIntVal() != null) {
      return OptionalInt.of(target.getIntVal());
    }
    String name = target.getStrVal();
    try {
      return OptionalInt.of(Integer.parseInt(name));
    } catch (NumberFormatException notANumber) {
      // a port name
    }
    String protocol = sp.getProtocol() == null ? "TCP" : sp.getProtocol();
    if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
      return OptionalInt.empty();
    }
    for (Container c : pod.getSpec().getContainers()) {
      if (c.getPorts() == null) {
        continue;
      }
      for (ContainerPort p : c.getPorts()) {
        String pp = p.getProtocol() == null ? "TCP" : p.getProtocol();
        if (name.equals(p.getName()) && protocol.equals(pp) && p.getContainerPort() != null) {
          return OptionalInt.of(p.getContainerPort());
        }
      }
    }
    return OptionalInt.empty();
  }

  private static EndpointAddress address(Pod pod) {
    return new EndpointAddressBuilder()
        .withIp(pod.getStatus().getPodIP())
        .withNodeName(pod.getSpec() == null ? null : pod.getSpec().getNodeName())
        .withNewTargetRef()
        .withKind("Pod")
        .withNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .withUid(pod.getMetadata().getUid())
        .withResourceVersion(pod.getMetadata().getResourceVersion())
        .endTargetRef()
        .build();
  }

  private record Member(
      EndpointAddress address, boolean ready, List<EndpointPort> ports, String portsKey) {}
}
