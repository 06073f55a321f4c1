package io.nauta.api.admission.podsecurity;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Every container of a pod in the order upstream's {@code visitContainers} walks them: init
 * containers, containers, then ephemeral containers; and the small formatting helpers its checks
 * share.
 */
final class PodContainers {

  /** What the checks read of a container, whichever list it is in. */
  record View(
      String name, String image, SecurityContext securityContext, List<ContainerPort> ports) {
    View {
      ports = ports == null ? List.of() : ports;
    }
  }

  private PodContainers() {}

  static List<View> of(PodSpec spec) {
    List<View> all = new ArrayList<>();
    for (Container c : nonNull(spec.getInitContainers())) {
      all.add(new View(c.getName(), c.getImage(), c.getSecurityContext(), c.getPorts()));
    }
    for (Container c : nonNull(spec.getContainers())) {
      all.add(new View(c.getName(), c.getImage(), c.getSecurityContext(), c.getPorts()));
    }
    for (EphemeralContainer c : nonNull(spec.getEphemeralContainers())) {
      all.add(new View(c.getName(), c.getImage(), c.getSecurityContext(), c.getPorts()));
    }
    return all;
  }

  static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }

  /** {@code "a", "b"}, as upstream's {@code joinQuote}. */
  static String joinQuote(java.util.Collection<String> items) {
    if (items.isEmpty()) {
      return "";
    }
    return "\"" + String.join("\", \"", items) + "\"";
  }

  static String pluralize(String singular, String plural, int count) {
    return count == 1 ? singular : plural;
  }

  /** {@code container "a"} or {@code containers "a", "b"}. */
  static String containers(List<String> names) {
    return pluralize("container", "containers", names.size()) + " " + joinQuote(names);
  }

  static boolean isTrue(Boolean b) {
    return Boolean.TRUE.equals(b);
  }

  static boolean isWindows(PodSpec spec) {
    return spec.getOs() != null && "windows".equals(spec.getOs().getName());
  }
}
