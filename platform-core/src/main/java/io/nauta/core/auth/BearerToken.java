package io.nauta.core.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A shared secret sent as {@code Authorization: Bearer <token>}: how the API server authenticates
 * itself to node agents. Given inline or in a file (its content, surrounding white space trimmed,
 * as Kubernetes reads token files).
 */
public final class BearerToken {

  private static final String PREFIX = "Bearer ";

  private final byte[] digest;
  private final String value;

  private BearerToken(String value) {
    this.value = value;
    this.digest = sha256(value);
  }

  /**
   * The token from {@code token}, else from {@code tokenFile}; null when neither is set.
   *
   * @throws IllegalArgumentException when the file cannot be read or is empty
   */
  public static BearerToken of(String token, String tokenFile) {
    if (token != null && !token.isBlank()) {
      return new BearerToken(token.trim());
    }
    if (tokenFile == null || tokenFile.isBlank()) {
      return null;
    }
    String read;
    try {
      read = Files.readString(Path.of(tokenFile), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the token file " + tokenFile + ": " + e, new UncheckedIOException(e));
    }
    if (read.isEmpty()) {
      throw new IllegalArgumentException("the token file " + tokenFile + " is empty");
    }
    return new BearerToken(read);
  }

  /** The {@code Authorization} header's value that carries this token. */
  public String header() {
    return PREFIX + value;
  }

  /**
   * Whether an {@code Authorization} header carries this token. Both sides are hashed first, so the
   * comparison takes the same time whatever the header holds (length included).
   */
  public boolean matches(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, PREFIX, 0, 7)) {
      return false;
    }
    return MessageDigest.isEqual(digest, sha256(authorization.substring(7).trim()));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "BearerToken[redacted]";
  }
}
