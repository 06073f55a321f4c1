package io.nauta.core.leaderelection;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how long to hold a leader lease, with client-go's defaults and checks.
 *
 * @param leaseNamespace namespace of the {@code coordination.k8s.io/v1} Lease
 * @param leaseName name of the Lease; every candidate for one role uses the same
 * @param identity this candidate, unique among the candidates (e.g. the host name plus a UUID)
 * @param leaseDuration how long a standby waits, from the last change it saw to the lease, before
 *     it takes the lease over; whole seconds, as the Lease stores it
 * @param renewDeadline how long the leader keeps trying to renew before it gives up leading
 * @param retryPeriod how often candidates try to acquire and the leader renews
 */
public record LeaderElectionConfig(
    String leaseNamespace,
    String leaseName,
    String identity,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod) {

  public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);
  public static final Duration DEFAULT_RENEW_DEADLINE = Duration.ofSeconds(10);
  public static final Duration DEFAULT_RETRY_PERIOD = Duration.ofSeconds(2);

  /** client-go's JitterFactor: acquire attempts wait retryPeriod plus up to 1.2 times more. */
  static final double JITTER_FACTOR = 1.2;

  public LeaderElectionConfig {
    require(leaseNamespace, "leaseNamespace");
    require(leaseName, "leaseName");
    require(identity, "identity");
    Objects.requireNonNull(leaseDuration, "leaseDuration");
    Objects.requireNonNull(renewDeadline, "renewDeadline");
    Objects.requireNonNull(retryPeriod, "retryPeriod");
    if (leaseDuration.compareTo(Duration.ofSeconds(1)) < 0
        || leaseDuration.toNanos() % 1_000_000_000L != 0) {
      throw new IllegalArgumentException(
          "leaseDuration must be a whole number of seconds, at least 1s: " + leaseDuration);
    }
    if (renewDeadline.isNegative() || renewDeadline.isZero()) {
      throw new IllegalArgumentException("renewDeadline must be greater than zero");
    }
    if (retryPeriod.isNegative() || retryPeriod.isZero()) {
      throw new IllegalArgumentException("retryPeriod must be greater than zero");
    }
    // A leader must give up before a standby may take over.
    if (leaseDuration.compareTo(renewDeadline) <= 0) {
      throw new IllegalArgumentException(
          "leaseDuration ("
              + leaseDuration
              + ") must be greater than renewDeadline ("
              + renewDeadline
              + ")");
    }
    // The leader must get more than one (jittered) attempt at renewing within the deadline.
    if (renewDeadline.toNanos() <= JITTER_FACTOR * retryPeriod.toNanos()) {
      throw new IllegalArgumentException(
          "renewDeadline ("
              + renewDeadline
              + ") must be greater than retryPeriod*"
              + JITTER_FACTOR
              + " ("
              + retryPeriod
              + ")");
    }
  }

  /** A lease with client-go's default timings: 15 s lease, 10 s renew deadline, 2 s retry. */
  public static LeaderElectionConfig of(String leaseNamespace, String leaseName, String identity) {
    return new LeaderElectionConfig(
        leaseNamespace,
        leaseName,
        identity,
        DEFAULT_LEASE_DURATION,
        DEFAULT_RENEW_DEADLINE,
        DEFAULT_RETRY_PERIOD);
  }

  /** The same lease and identity with other timings. */
  public LeaderElectionConfig withTimings(
      Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    return new LeaderElectionConfig(
        leaseNamespace, leaseName, identity, leaseDuration, renewDeadline, retryPeriod);
  }

  /** {@code namespace/name} of the lease, for logs. */
  public String describeLease() {
    return leaseNamespace + "/" + leaseName;
  }

  int leaseDurationSeconds() {
    return (int) leaseDuration.toSeconds();
  }

  private static void require(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
  }
}
