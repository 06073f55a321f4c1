package io.nauta.core.errors;

/** HTTP 404, reason {@code NotFound}. */
public class NotFoundException extends ApiException {

  public NotFoundException(String message) {
    super(message, null);
  }

  public NotFoundException(String message, ResourceRef target) {
    super(message, target);
  }

  /** {@code pods "web" not found}, the message Kubernetes gives for a missing object. */
  public static NotFoundException of(ResourceRef target) {
    return new NotFoundException(target.describe() + " not found", target);
  }

  @Override
  public int code() {
    return 404;
  }

  @Override
  public String reason() {
    return "NotFound";
  }
}
