package io.nauta.core.client;

import io.fabric8.kubernetes.api.model.StatusCause;
import io.nauta.core.errors.ApiException;
import io.nauta.core.errors.ResourceRef;
import java.util.List;

/**
 * A failure status none of the typed exceptions stands for; keeps the code and reason it came with.
 */
public class UnexpectedStatusException extends ApiException {

  private final int code;
  private final String reason;
  private final transient List<StatusCause> causes;

  public UnexpectedStatusException(
      int code, String reason, String message, ResourceRef target, List<StatusCause> causes) {
    super(message, target);
    this.code = code;
    this.reason = reason == null || reason.isEmpty() ? "Unknown" : reason;
    this.causes = causes == null ? List.of() : List.copyOf(causes);
  }

  @Override
  public int code() {
    return code;
  }

  @Override
  public String reason() {
    return reason;
  }

  @Override
  public List<StatusCause> causes() {
    return causes;
  }
}
