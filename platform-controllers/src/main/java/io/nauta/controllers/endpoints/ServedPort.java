package io.nauta.controllers.endpoints;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A service port as one pod serves it: the service port's name, protocol and appProtocol with the
 * number its {@code targetPort} resolves to on that pod. Endpoints and EndpointSlices both group a
 * service's pods by the sorted list of these, so the same pods land in the same groups for both.
 *
 * @param name the service port's name, null when it has none
 * @param protocol TCP when the service port names none
 */
public record ServedPort(String name, int port, String protocol, String appProtocol) {

  private static final Comparator<ServedPort> ORDER =
      Comparator.comparing((ServedPort p) -> Objects.toString(p.name(), ""))
          .thenComparingInt(ServedPort::port)
          .thenComparing(ServedPort::protocol);

  /** The service's ports that {@code pod} serves, sorted by name, number and protocol. */
  public static List<ServedPort> of(Pod pod, List<ServicePort> servicePorts) {
    List<ServedPort> ports = new ArrayList<>();
    for (ServicePort sp : servicePorts) {
      OptionalInt number = EndpointSubsets.resolvePort(pod, sp);
      if (number.isPresent()) {
        ports.add(
            new ServedPort(
                sp.getName(),
                number.getAsInt(),
                sp.getProtocol() == null ? "TCP" : sp.getProtocol(),
                sp.getAppProtocol()));
      }
    }
    ports.sort(ORDER);
    return ports;
  }

  /** As an Endpoints subset's port (no name when the service port has none). */
  public io.fabric8.kubernetes.api.model.EndpointPort toEndpointPort() {
    return new io.fabric8.kubernetes.api.model.EndpointPortBuilder()
        .withName(name)
        .withPort(port)
        .withProtocol(protocol)
        .withAppProtocol(appProtocol)
        .build();
  }

  /** As an EndpointSlice's port (an empty name when the service port has none, as upstream). */
  public io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort toSlicePort() {
    return new io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder()
        .withName(Objects.toString(name, ""))
        .withPort(port)
        .withProtocol(protocol)
        .withAppProtocol(appProtocol)
        .build();
  }

  /** A key equal for equal sorted lists: the group a pod's endpoint belongs to. */
  public static String key(List<ServedPort> ports) {
    StringBuilder s = new StringBuilder();
    for (ServedPort p : ports) {
      s.append(Objects.toString(p.name(), ""))
          .append(":")
          .append(p.port())
          .append('/')
          .append(p.protocol())
          .append(',');
    }
    return s.toString();
  }
}
