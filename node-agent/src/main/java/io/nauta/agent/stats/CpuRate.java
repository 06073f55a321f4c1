package io.nauta.agent.stats;

import java.time.Duration;
import java.time.Instant;

/**
 * {@code usageNanoCores} from two cumulative readings, as cAdvisor derives it: the CPU time spent
 * between them over the wall time between them.
 */
public final class CpuRate {

  private CpuRate() {}

  /**
   * The rate in nano-cores, or null when it cannot be told: no earlier reading, no time between
   * them, or a counter that went back (the container was replaced under the same key).
   */
  public static Long nanoCores(
      Instant earlier, long earlierCoreNanos, Instant later, long laterCoreNanos) {
    if (earlier == null || later == null || laterCoreNanos < earlierCoreNanos) {
      return null;
    }
    long wallNanos = Duration.between(earlier, later).toNanos();
    if (wallNanos <= 0) {
      return null;
    }
    // CPU nanoseconds per wall second, in nano-cores: (Δcpu / Δwall) × 1e9.
    return Math.round((double) (laterCoreNanos - earlierCoreNanos) * 1e9 / wallNanos);
  }
}
