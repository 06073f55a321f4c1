package io.nauta.api.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** RSA key pairs written as PEM files, as the PKI writes {@code service-account.key|pub}. */
public final class TestKeys {

  private TestKeys() {}

  public static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the private key as PKCS#8 {@code PRIVATE KEY} PEM. */
  public static Path writePrivate(KeyPair pair, Path file) {
    return write(file, "PRIVATE KEY", pair.getPrivate().getEncoded());
  }

  /** Writes the public key as {@code PUBLIC KEY} (SubjectPublicKeyInfo) PEM. */
  public static Path writePublic(KeyPair pair, Path file) {
    return write(file, "PUBLIC KEY", pair.getPublic().getEncoded());
  }

  private static Path write(Path file, String type, byte[] der) {
    String pem =
        "-----BEGIN "
            + type
            + "-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der)
            + "\n-----END "
            + type
            + "-----\n";
    try {
      return Files.writeString(file, pem, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
