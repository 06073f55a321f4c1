package io.nauta.api.storage.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The byte layouts of Kubernetes' aesgcm and aescbc transformers, checked with the JDK's AES. */
class AesCiphersTest {

  private static final byte[] AAD =
      "nauta:{core/secrets}:objects/default/s1".getBytes(StandardCharsets.UTF_8);
  private final Random random = new Random(1414);

  private byte[] key(int n) {
    byte[] k = new byte[n];
    random.nextBytes(k);
    return k;
  }

  @Test
  void aesGcmIsATwelveByteNonceThenCiphertextAndTagOverTheStorageKey() throws Exception {
    for (int size : new int[] {16, 24, 32}) {
      byte[] key = key(size);
      byte[] plain = "{\"kind\":\"Secret\"}".getBytes(StandardCharsets.UTF_8);
      byte[] sealed = new AesGcmCipher(key).seal(plain, AAD);
      assertThat(sealed).hasSize(12 + plain.length + 16);
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(128, Arrays.copyOf(sealed, 12)));
      gcm.updateAAD(AAD);
      assertThat(gcm.doFinal(sealed, 12, sealed.length - 12)).isEqualTo(plain);
      assertThat(new AesGcmCipher(key).open(sealed, AAD)).isEqualTo(plain);
    }
  }

  @Test
  void aesGcmRefusesAnotherObjectsKeyAndChangedBytes() {
    AesGcmCipher cipher = new AesGcmCipher(key(32));
    byte[] sealed = cipher.seal("x".getBytes(StandardCharsets.UTF_8), AAD);
    byte[] otherKey = "nauta:{core/secrets}:objects/default/s2".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> cipher.open(sealed, otherKey))
        .isInstanceOf(CipherFailure.class)
        .hasMessage("cipher: message authentication failed");
    for (int i = 0; i < sealed.length; i++) {
      byte[] changed = sealed.clone();
      changed[i] ^= 1;
      assertThatThrownBy(() -> cipher.open(changed, AAD)).isInstanceOf(CipherFailure.class);
    }
    assertThatThrownBy(() -> cipher.open(new byte[27], AAD))
        .hasMessage("the stored data was shorter than the required size");
  }

  @Test
  void aesCbcIsASixteenByteIvThenPkcs7PaddedBlocks() throws Exception {
    byte[] key = key(32);
    for (int length = 0; length < 70; length += 7) {
      byte[] plain = new byte[length];
      random.nextBytes(plain);
      byte[] sealed = new AesCbcCipher(key).seal(plain, AAD);
      int padded = (length / 16 + 1) * 16; // PKCS#7 always pads, a whole block when aligned
      assertThat(sealed).hasSize(16 + padded);
      Cipher cbc = Cipher.getInstance("AES/CBC/NoPadding");
      cbc.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new IvParameterSpec(Arrays.copyOf(sealed, 16)));
      byte[] blocks = cbc.doFinal(sealed, 16, sealed.length - 16);
      int pad = blocks[blocks.length - 1];
      assertThat(pad).isEqualTo(padded - length);
      assertThat(Arrays.copyOf(blocks, length)).isEqualTo(plain);
      assertThat(new AesCbcCipher(key).open(sealed, AAD)).isEqualTo(plain);
    }
    assertThatThrownBy(() -> new AesCbcCipher(key).open(new byte[40], AAD))
        .hasMessage("the stored data is not a multiple of the block size");
  }
}
