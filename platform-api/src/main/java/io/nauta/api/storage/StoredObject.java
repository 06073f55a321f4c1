package io.nauta.api.storage;

import io.nauta.core.registry.ResourceType;

/**
 * An object as Redis holds it: its resourceVersion and its JSON (which carries the same rv).
 *
 * @param stale the value is not stored as a write would store it now (encrypted with a key other
 *     than the first one configured, or not encrypted at all): an update writes it again even if
 *     the object did not change, as Kubernetes does, which is what moves objects to a new key
 */
public record StoredObject(long resourceVersion, String json, boolean stale) {

  public StoredObject(long resourceVersion, String json) {
    this(resourceVersion, json, false);
  }

  /** Parses the hash value {@code "<rv> <value>"}, decoding (decrypting) the value. */
  static StoredObject parse(String value, String field, ResourceType type, StoredValues values) {
    int space = value.indexOf(' ');
    long rv = Long.parseLong(value.substring(0, space));
    String stored = value.substring(space + 1);
    return new StoredObject(
        rv, values.decode(type, field, rv, stored), values.isStale(type, stored));
  }
}
