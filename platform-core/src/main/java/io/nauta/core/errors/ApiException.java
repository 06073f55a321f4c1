package io.nauta.core.errors;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusDetailsBuilder;
import java.util.List;

/**
 * The one unchecked root of every error the API reports. Each subclass maps to a Kubernetes {@code
 * Status} reason and HTTP code, so the HTTP layer turns any of them into the same wire shape {@code
 * kubectl} and the client libraries decode.
 */
public abstract class ApiException extends RuntimeException {

  private final transient ResourceRef target;

  protected ApiException(String message, ResourceRef target) {
    super(message);
    this.target = target;
  }

  protected ApiException(String message, ResourceRef target, Throwable cause) {
    super(message, cause);
    this.target = target;
  }

  /** HTTP status code, e.g. 404. */
  public abstract int code();

  /** Kubernetes {@code StatusReason}, e.g. {@code NotFound}. */
  public abstract String reason();

  /** The object the error is about, if any; becomes {@code details.name/group/kind}. */
  public ResourceRef target() {
    return target;
  }

  /**
   * Causes: the fields of an {@link InvalidException}, the storage rewind of a {@link
   * GoneException}.
   */
  public List<StatusCause> causes() {
    return List.of();
  }

  /** The {@code Status} object to put on the wire. */
  public Status toStatus() {
    StatusBuilder b =
        new StatusBuilder()
            .withApiVersion("v1")
            .withKind("Status")
            .withNewMetadata()
            .endMetadata()
            .withStatus("Failure")
            .withMessage(getMessage())
            .withReason(reason())
            .withCode(code());
    if (target != null || !causes().isEmpty()) {
      StatusDetailsBuilder d = new StatusDetailsBuilder();
      if (target != null) {
        // Empty fields are left out, as Kubernetes' omitempty does: {"kind":"pods"} for a list of
        // the core group, not {"kind":"pods","group":"","name":""}.
        d.withName(blankToNull(target.name()))
            .withGroup(blankToNull(target.group()))
            .withKind(blankToNull(target.plural()));
      }
      if (!causes().isEmpty()) {
        d.withCauses(causes());
      }
      b.withDetails(d.build());
    }
    return b.build();
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
