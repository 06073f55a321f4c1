package io.nauta.api.customresource;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.nauta.core.errors.ServiceUnavailableException;

/**
 * A request for a resource this instance does not serve, while the custom kinds it will serve are
 * not all loaded yet (see {@link DefinitionController#hasSynced()}): 503 with a retry hint, as
 * apiextensions' {@code serverStartingError}, rather than a 404 the client would believe.
 */
public final class ServerStartingException extends ServiceUnavailableException {

  static final int RETRY_AFTER_SECONDS = 10;

  public ServerStartingException() {
    super("server is starting");
  }

  @Override
  public Status toStatus() {
    Status status = super.toStatus();
    StatusDetails details = new StatusDetails();
    details.setRetryAfterSeconds(RETRY_AFTER_SECONDS);
    status.setDetails(details);
    return status;
  }
}
