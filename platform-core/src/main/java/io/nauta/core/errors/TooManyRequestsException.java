package io.nauta.core.errors;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusDetailsBuilder;

/**
 * HTTP 429, reason {@code TooManyRequests}: the server refuses a request it has no capacity for
 * (API priority and fairness). {@code details.retryAfterSeconds} becomes the {@code Retry-After}
 * header, on which client-go and fabric8 retry.
 */
public class TooManyRequestsException extends ApiException {

  /** Kubernetes' message for a request that flow control turned away. */
  public static final String MESSAGE = "Too many requests, please try again later.";

  private final int retryAfterSeconds;

  public TooManyRequestsException(String message, int retryAfterSeconds) {
    super(message, null);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  @Override
  public int code() {
    return 429;
  }

  @Override
  public String reason() {
    return "TooManyRequests";
  }

  @Override
  public Status toStatus() {
    Status status = super.toStatus();
    status.setDetails(new StatusDetailsBuilder().withRetryAfterSeconds(retryAfterSeconds).build());
    return status;
  }
}
