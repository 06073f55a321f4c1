package io.nauta.controllers.nodelifecycle;

import java.time.Duration;
import java.time.Instant;

/**
 * client-go's token bucket rate limiter with a burst of one, as the node lifecycle controller's
 * per-zone taint queues use it; a rate of zero never lets anything through.
 */
final class TokenBucket {

  private final double qps;
  private Instant nextToken;

  TokenBucket(double qps, Instant now) {
    this.qps = qps;
    this.nextToken = now;
  }

  double qps() {
    return qps;
  }

  /**
   * Takes the token if it is there: {@link Duration#ZERO}; otherwise how long until it is (nothing
   * taken), or null when the rate is zero.
   */
  synchronized Duration tryAcquire(Instant now) {
    if (qps <= 0) {
      return null;
    }
    if (now.isBefore(nextToken)) {
      return Duration.between(now, nextToken);
    }
    nextToken = now.plusNanos((long) (1_000_000_000L / qps));
    return Duration.ZERO;
  }

  /** Whether the token is gone for now (a limiter being replaced passes that on). */
  synchronized boolean drained(Instant now) {
    return qps <= 0 || now.isBefore(nextToken);
  }
}
