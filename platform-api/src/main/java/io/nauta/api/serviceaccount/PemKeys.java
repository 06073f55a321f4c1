package io.nauta.api.serviceaccount;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.cert.CertificateFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads RSA keys from PEM files with the JDK's own decoders: {@code PRIVATE KEY} (PKCS#8, what the
 * PKI writes as {@code service-account.key}), {@code PUBLIC KEY} (X.509 SubjectPublicKeyInfo, as
 * {@code service-account.pub}) and {@code CERTIFICATE}.
 */
final class PemKeys {

  private static final Pattern BLOCK =
      Pattern.compile(
          "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----", Pattern.MULTILINE);

  private PemKeys() {}

  /** The one PKCS#8 RSA private key in {@code file}. */
  static RSAPrivateCrtKey privateKey(Path file) {
    for (Block b : blocks(file)) {
      if (b.type().equals("PRIVATE KEY")) {
        try {
          return (RSAPrivateCrtKey)
              KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(b.der()));
        } catch (GeneralSecurityException | ClassCastException e) {
          throw new IllegalStateException(file + ": not a PKCS#8 RSA private key", e);
        }
      }
    }
    throw new IllegalStateException(file + ": no PEM block \"PRIVATE KEY\" (PKCS#8 RSA) found");
  }

  /** Every RSA public key in {@code file}: from public keys, private keys and certificates. */
  static List<RSAPublicKey> publicKeys(Path file) {
    List<RSAPublicKey> keys = new ArrayList<>();
    try {
      KeyFactory rsa = KeyFactory.getInstance("RSA");
      for (Block b : blocks(file)) {
        switch (b.type()) {
          case "PUBLIC KEY" ->
              keys.add((RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(b.der())));
          case "PRIVATE KEY" -> keys.add(publicKey(privateKey(file)));
          case "CERTIFICATE" ->
              keys.add(
                  (RSAPublicKey)
                      CertificateFactory.getInstance("X.509")
                          .generateCertificate(new ByteArrayInputStream(b.der()))
                          .getPublicKey());
          default -> {}
        }
      }
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalStateException(file + ": not an RSA key", e);
    }
    if (keys.isEmpty()) {
      throw new IllegalStateException(file + ": no RSA key found");
    }
    return keys;
  }

  static RSAPublicKey publicKey(RSAPrivateCrtKey key) {
    try {
      return (RSAPublicKey)
          KeyFactory.getInstance("RSA")
              .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private record Block(String type, byte[] der) {}

  private static List<Block> blocks(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    List<Block> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
    }
    return out;
  }
}
