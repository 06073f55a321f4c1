package io.nauta.core.informer;

/**
 * A change the informer applied to its store. {@code previous} is the object before an update (and
 * the last known state for a delete); {@code object} is the new state (for a delete, the deleted
 * object as last seen).
 */
public record InformerEvent<T>(Type type, T previous, T object) {

  public enum Type {
    ADDED,
    UPDATED,
    DELETED
  }

  static <T> InformerEvent<T> added(T object) {
    return new InformerEvent<>(Type.ADDED, null, object);
  }

  static <T> InformerEvent<T> updated(T previous, T object) {
    return new InformerEvent<>(Type.UPDATED, previous, object);
  }

  static <T> InformerEvent<T> deleted(T object) {
    return new InformerEvent<>(Type.DELETED, object, object);
  }
}
