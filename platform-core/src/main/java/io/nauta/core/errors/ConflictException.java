package io.nauta.core.errors;

/** HTTP 409, reason {@code Conflict}: a stale resourceVersion or a failed precondition. */
public class ConflictException extends ApiException {

  private final boolean storageRace;

  public ConflictException(String message, ResourceRef target) {
    this(message, target, false);
  }

  private ConflictException(String message, ResourceRef target, boolean storageRace) {
    super(message, target);
    this.storageRace = storageRace;
  }

  /**
   * True when another writer changed the object between a server-side read and write: the server
   * retries with a fresh read instead of reporting it, unless the client's own resourceVersion was
   * the precondition.
   */
  public boolean isStorageRace() {
    return storageRace;
  }

  /** This conflict marked as a race of the server's own read-modify-write loop. */
  public ConflictException asStorageRace() {
    return new ConflictException(getMessage(), target(), true);
  }

  /** The message Kubernetes gives an update carrying a stale {@code metadata.resourceVersion}. */
  public static ConflictException staleResourceVersion(ResourceRef target) {
    return new ConflictException(
        "Operation cannot be fulfilled on "
            + target.describe()
            + ": the object has been modified; please apply your changes to the latest version"
            + " and try again",
        target);
  }

  @Override
  public int code() {
    return 409;
  }

  @Override
  public String reason() {
    return "Conflict";
  }
}
