package io.nauta.api.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nauta.api.storage.encryption.EncryptionConfigFile;
import io.nauta.api.storage.encryption.UnreadableValueException;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import org.junit.jupiter.api.Test;

/** The layouts of a value in the objects hash, read back (see {@code write.lua}). */
class StoredObjectTest {

  private static final ResourceType SECRETS = BuiltInResources.SECRETS;
  private static final StoredValues VALUES =
      new StoredValues(EncryptionConfigFile.parse(SecretsSealedWithAesGcm.CONFIG, "enc.yaml"));
  private static final String JSON =
      "{\"metadata\":{\"name\":\"s\",\"namespace\":\"ns\",\"resourceVersion\":\""
          + RedisObjectStore.RV_PLACEHOLDER
          + "\"},\"data\":{\"k\":\"dg==\"}}";

  private static String sealed() {
    return VALUES.encode(SECRETS, "ns", "s", JSON).wire();
  }

  @Test
  void aSealedValueTakesTheResourceVersionKeptBesideIt() {
    StoredObject o = StoredObject.parse(sealed(), "12", "ns/s", SECRETS, VALUES);

    assertThat(o.resourceVersion()).isEqualTo(12);
    assertThat(o.json()).contains("\"resourceVersion\":\"12\"").contains("\"k\":\"dg==\"");
    assertThat(o.stale()).isFalse();
  }

  @Test
  void aValueSealedWithItsResourceVersionInFrontIsReadAndStale() {
    StoredObject o = StoredObject.parse("7 " + sealed(), null, "ns/s", SECRETS, VALUES);

    assertThat(o.resourceVersion()).isEqualTo(7);
    assertThat(o.json()).contains("\"resourceVersion\":\"7\"").contains("\"k\":\"dg==\"");
    assertThat(o.stale()).isTrue();
  }

  @Test
  void aSealedValueWithoutAKeptResourceVersionIsUnreadableNamingItsKey() {
    assertThatThrownBy(() -> StoredObject.parse(sealed(), "", "ns/s", SECRETS, VALUES))
        .isInstanceOf(UnreadableValueException.class)
        .hasMessage(
            "Internal error occurred: unable to transform key"
                + " \"nauta:{core/secrets}:objects/ns/s\": no resourceVersion is kept for the"
                + " sealed value in nauta:{core/secrets}:sealed-rvs");
  }

  @Test
  void aPlaintextValueKeepsItsResourceVersionInFront() {
    StoredObject o =
        StoredObject.parse(
            "3 {\"metadata\":{\"resourceVersion\":\"3\"}}",
            null,
            "ns/s",
            BuiltInResources.CONFIGMAPS,
            VALUES);

    assertThat(o.resourceVersion()).isEqualTo(3);
    assertThat(o.json()).isEqualTo("{\"metadata\":{\"resourceVersion\":\"3\"}}");
    assertThat(o.stale()).isFalse();
  }
}
