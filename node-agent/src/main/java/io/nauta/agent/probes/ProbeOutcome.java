package io.nauta.agent.probes;

/**
 * One probe run's result with what the kubelet says of a failure (the {@code Unhealthy} event's
 * text), e.g. {@code HTTP probe failed with statuscode: 500}, or an exec probe's output.
 */
public record ProbeOutcome(ProbeResult result, String message) {

  private static final ProbeOutcome SUCCESS = new ProbeOutcome(ProbeResult.SUCCESS, "");

  public static ProbeOutcome success() {
    return SUCCESS;
  }

  public static ProbeOutcome failure(String message) {
    return new ProbeOutcome(ProbeResult.FAILURE, message == null ? "" : message);
  }

  public boolean failed() {
    return result == ProbeResult.FAILURE;
  }
}
