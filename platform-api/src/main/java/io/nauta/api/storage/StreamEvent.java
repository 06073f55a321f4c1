package io.nauta.api.storage;

import io.nauta.api.storage.encryption.UnreadableValueException;

/**
 * One entry of a type's event stream.
 *
 * @param type {@code ADDED}, {@code MODIFIED} or {@code DELETED}
 * @param resourceVersion the write's resourceVersion (the entry ID is {@code <rv>-0})
 * @param json the object after the write (for DELETED, its last state)
 * @param timestampMillis when the write happened
 * @param epoch the type's epoch when it was written (see {@link StorageKeys#epoch()}); null for
 *     entries written before epochs existed
 * @param writeId this write's id
 * @param previousWriteId the id of the write before it ("" if none); null like {@code epoch}
 * @param field the object's hash field ({@code <namespace>/<name>}); null for entries written
 *     before events carried it
 * @param unreadable why the object could not be decrypted (then {@code json} is null), or null
 */
public record StreamEvent(
    String type,
    long resourceVersion,
    String json,
    long timestampMillis,
    String epoch,
    String writeId,
    String previousWriteId,
    String field,
    UnreadableValueException unreadable) {

  public StreamEvent(String type, long resourceVersion, String json, long timestampMillis) {
    this(type, resourceVersion, json, timestampMillis, null, null, null, null, null);
  }

  public StreamEvent(
      String type,
      long resourceVersion,
      String json,
      long timestampMillis,
      String epoch,
      String writeId,
      String previousWriteId) {
    this(type, resourceVersion, json, timestampMillis, epoch, writeId, previousWriteId, null, null);
  }
}
