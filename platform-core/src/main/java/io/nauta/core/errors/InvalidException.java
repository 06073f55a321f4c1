package io.nauta.core.errors;

import io.fabric8.kubernetes.api.model.StatusCause;
import java.util.List;
import java.util.stream.Collectors;

/**
 * HTTP 422, reason {@code Invalid}, with one {@code details.causes} entry per field error, and the
 * message Kubernetes composes: {@code Pod "web" is invalid: spec.containers[0].image: Required
 * value}.
 */
public class InvalidException extends ApiException {

  private final transient List<StatusCause> causes;

  public InvalidException(String kind, ResourceRef target, List<FieldError> errors) {
    super(message(kind, target, errors), target);
    this.causes = errors.stream().map(FieldError::toCause).toList();
  }

  private InvalidException(List<StatusCause> causes, String message, ResourceRef target) {
    super(message, target);
    this.causes = List.copyOf(causes);
  }

  /** An Invalid error as a server reported it: its message and causes kept as they were sent. */
  public static InvalidException fromStatus(
      String message, ResourceRef target, List<StatusCause> causes) {
    return new InvalidException(causes == null ? List.of() : causes, message, target);
  }

  private static String message(String kind, ResourceRef target, List<FieldError> errors) {
    String name = target == null || target.name() == null ? "" : target.name();
    String joined = errors.stream().map(FieldError::message).collect(Collectors.joining(", "));
    String prefix = kind + " \"" + name + "\" is invalid: ";
    return errors.size() == 1 ? prefix + joined : prefix + "[" + joined + "]";
  }

  @Override
  public List<StatusCause> causes() {
    return causes;
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
