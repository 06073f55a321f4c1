package io.nauta.api.storage.encryption;

import java.nio.charset.StandardCharsets;

/**
 * One key of one provider as it appears in stored values: {@code k8s:enc:<provider>:v1:<name>:},
 * the prefix Kubernetes writes before the provider's bytes. The {@code identity} provider has no
 * prefix and no cipher: it stores and reads plaintext.
 *
 * @param description how errors name it, e.g. {@code aesgcm key "key1"}
 */
record ProviderKey(String prefix, ValueCipher cipher, String description) {

  static final String ENCRYPTED_PREFIX = "k8s:enc:";

  static ProviderKey of(String provider, String name, ValueCipher cipher) {
    return new ProviderKey(
        ENCRYPTED_PREFIX + provider + ":v1:" + name + ":",
        cipher,
        provider + " key \"" + name + "\"");
  }

  static ProviderKey identity() {
    return new ProviderKey("", null, "identity");
  }

  boolean isIdentity() {
    return cipher == null;
  }

  byte[] prefixBytes() {
    return prefix.getBytes(StandardCharsets.US_ASCII);
  }
}
