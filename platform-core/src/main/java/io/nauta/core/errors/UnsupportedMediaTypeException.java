package io.nauta.core.errors;

/** HTTP 415, reason {@code UnsupportedMediaType}. */
public class UnsupportedMediaTypeException extends ApiException {

  public UnsupportedMediaTypeException(String message) {
    super(message, null);
  }

  public UnsupportedMediaTypeException(String message, ResourceRef target) {
    super(message, target);
  }

  @Override
  public int code() {
    return 415;
  }

  @Override
  public String reason() {
    return "UnsupportedMediaType";
  }
}
