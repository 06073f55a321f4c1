package io.nauta.agent.probes;

/**
 * The three probes, with the result each has before it first decides (the kubelet's initial
 * values): a container is not ready and not started until its probes say so, and alive until its
 * liveness probe says otherwise.
 */
public enum ProbeKind {
  STARTUP(ProbeResult.FAILURE, "Startup"),
  LIVENESS(ProbeResult.SUCCESS, "Liveness"),
  READINESS(ProbeResult.FAILURE, "Readiness");

  private final ProbeResult initial;
  private final String title;

  ProbeKind(ProbeResult initial, String title) {
    this.initial = initial;
    this.title = title;
  }

  /** As the kubelet's events name it: {@code Liveness}, {@code Readiness}, {@code Startup}. */
  public String title() {
    return title;
  }

  public ProbeResult initial() {
    return initial;
  }
}
