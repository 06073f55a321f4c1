package io.nauta.core.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A token bucket as client-go's default rate limiter ({@code
 * flowcontrol.NewTokenBucketRateLimiter}, {@code golang.org/x/time/rate}): it holds up to {@code
 * burst} tokens, refilled at {@code qps} per second, and each request takes one. A request that
 * finds none reserves the next one to come and waits until then: {@link #take()} completes after
 * that delay, on the scheduler's timer, never blocking a thread. Reservations are first come, first
 * served, so a queue of requests is let out at {@code qps} in the order they asked.
 */
public final class TokenBucket {

  private final double qps;
  private final double burst;
  private final Scheduler scheduler;
  private double tokens;
  private long last;

  public TokenBucket(ClientRateLimit limit) {
    this(limit, Schedulers.parallel());
  }

  /** On {@code scheduler}'s clock and timer (a virtual-time scheduler in tests). */
  public TokenBucket(ClientRateLimit limit, Scheduler scheduler) {
    if (!limit.limited()) {
      throw new IllegalArgumentException("no bucket for an unlimited client");
    }
    this.qps = limit.qps();
    this.burst = limit.burst();
    this.scheduler = scheduler;
    this.tokens = burst;
    this.last = scheduler.now(TimeUnit.NANOSECONDS);
  }

  /** Completes when the caller may send its request: at once while tokens remain. */
  public Mono<Void> take() {
    return Mono.defer(
        () -> {
          long waitNanos = reserve();
          return waitNanos <= 0
              ? Mono.<Void>empty()
              : Mono.delay(Duration.ofNanos(waitNanos), scheduler).then();
        });
  }

  /** Takes a token (possibly one not yet there) and says how long until it is. */
  synchronized long reserve() {
    long now = scheduler.now(TimeUnit.NANOSECONDS);
    if (now > last) {
      tokens = Math.min(burst, tokens + (now - last) * qps / 1e9);
      last = now;
    }
    tokens -= 1;
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens * 1e9 / qps);
  }
}
