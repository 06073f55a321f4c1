package io.nauta.api.cache;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.nauta.core.errors.TimeoutException;
import java.util.List;

/**
 * A list or watch asked for a resourceVersion the cache has not reached within the wait: 504 with
 * the cause {@code ResourceVersionTooLarge} and a retry hint, the shape of the Kubernetes
 * apiserver's {@code storage.NewTooLargeResourceVersionError}. client-go's reflector recognises the
 * cause and retries instead of relisting.
 */
public final class TooLargeResourceVersionException extends TimeoutException {

  /** Kubernetes' {@code resourceVersionTooHighRetrySeconds}. */
  static final int RETRY_AFTER_SECONDS = 1;

  public TooLargeResourceVersionException(long requested, long current) {
    super("Timeout: Too large resource version: " + requested + ", current: " + current);
  }

  @Override
  public Status toStatus() {
    Status status = super.toStatus();
    StatusDetails details = new StatusDetails();
    details.setRetryAfterSeconds(RETRY_AFTER_SECONDS);
    details.setCauses(
        List.of(new StatusCause(null, "Too large resource version", "ResourceVersionTooLarge")));
    status.setDetails(details);
    return status;
  }
}
