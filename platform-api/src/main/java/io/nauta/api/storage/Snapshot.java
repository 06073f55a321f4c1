package io.nauta.api.storage;

import java.util.List;

/**
 * Every object of a type at exactly one resourceVersion.
 *
 * @param epoch the type's epoch (see {@link StorageKeys#epoch()})
 * @param lastWriteId the id of the write that made {@code resourceVersion} ("" if unknown)
 */
public record Snapshot(
    long resourceVersion, List<StoredObject> objects, String epoch, String lastWriteId) {

  public Snapshot(long resourceVersion, List<StoredObject> objects) {
    this(resourceVersion, objects, "", "");
  }
}
