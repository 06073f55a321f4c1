package io.nauta.agent.probes;

import java.time.Instant;

/**
 * The state of one probe of one container run, as the kubelet's probe worker keeps it: the probe is
 * due {@code initialDelay} after the container started and then every {@code period}; its result
 * turns to success after {@code successThreshold} successes in a row and to failure after {@code
 * failureThreshold} failures in a row, and stays what it was in between. Not thread-safe: one
 * caller drives it.
 */
public final class ProbeWorker {

  private final ProbeKind kind;
  private final ProbeSettings settings;
  private final Instant containerStartedAt;
  private ProbeResult result;
  private ProbeResult lastRun;
  private int inARow;
  private Instant lastRunAt;

  public ProbeWorker(ProbeKind kind, ProbeSettings settings, Instant containerStartedAt) {
    this.kind = kind;
    this.settings = settings;
    this.containerStartedAt = containerStartedAt;
    this.result = kind.initial();
  }

  public ProbeKind kind() {
    return kind;
  }

  public ProbeSettings settings() {
    return settings;
  }

  /** Whether the probe should run at {@code now}. */
  public boolean due(Instant now) {
    if (now.isBefore(containerStartedAt.plus(settings.initialDelay()))) {
      return false;
    }
    return lastRunAt == null || !now.isBefore(lastRunAt.plus(settings.period()));
  }

  /**
   * Records a run's outcome.
   *
   * @return whether the probe's result changed
   */
  public boolean record(ProbeResult run, Instant now) {
    lastRunAt = now;
    inARow = run == lastRun ? inARow + 1 : 1;
    lastRun = run;
    int threshold =
        run == ProbeResult.SUCCESS ? settings.successThreshold() : settings.failureThreshold();
    if (inARow >= threshold && result != run) {
      result = run;
      return true;
    }
    return false;
  }

  public ProbeResult result() {
    return result;
  }

  public boolean succeeded() {
    return result == ProbeResult.SUCCESS;
  }

  /**
   * Whether the last {@code failureThreshold} runs failed (a startup probe's initial failure is not
   * one).
   */
  public boolean failed() {
    return lastRun == ProbeResult.FAILURE && inARow >= settings.failureThreshold();
  }
}
