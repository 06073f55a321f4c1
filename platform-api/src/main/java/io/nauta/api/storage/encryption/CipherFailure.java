package io.nauta.api.storage.encryption;

/**
 * A stored value that a provider cannot open: too short, tampered with, or sealed with another key.
 * The message is the reason alone; the caller names the key.
 */
final class CipherFailure extends RuntimeException {

  CipherFailure(String message) {
    super(message, null, false, false);
  }
}
