package io.nauta.api.storage.encryption;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Kubernetes' {@code aesgcm} provider: a random 12-byte nonce, then the AES-GCM ciphertext with its
 * 16-byte tag; the object's storage key is the additional authenticated data, so a value copied
 * onto another object's key does not open.
 */
final class AesGcmCipher implements ValueCipher {

  static final int NONCE_SIZE = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  AesGcmCipher(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  @Override
  public byte[] seal(byte[] plain, byte[] authenticatedData) {
    byte[] nonce = new byte[NONCE_SIZE];
    RANDOM.nextBytes(nonce);
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      gcm.updateAAD(authenticatedData);
      byte[] out = new byte[NONCE_SIZE + gcm.getOutputSize(plain.length)];
      System.arraycopy(nonce, 0, out, 0, NONCE_SIZE);
      gcm.doFinal(plain, 0, plain.length, out, NONCE_SIZE);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  @Override
  public byte[] open(byte[] sealed, byte[] authenticatedData) {
    if (sealed.length < NONCE_SIZE + TAG_BITS / 8) {
      throw new CipherFailure("the stored data was shorter than the required size");
    }
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_SIZE));
      gcm.updateAAD(authenticatedData);
      return gcm.doFinal(sealed, NONCE_SIZE, sealed.length - NONCE_SIZE);
    } catch (AEADBadTagException e) {
      // Go's crypto/cipher says the same.
      throw new CipherFailure("cipher: message authentication failed");
    } catch (GeneralSecurityException e) {
      throw new CipherFailure("AES-GCM: " + e.getMessage());
    }
  }
}
