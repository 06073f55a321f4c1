package io.nauta.api.storage.encryption;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Kubernetes' {@code aescbc} provider: a random 16-byte IV, then AES-CBC of the value padded with
 * PKCS#7. Not authenticated (Kubernetes advises against it for that reason), so the storage key is
 * not used.
 */
final class AesCbcCipher implements ValueCipher {

  private static final int BLOCK = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  AesCbcCipher(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  @Override
  public byte[] seal(byte[] plain, byte[] authenticatedData) {
    byte[] iv = new byte[BLOCK];
    RANDOM.nextBytes(iv);
    try {
      Cipher cbc = Cipher.getInstance("AES/CBC/PKCS5Padding"); // PKCS#5 is PKCS#7 on 16 bytes
      cbc.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
      byte[] out = new byte[BLOCK + cbc.getOutputSize(plain.length)];
      System.arraycopy(iv, 0, out, 0, BLOCK);
      int n = cbc.doFinal(plain, 0, plain.length, out, BLOCK);
      return n + BLOCK == out.length ? out : Arrays.copyOf(out, BLOCK + n);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-CBC is not available", e);
    }
  }

  @Override
  public byte[] open(byte[] sealed, byte[] authenticatedData) {
    if (sealed.length < 2 * BLOCK) {
      throw new CipherFailure("the stored data was shorter than the required size");
    }
    if (sealed.length % BLOCK != 0) {
      throw new CipherFailure("the stored data is not a multiple of the block size");
    }
    try {
      Cipher cbc = Cipher.getInstance("AES/CBC/PKCS5Padding");
      cbc.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(sealed, 0, BLOCK));
      return cbc.doFinal(sealed, BLOCK, sealed.length - BLOCK);
    } catch (GeneralSecurityException e) {
      throw new CipherFailure("invalid padding on input");
    }
  }
}
