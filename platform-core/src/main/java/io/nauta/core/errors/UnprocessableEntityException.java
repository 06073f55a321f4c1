package io.nauta.core.errors;

/**
 * HTTP 422 with reason {@code Invalid} but no field causes: what Kubernetes answers when a
 * well-formed patch cannot be applied (a failed {@code test}, a path that does not exist).
 */
public class UnprocessableEntityException extends ApiException {

  public UnprocessableEntityException(String message) {
    super(message, null);
  }

  @Override
  public int code() {
    return 422;
  }

  @Override
  public String reason() {
    return "Invalid";
  }
}
