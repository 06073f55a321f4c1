package io.nauta.api.storage.encryption;

import java.security.MessageDigest;
import java.security.SecureRandom;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * Kubernetes' {@code secretbox} provider: a random 24-byte nonce, then NaCl's {@code
 * crypto_secretbox} (XSalsa20-Poly1305) box as Go's {@code nacl/secretbox.Seal} lays it out: the
 * 16-byte Poly1305 tag, then the ciphertext. Built from BouncyCastle's XSalsa20 and Poly1305
 * primitives (already on the class path for the PKI); secretbox itself is only their composition:
 * the first 32 bytes of the XSalsa20 key stream are the one-time Poly1305 key, the rest encrypts.
 */
final class SecretboxCipher implements ValueCipher {

  static final int NONCE_SIZE = 24;
  private static final int TAG_SIZE = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] key;

  SecretboxCipher(byte[] key) {
    this.key = key.clone();
  }

  @Override
  public byte[] seal(byte[] plain, byte[] authenticatedData) {
    byte[] nonce = new byte[NONCE_SIZE];
    RANDOM.nextBytes(nonce);
    byte[] out = new byte[NONCE_SIZE + TAG_SIZE + plain.length];
    System.arraycopy(nonce, 0, out, 0, NONCE_SIZE);
    box(nonce, plain, out, NONCE_SIZE);
    return out;
  }

  /** Writes tag and ciphertext of {@code plain} into {@code out} at {@code at}. */
  void box(byte[] nonce, byte[] plain, byte[] out, int at) {
    XSalsa20Engine stream = stream(nonce);
    byte[] macKey = new byte[32];
    stream.processBytes(macKey, 0, 32, macKey, 0);
    stream.processBytes(plain, 0, plain.length, out, at + TAG_SIZE);
    Poly1305 mac = new Poly1305();
    mac.init(new KeyParameter(macKey));
    mac.update(out, at + TAG_SIZE, plain.length);
    mac.doFinal(out, at);
  }

  @Override
  public byte[] open(byte[] sealed, byte[] authenticatedData) {
    if (sealed.length < NONCE_SIZE + TAG_SIZE) {
      throw new CipherFailure("the stored data was shorter than the required size");
    }
    byte[] nonce = java.util.Arrays.copyOf(sealed, NONCE_SIZE);
    XSalsa20Engine stream = stream(nonce);
    byte[] macKey = new byte[32];
    stream.processBytes(macKey, 0, 32, macKey, 0);
    int cipherAt = NONCE_SIZE + TAG_SIZE;
    int length = sealed.length - cipherAt;
    Poly1305 mac = new Poly1305();
    mac.init(new KeyParameter(macKey));
    mac.update(sealed, cipherAt, length);
    byte[] tag = new byte[TAG_SIZE];
    mac.doFinal(tag, 0);
    byte[] expected = java.util.Arrays.copyOfRange(sealed, NONCE_SIZE, cipherAt);
    if (!MessageDigest.isEqual(tag, expected)) {
      throw new CipherFailure("secretbox: message authentication failed");
    }
    byte[] plain = new byte[length];
    stream.processBytes(sealed, cipherAt, length, plain, 0);
    return plain;
  }

  private XSalsa20Engine stream(byte[] nonce) {
    XSalsa20Engine engine = new XSalsa20Engine();
    engine.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
    return engine;
  }
}
