package io.nauta.agent.probes;

/**
 * The three probes, with the result each has before it first decides (the kubelet's initial
 * values): a container is not ready and not started until its probes say so, and alive until its
 * liveness probe says otherwise.
 */
public enum ProbeKind {
  STARTUP(ProbeResult.FAILURE),
  LIVENESS(ProbeResult.SUCCESS),
  READINESS(ProbeResult.FAILURE);

  private final ProbeResult initial;

  ProbeKind(ProbeResult initial) {
    this.initial = initial;
  }

  public ProbeResult initial() {
    return initial;
  }
}
