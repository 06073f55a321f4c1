package io.nauta.api.storage.encryption;

/**
 * One key of one provider: seals a value for storage and opens it again, producing and reading the
 * bytes Kubernetes' transformer of the same name writes after its {@code k8s:enc:…:} prefix.
 */
interface ValueCipher {

  /**
   * @param authenticatedData the object's storage key; bound to the value by the providers that
   *     authenticate it (AES-GCM), ignored by the others, as in Kubernetes
   */
  byte[] seal(byte[] plain, byte[] authenticatedData);

  /** The plaintext, or {@link CipherFailure} saying why there is none. */
  byte[] open(byte[] sealed, byte[] authenticatedData);
}
