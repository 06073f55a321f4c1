package io.nauta.core.errors;

/** HTTP 503, reason {@code ServiceUnavailable}. */
public class ServiceUnavailableException extends ApiException {

  public ServiceUnavailableException(String message) {
    super(message, null);
  }

  public ServiceUnavailableException(String message, ResourceRef target) {
    super(message, target);
  }

  @Override
  public int code() {
    return 503;
  }

  @Override
  public String reason() {
    return "ServiceUnavailable";
  }
}
