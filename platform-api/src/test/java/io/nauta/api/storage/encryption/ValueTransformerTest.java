package io.nauta.api.storage.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueTransformerTest {

  private static final String KEY = "nauta:{core/secrets}:objects/default/s1";
  private static final byte[] PLAIN = "{\"kind\":\"Secret\"}".getBytes(StandardCharsets.UTF_8);

  private static ProviderKey gcm(String name, int fill) {
    byte[] key = new byte[32];
    java.util.Arrays.fill(key, (byte) fill);
    return ProviderKey.of("aesgcm", name, new AesGcmCipher(key));
  }

  @Test
  void theFirstProviderEncryptsAndEveryListedOneDecrypts() {
    ValueTransformer old = new ValueTransformer(List.of(gcm("old", 1)));
    byte[] sealedOld = old.toStorage(PLAIN, KEY);
    assertThat(new String(sealedOld, StandardCharsets.ISO_8859_1))
        .startsWith("k8s:enc:aesgcm:v1:old:");

    ValueTransformer rotated =
        new ValueTransformer(List.of(gcm("new", 2), gcm("old", 1), ProviderKey.identity()));
    byte[] sealedNew = rotated.toStorage(PLAIN, KEY);
    assertThat(new String(sealedNew, StandardCharsets.ISO_8859_1))
        .startsWith("k8s:enc:aesgcm:v1:new:");
    assertThat(rotated.fromStorage(sealedOld, KEY)).isEqualTo(PLAIN);
    assertThat(rotated.fromStorage(sealedNew, KEY)).isEqualTo(PLAIN);
    assertThat(rotated.fromStorage(PLAIN, KEY)).isEqualTo(PLAIN);
  }

  @Test
  void aValueWhoseKeyIsGoneNamesTheObjectAndTheKey() {
    byte[] sealedOld = new ValueTransformer(List.of(gcm("old", 1))).toStorage(PLAIN, KEY);
    ValueTransformer withoutOld = new ValueTransformer(List.of(gcm("new", 2)));
    assertThatThrownBy(() -> withoutOld.fromStorage(sealedOld, KEY))
        .isInstanceOf(UnreadableValueException.class)
        .hasMessage(
            "Internal error occurred: unable to transform key \""
                + KEY
                + "\": no matching prefix"
                + " found (the value is sealed with aesgcm key \"old\", which the encryption"
                + " configuration does not list for this resource)");
    assertThatThrownBy(() -> withoutOld.fromStorage(PLAIN, KEY))
        .hasMessageEndingWith("no matching prefix found");
    ValueTransformer identityOnly = new ValueTransformer(List.of(ProviderKey.identity()));
    assertThatThrownBy(() -> identityOnly.fromStorage(sealedOld, KEY))
        .hasMessageContaining("identity transformer tried to read encrypted data");
  }

  @Test
  void tamperedBytesAreAnErrorNeverGarbage() {
    ValueTransformer t = new ValueTransformer(List.of(gcm("k", 1)));
    byte[] sealed = t.toStorage(PLAIN, KEY);
    sealed[sealed.length - 1] ^= 1;
    assertThatThrownBy(() -> t.fromStorage(sealed, KEY))
        .isInstanceOf(UnreadableValueException.class)
        .hasMessage(
            "Internal error occurred: unable to transform key \""
                + KEY
                + "\": aesgcm key \"k\": cipher: message authentication failed");
  }

  @Test
  void identityFirstWritesPlaintext() {
    ValueTransformer t = new ValueTransformer(List.of(ProviderKey.identity(), gcm("k", 1)));
    assertThat(t.encrypts()).isFalse();
    assertThat(t.toStorage(PLAIN, KEY)).isEqualTo(PLAIN);
  }
}
