package io.nauta.core.errors;

/** HTTP 504, reason {@code Timeout}. */
public class TimeoutException extends ApiException {

  public TimeoutException(String message) {
    super(message, null);
  }

  public TimeoutException(String message, ResourceRef target) {
    super(message, target);
  }

  @Override
  public int code() {
    return 504;
  }

  @Override
  public String reason() {
    return "Timeout";
  }
}
