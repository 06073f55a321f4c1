package io.nauta.api.storage;

import io.lettuce.core.codec.StringCodec;
import io.nauta.api.storage.encryption.EncryptionConfig;
import io.nauta.api.storage.encryption.UnreadableValueException;
import io.nauta.api.storage.encryption.ValueTransformer;
import io.nauta.core.registry.ResourceType;
import java.nio.charset.StandardCharsets;

/**
 * Between an object's JSON and the value Redis holds for it: plaintext UTF-8 JSON, or, for the
 * resources the encryption configuration names, the sealed bytes Kubernetes writes ({@code
 * k8s:enc:<provider>:v1:<key>:} and the provider's bytes). Every write of an object (create,
 * update, patch, status, the last state a delete sends to watchers) is encoded here, and every read
 * of one (get, the watch cache's snapshot, history and events) decoded here, so neither the objects
 * hash nor the event stream holds a sealed resource in plaintext.
 *
 * <p>Sealed values are binary, so they travel as {@link #WIRE} strings: one char per byte ({@code
 * ISO-8859-1}), which Redis receives and returns byte for byte. Plaintext JSON is sent as its UTF-8
 * bytes the same way, so what Redis holds for it is unchanged.
 *
 * <p>The objects hash holds a sealed value as exactly these bytes, as etcd holds it in Kubernetes;
 * its resourceVersion is kept beside it (see {@link StorageKeys#sealedVersions()} and {@code
 * write.lua}).
 */
public final class StoredValues {

  /** The codec for object values: each char one byte. */
  public static final StringCodec WIRE = new StringCodec(StandardCharsets.ISO_8859_1);

  private static final String ENCRYPTED = "k8s:enc:";

  private final EncryptionConfig config;

  public StoredValues(EncryptionConfig config) {
    this.config = config;
  }

  /**
   * A value ready for the write script.
   *
   * @param placeholder what the script replaces by the new resourceVersion: empty for a sealed
   *     value, whose resourceVersion is added when it is read
   */
  public record Outgoing(String wire, String placeholder) {}

  Outgoing encode(ResourceType type, String namespace, String name, String json) {
    ValueTransformer t = config.forType(type);
    if (t == null || !t.encrypts()) {
      return new Outgoing(toWire(json), RedisObjectStore.RV_PLACEHOLDER);
    }
    int at = json.indexOf(RedisObjectStore.RV_PLACEHOLDER);
    String plain =
        at < 0
            ? json
            : json.substring(0, at) + json.substring(at + RedisObjectStore.RV_PLACEHOLDER.length());
    byte[] sealed =
        t.toStorage(plain.getBytes(StandardCharsets.UTF_8), storageKey(type, namespace, name));
    return new Outgoing(new String(sealed, StandardCharsets.ISO_8859_1), "");
  }

  /**
   * The JSON of a value read from Redis.
   *
   * @param field the object's hash field ({@code <namespace>/<name>})
   * @throws UnreadableValueException when it is sealed and no configured key opens it
   */
  public String decode(ResourceType type, String field, long rv, String wire) {
    ValueTransformer t = config.forType(type);
    if (t == null) {
      if (wire.startsWith(ENCRYPTED)) {
        throw new UnreadableValueException(
            storageKey(type, field),
            "no encryption configuration for this resource, but the value is encrypted");
      }
      return fromWire(wire);
    }
    byte[] stored = wire.getBytes(StandardCharsets.ISO_8859_1);
    byte[] plain = t.fromStorage(stored, storageKey(type, field));
    String json = new String(plain, StandardCharsets.UTF_8);
    return ValueTransformer.isEncrypted(stored) ? ResourceVersionSplice.insert(json, rv) : json;
  }

  /** Whether a value read from Redis is sealed: it starts with {@code k8s:enc:}. */
  static boolean isSealed(String wire) {
    return wire.startsWith(ENCRYPTED);
  }

  /**
   * Whether sealed values of this type can be read at all: only with an encryption configuration
   * for the type. Without one, a sealed value is unreadable whatever its resourceVersion, so a get
   * need not read the version kept beside it.
   */
  boolean readsSealed(ResourceType type) {
    return config.forType(type) != null;
  }

  /**
   * Whether a value read from Redis is not in the form a write would give it now (see {@link
   * ValueTransformer#isStale}): then an update must store it even if the object is unchanged.
   */
  public boolean isStale(ResourceType type, String wire) {
    ValueTransformer t = config.forType(type);
    return t != null && t.isStale(wire.getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * The object's storage key, {@code <objects hash>/<field>}: what a sealed value is bound to
   * (AES-GCM's authenticated data, as Kubernetes binds it to the etcd key) and what errors name.
   */
  public static String storageKey(ResourceType type, String namespace, String name) {
    return storageKey(type, StorageKeys.field(namespace, name));
  }

  static String storageKey(ResourceType type, String field) {
    return StorageKeys.of(type).objects() + "/" + field;
  }

  static String toWire(String json) {
    return new String(json.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  static String fromWire(String wire) {
    return new String(wire.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }
}
