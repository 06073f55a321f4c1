package io.nauta.api.storage;

import java.util.Base64;

/** An encryption configuration for the storage tests: Secrets sealed with one AES-GCM key. */
final class SecretsSealedWithAesGcm {

  /** The file, as an operator writes it; the key is 32 fixed bytes. */
  static final String CONFIG =
      """
      apiVersion: apiserver.config.k8s.io/v1
      kind: EncryptionConfiguration
      resources:
        - resources: [secrets]
          providers:
            - aesgcm:
                keys: [{name: key1, secret: %s}]
      """
          .formatted(Base64.getEncoder().encodeToString(new byte[32]));

  private SecretsSealedWithAesGcm() {}
}
