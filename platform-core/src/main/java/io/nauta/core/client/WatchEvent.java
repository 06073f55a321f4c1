package io.nauta.core.client;

import io.fabric8.kubernetes.api.model.Status;

/**
 * One line of a watch stream. {@code object} is set for ADDED, MODIFIED, DELETED and BOOKMARK (a
 * bookmark carries only {@code metadata.resourceVersion}); {@code status} is set for ERROR.
 */
public record WatchEvent<T>(Type type, T object, Status status) {

  public enum Type {
    ADDED,
    MODIFIED,
    DELETED,
    BOOKMARK,
    ERROR
  }
}
