package io.nauta.api.storage.encryption;

import io.nauta.core.errors.InternalErrorException;

/**
 * A stored value that cannot be decrypted: its key is not in the encryption configuration, or its
 * bytes were changed. A 500 {@code Status} whose message names the object's storage key and the
 * reason, as Kubernetes' {@code unable to transform key "…": …}; never the garbage bytes.
 */
public final class UnreadableValueException extends InternalErrorException {

  private final String storageKey;

  public UnreadableValueException(String storageKey, String reason) {
    super("Internal error occurred: unable to transform key \"" + storageKey + "\": " + reason);
    this.storageKey = storageKey;
  }

  public String storageKey() {
    return storageKey;
  }
}
