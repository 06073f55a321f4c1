package io.nauta.api.storage;

import io.nauta.api.storage.encryption.UnreadableValueException;
import io.nauta.core.registry.ResourceType;

/**
 * An object as Redis holds it: its resourceVersion and its JSON (which carries the same rv).
 *
 * @param stale the value is not stored as a write would store it now (encrypted with a key other
 *     than the first one configured, not encrypted at all, or sealed in the old layout that kept
 *     the resourceVersion in front): an update writes it again even if the object did not change,
 *     as Kubernetes does, which is what moves objects to a new key
 */
public record StoredObject(long resourceVersion, String json, boolean stale) {

  public StoredObject(long resourceVersion, String json) {
    this(resourceVersion, json, false);
  }

  /**
   * Reads a value of the objects hash, decoding (decrypting) it. A plaintext value is {@code "<rv>
   * <json>"}; a sealed one is exactly its sealed bytes ({@code k8s:enc:…}) and its resourceVersion
   * is {@code sealedRv}, read from {@link StorageKeys#sealedVersions()} together with it (see
   * {@code write.lua}). A value sealed before that layout, {@code "<rv> k8s:enc:…"}, is read too,
   * and counts as stale so that its next write stores it in the new layout.
   *
   * @param sealedRv the resourceVersion kept for a sealed value; null or empty if none was read
   * @throws UnreadableValueException when the value is sealed and cannot be decrypted, or no
   *     resourceVersion is kept for it
   */
  static StoredObject parse(
      String value, String sealedRv, String field, ResourceType type, StoredValues values) {
    if (StoredValues.isSealed(value)) {
      boolean known = sealedRv != null && !sealedRv.isEmpty();
      long rv = known ? Long.parseLong(sealedRv) : 0;
      String json = values.decode(type, field, rv, value);
      if (!known) {
        throw new UnreadableValueException(
            StoredValues.storageKey(type, field),
            "no resourceVersion is kept for the sealed value in "
                + StorageKeys.of(type).sealedVersions());
      }
      return new StoredObject(rv, json, values.isStale(type, value));
    }
    int space = value.indexOf(' ');
    long rv = Long.parseLong(value.substring(0, space));
    String stored = value.substring(space + 1);
    boolean oldLayout = StoredValues.isSealed(stored);
    return new StoredObject(
        rv, values.decode(type, field, rv, stored), oldLayout || values.isStale(type, stored));
  }
}
