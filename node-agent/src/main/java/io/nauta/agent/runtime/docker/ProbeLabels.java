package io.nauta.agent.runtime.docker;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** A container's probes kept in its Docker labels ({@link DockerLabels#PROBES}). */
final class ProbeLabels {

  private static final JsonMapper json = JsonMapper.builder().build();

  /** The kubelet's default {@code terminationGracePeriodSeconds}. */
  private static final long DEFAULT_GRACE_PERIOD = 30;

  private ProbeLabels() {}

  /** The part of the spec probing needs: the name, the ports (named probe ports) and the probes. */
  static String json(Container spec) {
    return json.writeValueAsString(
        new ContainerBuilder()
            .withName(spec.getName())
            .withPorts(spec.getPorts())
            .withStartupProbe(spec.getStartupProbe())
            .withLivenessProbe(spec.getLivenessProbe())
            .withReadinessProbe(spec.getReadinessProbe())
            .build());
  }

  /** The container's probe spec, or null if it has none. */
  static Container spec(Map<String, String> labels) {
    String value = labels == null ? null : labels.get(DockerLabels.PROBES);
    return value == null || value.isBlank() ? null : json.readValue(value, Container.class);
  }

  /**
   * How long a container killed for failing its liveness or startup probe gets to stop: the probe's
   * {@code terminationGracePeriodSeconds}, else the pod's.
   */
  static long gracePeriod(Pod pod, Container spec) {
    for (Probe p : new Probe[] {spec.getLivenessProbe(), spec.getStartupProbe()}) {
      if (p != null && p.getTerminationGracePeriodSeconds() != null) {
        return p.getTerminationGracePeriodSeconds();
      }
    }
    Long podGrace = pod.getSpec().getTerminationGracePeriodSeconds();
    return podGrace == null ? DEFAULT_GRACE_PERIOD : podGrace;
  }
}
