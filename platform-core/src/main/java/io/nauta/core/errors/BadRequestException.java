package io.nauta.core.errors;

/** HTTP 400, reason {@code BadRequest}. */
public class BadRequestException extends ApiException {

  public BadRequestException(String message) {
    super(message, null);
  }

  public BadRequestException(String message, ResourceRef target) {
    super(message, target);
  }

  @Override
  public int code() {
    return 400;
  }

  @Override
  public String reason() {
    return "BadRequest";
  }
}
