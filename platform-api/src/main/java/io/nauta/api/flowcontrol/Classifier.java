package io.nauta.api.flowcontrol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The flow identity Kubernetes' {@code hashFlowID} computes, the input of shuffle sharding. */
final class Classifier {

  private Classifier() {}

  /** The first 8 bytes, little-endian, of SHA-256 over schema name, a zero byte, distinguisher. */
  static long flowHash(String flowSchema, String distinguisher) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    sha.update(flowSchema.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(distinguisher.getBytes(StandardCharsets.UTF_8));
    byte[] sum = sha.digest();
    long h = 0;
    for (int i = 7; i >= 0; i--) {
      h = (h << 8) | (sum[i] & 0xff);
    }
    return h;
  }
}
