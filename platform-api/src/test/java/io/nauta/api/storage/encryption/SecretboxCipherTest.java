package io.nauta.api.storage.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SecretboxCipherTest {

  /**
   * NaCl's own answer (the C implementation's crypto_secretbox, as quoted by Go's nacl/secretbox
   * tests): key of 32 bytes 0x01, nonce of 24 bytes 0x02, message of 64 bytes 0x03; the box is the
   * Poly1305 tag followed by the ciphertext.
   */
  private static final String NACL_BOX =
      "8442bc313f4626f1359e3b50122b6ce6fe66ddfe7d39d14e637eb4fd5b45beadab55198df6ab5368439792a23c87db70acb6156dc5ef957ac04f6276cf6093b84be77ff0849cc33e34b7254d5a8f65ad";

  private static byte[] filled(int n, int value) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) value);
    return b;
  }

  @Test
  void boxesAsNaClDoes() {
    SecretboxCipher cipher = new SecretboxCipher(filled(32, 1));
    byte[] out = new byte[16 + 64];
    cipher.box(filled(24, 2), filled(64, 3), out, 0);
    assertThat(HexFormat.of().formatHex(out)).isEqualTo(NACL_BOX);
  }

  @Test
  void opensNaClsBoxBehindItsNonce() {
    byte[] sealed = concat(filled(24, 2), HexFormat.of().parseHex(NACL_BOX));
    assertThat(new SecretboxCipher(filled(32, 1)).open(sealed, new byte[0]))
        .isEqualTo(filled(64, 3));
  }

  @Test
  void sealsWithARandomNonceFirstAndOpensEveryLength() {
    Random random = new Random(14);
    byte[] key = new byte[32];
    random.nextBytes(key);
    SecretboxCipher cipher = new SecretboxCipher(key);
    for (int length = 0; length < 300; length += 37) {
      byte[] plain = new byte[length];
      random.nextBytes(plain);
      byte[] sealed = cipher.seal(plain, new byte[0]);
      assertThat(sealed).hasSize(24 + 16 + length);
      assertThat(cipher.open(sealed, new byte[0])).isEqualTo(plain);
    }
  }

  @Test
  void refusesEveryChangedByte() {
    SecretboxCipher cipher = new SecretboxCipher(filled(32, 7));
    byte[] sealed = cipher.seal("{\"data\":{\"password\":\"c2VjcmV0\"}}".getBytes(), new byte[0]);
    for (int i = 0; i < sealed.length; i++) {
      byte[] changed = sealed.clone();
      changed[i] ^= 0x20;
      assertThatThrownBy(() -> cipher.open(changed, new byte[0]))
          .isInstanceOf(CipherFailure.class)
          .hasMessage("secretbox: message authentication failed");
    }
    assertThatThrownBy(() -> new SecretboxCipher(filled(32, 8)).open(sealed, new byte[0]))
        .isInstanceOf(CipherFailure.class);
    assertThatThrownBy(() -> cipher.open(new byte[39], new byte[0]))
        .hasMessage("the stored data was shorter than the required size");
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
