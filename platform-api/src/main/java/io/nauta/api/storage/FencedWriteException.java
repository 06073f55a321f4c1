package io.nauta.api.storage;

import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.ResourceRef;

/**
 * 409 for a write whose sender no longer holds the lease it named ({@link
 * io.nauta.core.client.LeaseFence}). Never a storage race: retrying it with a fresh read would
 * write what the fence is there to stop, so it keeps its own message through the write paths' retry
 * loops.
 */
public final class FencedWriteException extends ConflictException {

  public FencedWriteException(String message, ResourceRef lease) {
    super(message, lease);
  }

  @Override
  public ConflictException asStorageRace() {
    return this;
  }
}
