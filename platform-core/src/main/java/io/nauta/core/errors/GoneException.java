package io.nauta.core.errors;

/**
 * HTTP 410, reason {@code Expired} (or {@code Gone}): a watch or list asked for a resourceVersion
 * older than the history kept. Clients re-list, as the Kubernetes contract says.
 */
public class GoneException extends ApiException {

  private final String reason;

  public GoneException(String message) {
    this(message, "Expired");
  }

  public GoneException(String message, String reason) {
    super(message, null);
    this.reason = reason;
  }

  @Override
  public int code() {
    return 410;
  }

  @Override
  public String reason() {
    return reason;
  }
}
