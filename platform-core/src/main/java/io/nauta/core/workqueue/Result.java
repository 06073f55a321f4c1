package io.nauta.core.workqueue;

import java.time.Duration;
import java.util.Objects;

/**
 * What a reconcile asks the work queue to do with its key next. Expected outcomes travel as a
 * value; an error signal from the reconcile means "retry with back-off".
 */
public sealed interface Result {

  /** The key converged: its back-off is forgotten and it is not re-queued. */
  static Result done() {
    return Done.INSTANCE;
  }

  /** Re-queue the key with the per-key exponential back-off (counts as a retry). */
  static Result requeue() {
    return Requeue.INSTANCE;
  }

  /** Forget the key's back-off and re-queue it after {@code delay}. */
  static Result requeueAfter(Duration delay) {
    return new RequeueAfter(delay);
  }

  /** See {@link Result#done()}. */
  enum Done implements Result {
    INSTANCE
  }

  /** See {@link Result#requeue()}. */
  enum Requeue implements Result {
    INSTANCE
  }

  /** See {@link Result#requeueAfter(Duration)}. */
  record RequeueAfter(Duration delay) implements Result {
    public RequeueAfter {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay must not be negative: " + delay);
      }
    }
  }
}
