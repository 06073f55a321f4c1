package io.nauta.api.storage;

/** An object as Redis holds it: its resourceVersion and its JSON (which carries the same rv). */
public record StoredObject(long resourceVersion, String json) {

  /** Parses the hash value {@code "<rv> <json>"}. */
  static StoredObject parse(String value) {
    int space = value.indexOf(' ');
    return new StoredObject(Long.parseLong(value.substring(0, space)), value.substring(space + 1));
  }
}
