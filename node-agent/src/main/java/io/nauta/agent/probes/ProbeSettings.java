package io.nauta.agent.probes;

import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;

/**
 * A probe's timing, with Kubernetes' defaults for what the spec leaves out (delay 0, period 10 s,
 * timeout 1 s, success threshold 1, failure threshold 3).
 */
public record ProbeSettings(
    Duration initialDelay,
    Duration period,
    Duration timeout,
    int successThreshold,
    int failureThreshold) {

  public static ProbeSettings of(Probe probe) {
    return new ProbeSettings(
        Duration.ofSeconds(orDefault(probe.getInitialDelaySeconds(), 0, 0)),
        Duration.ofSeconds(orDefault(probe.getPeriodSeconds(), 10, 1)),
        Duration.ofSeconds(orDefault(probe.getTimeoutSeconds(), 1, 1)),
        orDefault(probe.getSuccessThreshold(), 1, 1),
        orDefault(probe.getFailureThreshold(), 3, 1));
  }

  private static int orDefault(Integer value, int defaultValue, int min) {
    return value == null ? defaultValue : Math.max(value, min);
  }
}
