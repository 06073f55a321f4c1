package io.nauta.api.resource;

/**
 * The result of a write: the object as it now is (or was, when gone) and what happened to it, so
 * the HTTP layer can answer 201, 200 or 202 as Kubernetes does.
 */
public record Written(String json, Outcome outcome, java.util.List<String> warnings) {

  public Written(String json, Outcome outcome) {
    this(json, outcome, java.util.List.of());
  }

  public Written withWarnings(java.util.List<String> more) {
    if (more.isEmpty()) {
      return this;
    }
    java.util.List<String> all = new java.util.ArrayList<>(warnings);
    all.addAll(more);
    return new Written(json, outcome, java.util.List.copyOf(all));
  }

  public enum Outcome {
    CREATED,
    UPDATED,
    UNCHANGED,
    /** Removed from storage. */
    DELETED,
    /** Marked for deletion; finalizers or a grace period keep it for now. */
    DELETING
  }
}
