package io.nauta.api.storage;

import io.nauta.api.storage.encryption.UnreadableValueException;
import java.util.List;
import java.util.Map;

/**
 * Every object of a type at exactly one resourceVersion.
 *
 * @param epoch the type's epoch (see {@link StorageKeys#epoch()})
 * @param lastWriteId the id of the write that made {@code resourceVersion} ("" if unknown)
 * @param unreadable the objects that could not be decrypted, by hash field ({@code
 *     <namespace>/<name>}), with the reason
 */
public record Snapshot(
    long resourceVersion,
    List<StoredObject> objects,
    String epoch,
    String lastWriteId,
    Map<String, UnreadableValueException> unreadable) {

  public Snapshot(long resourceVersion, List<StoredObject> objects) {
    this(resourceVersion, objects, "", "", Map.of());
  }

  public Snapshot(
      long resourceVersion, List<StoredObject> objects, String epoch, String lastWriteId) {
    this(resourceVersion, objects, epoch, lastWriteId, Map.of());
  }
}
