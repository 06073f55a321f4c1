package io.nauta.core.errors;

/** HTTP 406, reason {@code NotAcceptable}. */
public class NotAcceptableException extends ApiException {

  public NotAcceptableException(String message) {
    super(message, null);
  }

  public NotAcceptableException(String message, ResourceRef target) {
    super(message, target);
  }

  @Override
  public int code() {
    return 406;
  }

  @Override
  public String reason() {
    return "NotAcceptable";
  }
}
