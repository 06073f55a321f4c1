package io.nauta.core.errors;

import io.fabric8.kubernetes.api.model.StatusCause;
import java.util.List;

/**
 * HTTP 409 of server-side apply: the applied configuration changes fields other managers own. One
 * {@code FieldManagerConflict} cause per field, as Kubernetes' {@code NewApplyConflict}.
 */
public class ApplyConflictException extends ConflictException {

  private final transient List<StatusCause> causes;

  public ApplyConflictException(String message, List<StatusCause> causes) {
    super(message, null);
    this.causes = List.copyOf(causes);
  }

  @Override
  public List<StatusCause> causes() {
    return causes;
  }
}
