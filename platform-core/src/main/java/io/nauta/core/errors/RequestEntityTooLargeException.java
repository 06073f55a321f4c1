package io.nauta.core.errors;

/** HTTP 413, reason {@code RequestEntityTooLarge}. */
public class RequestEntityTooLargeException extends ApiException {

  public RequestEntityTooLargeException(String message) {
    super(message, null);
  }

  public RequestEntityTooLargeException(String message, ResourceRef target) {
    super(message, target);
  }

  @Override
  public int code() {
    return 413;
  }

  @Override
  public String reason() {
    return "RequestEntityTooLarge";
  }
}
