package io.nauta.core.errors;

/** HTTP 409, reason {@code Conflict}: a stale resourceVersion or a failed precondition. */
public class ConflictException extends ApiException {

  public ConflictException(String message, ResourceRef target) {
    super(message, target);
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
