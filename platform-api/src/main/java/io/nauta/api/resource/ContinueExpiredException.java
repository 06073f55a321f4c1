package io.nauta.api.resource;

import io.fabric8.kubernetes.api.model.ListMeta;
import io.fabric8.kubernetes.api.model.Status;
import io.nauta.core.errors.GoneException;

/**
 * 410 Expired for a continue token whose list version has left the history: Kubernetes' message,
 * and in {@code metadata.continue} a token that continues the list from the same key at the latest
 * version, for a client that accepts an inconsistent result.
 */
final class ContinueExpiredException extends GoneException {

  private final String inconsistentContinue;

  ContinueExpiredException(String inconsistentContinue) {
    super(
        "The provided continue parameter is too old to display a consistent list result. You can"
            + " start a new list without the continue parameter, or use the continue token in this"
            + " response to retrieve the remainder of the results. Continuing with the provided"
            + " token results in an inconsistent list - objects that were created, modified, or"
            + " deleted between the time the first chunk was returned and now may show up in the"
            + " list.");
    this.inconsistentContinue = inconsistentContinue;
  }

  @Override
  public Status toStatus() {
    Status status = super.toStatus();
    ListMeta meta = new ListMeta();
    meta.setContinue(inconsistentContinue);
    status.setMetadata(meta);
    return status;
  }
}
