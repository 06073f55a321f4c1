package io.nauta.core.errors;

/** HTTP 403, reason {@code Forbidden}. */
public class ForbiddenException extends ApiException {

  public ForbiddenException(String message) {
    super(message, null);
  }

  public ForbiddenException(String message, ResourceRef target) {
    super(message, target);
  }

  @Override
  public int code() {
    return 403;
  }

  @Override
  public String reason() {
    return "Forbidden";
  }
}
