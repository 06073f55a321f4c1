package io.nauta.core.workqueue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Per-key exponential back-off, as client-go's {@code ItemExponentialFailureRateLimiter}: the n-th
 * consecutive failure of a key waits {@code base * 2^n}, capped at {@code max}, until the key is
 * forgotten. The client-go defaults are 5 ms and 1000 s.
 */
public final class ItemExponentialBackoff<K> {

  public static final Duration DEFAULT_BASE = Duration.ofMillis(5);
  public static final Duration DEFAULT_MAX = Duration.ofSeconds(1000);

  private final long baseNanos;
  private final long maxNanos;
  private final Map<K, Integer> failures = new HashMap<>();

  public ItemExponentialBackoff() {
    this(DEFAULT_BASE, DEFAULT_MAX);
  }

  public ItemExponentialBackoff(Duration base, Duration max) {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(max, "max");
    if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
      throw new IllegalArgumentException("need 0 < base <= max, got " + base + ", " + max);
    }
    this.baseNanos = base.toNanos();
    this.maxNanos = max.toNanos();
  }

  /** Records a failure of {@code key} and returns how long it should wait before its retry. */
  public synchronized Duration when(K key) {
    int exp = failures.merge(key, 1, Integer::sum) - 1;
    // Computed in double so a long run of failures saturates at max instead of overflowing.
    double backoff = baseNanos * Math.pow(2, exp);
    return Duration.ofNanos(backoff >= maxNanos ? maxNanos : (long) backoff);
  }

  /** How many times {@code key} has failed since it was last forgotten. */
  public synchronized int numRequeues(K key) {
    return failures.getOrDefault(key, 0);
  }

  /** Resets the back-off of {@code key}. */
  public synchronized void forget(K key) {
    failures.remove(key);
  }
}
