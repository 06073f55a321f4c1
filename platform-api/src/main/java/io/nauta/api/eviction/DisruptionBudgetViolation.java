package io.nauta.api.eviction;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;
import io.nauta.core.errors.TooManyRequestsException;
import io.nauta.core.policy.DisruptionBudgets;
import java.util.List;

/**
 * An eviction the pod's budget refuses: 429 with upstream's message and a {@code DisruptionBudget}
 * cause saying why; {@code kubectl drain} waits and tries again on it.
 */
final class DisruptionBudgetViolation extends TooManyRequestsException {

  static final String MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";

  private final String cause;

  private DisruptionBudgetViolation(int retryAfterSeconds, String cause) {
    super(MESSAGE, retryAfterSeconds);
    this.cause = cause;
  }

  /** The budget allows no disruption now. */
  static DisruptionBudgetViolation exhausted(String budget, long desired, long current) {
    return new DisruptionBudgetViolation(
        0,
        "The disruption budget "
            + budget
            + " needs "
            + desired
            + " healthy pods and has "
            + current
            + " currently");
  }

  /** The controller has not yet looked at the budget's latest spec (or a conflict persisted). */
  static DisruptionBudgetViolation stale(String budget) {
    return new DisruptionBudgetViolation(
        10, "The disruption budget " + budget + " is still being processed by the server.");
  }

  @Override
  public Status toStatus() {
    Status status = super.toStatus();
    status
        .getDetails()
        .setCauses(
            List.of(
                new StatusCauseBuilder()
                    .withReason(DisruptionBudgets.DISRUPTION_BUDGET_CAUSE)
                    .withMessage(cause)
                    .build()));
    return status;
  }
}
