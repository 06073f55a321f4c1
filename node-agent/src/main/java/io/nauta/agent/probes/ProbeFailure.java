package io.nauta.agent.probes;

/** A probe run that failed: which probe, and why. */
public record ProbeFailure(ProbeKind kind, String message) {

  /** The kubelet's {@code Unhealthy} event message, e.g. {@code Liveness probe failed: …}. */
  public String eventMessage() {
    return kind.title() + " probe failed: " + message;
  }
}
