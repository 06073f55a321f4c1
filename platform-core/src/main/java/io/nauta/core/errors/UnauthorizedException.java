package io.nauta.core.errors;

/**
 * HTTP 401, reason {@code Unauthorized}: no authenticator accepted the request's credentials (or it
 * carried none where one is needed). Kubernetes answers with the message "Unauthorized".
 */
public class UnauthorizedException extends ApiException {

  public UnauthorizedException(String message) {
    super(message, null);
  }

  @Override
  public int code() {
    return 401;
  }

  @Override
  public String reason() {
    return "Unauthorized";
  }
}
