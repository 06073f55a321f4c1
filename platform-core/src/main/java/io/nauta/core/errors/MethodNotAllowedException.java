package io.nauta.core.errors;

/** HTTP 405, reason {@code MethodNotAllowed}. */
public class MethodNotAllowedException extends ApiException {

  public MethodNotAllowedException(String message) {
    super(message, null);
  }

  public MethodNotAllowedException(String message, ResourceRef target) {
    super(message, target);
  }

  @Override
  public int code() {
    return 405;
  }

  @Override
  public String reason() {
    return "MethodNotAllowed";
  }
}
