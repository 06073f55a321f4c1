package io.nauta.core.errors;

/** HTTP 500, reason {@code InternalError}. */
public class InternalErrorException extends ApiException {

  public InternalErrorException(String message) {
    super(message, null);
  }

  public InternalErrorException(String message, ResourceRef target) {
    super(message, target);
  }

  @Override
  public int code() {
    return 500;
  }

  @Override
  public String reason() {
    return "InternalError";
  }
}
