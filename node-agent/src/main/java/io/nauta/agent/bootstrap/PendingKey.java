package io.nauta.agent.bootstrap;

import io.nauta.core.certificates.CertificationRequests;
import io.nauta.core.pki.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key of a certificate request still in flight, kept on disk (mode 600) until the certificate
 * arrives, as the kubelet keeps {@code kubelet-client.key.tmp}: an agent restarted while it waits
 * asks again with the same key, and so under the same request name, instead of posting another.
 */
final class PendingKey {

  private static final Logger log = LoggerFactory.getLogger(PendingKey.class);

  private PendingKey() {}

  /** The key pair kept at {@code file} (and {@code file.pub}), or a new one written there. */
  static KeyPair loadOrCreate(Path file) {
    Path pub = publicFile(file);
    if (Files.isRegularFile(file) && Files.isRegularFile(pub)) {
      try {
        return new KeyPair(Pem.parsePublicKey(Pem.read(pub)), Pem.parsePrivateKey(Pem.read(file)));
      } catch (RuntimeException e) {
        log.warn("the pending key {} is unreadable ({}): making a new one", file, e.getMessage());
      }
    }
    KeyPair keys = CertificationRequests.newKeyPair();
    Pem.writeSecret(file, Pem.privateKey(keys.getPrivate()));
    Pem.writePublic(pub, Pem.publicKey(keys.getPublic()));
    return keys;
  }

  /** The private key's PEM text, to be written beside its certificate. */
  static String privateKeyPem(Path file) {
    return Pem.read(file);
  }

  /** Forgets the key once its certificate is stored. */
  static void remove(Path file) {
    try {
      Files.deleteIfExists(file);
      Files.deleteIfExists(publicFile(file));
    } catch (IOException e) {
      log.warn("could not remove the pending key {}: {}", file, e.getMessage());
    }
  }

  private static Path publicFile(Path file) {
    return file.resolveSibling(file.getFileName() + ".pub");
  }
}
