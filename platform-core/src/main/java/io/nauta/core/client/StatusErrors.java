package io.nauta.core.client;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.errors.ApiException;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.ForbiddenException;
import io.nauta.core.errors.GoneException;
import io.nauta.core.errors.InternalErrorException;
import io.nauta.core.errors.InvalidException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.errors.ServiceUnavailableException;
import io.nauta.core.errors.UnauthorizedException;
import java.util.List;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a failed response (its HTTP code and, when the server sent one, its {@code Status} body)
 * into the typed exception the server raised, so a client catches {@code NotFoundException} the
 * same way the server threw it.
 */
public final class StatusErrors {

  private StatusErrors() {}

  /** Decodes a response body; a body that is not a {@code Status} keeps the HTTP code. */
  public static ApiException fromResponse(JsonMapper mapper, int httpCode, String body) {
    Status status = null;
    if (body != null && !body.isBlank()) {
      try {
        status = mapper.readValue(body, Status.class);
      } catch (JacksonException e) {
        status = null;
      }
    }
    if (status == null || !"Status".equals(status.getKind())) {
      String message = body == null || body.isBlank() ? "HTTP " + httpCode : body.strip();
      return new UnexpectedStatusException(httpCode, null, message, null, List.of());
    }
    if (status.getCode() == null || status.getCode() == 0) {
      status.setCode(httpCode);
    }
    return fromStatus(status);
  }

  /** The exception a failure {@code Status} stands for. */
  public static ApiException fromStatus(Status status) {
    if (status == null) {
      return new UnexpectedStatusException(500, null, "failure without a Status", null, List.of());
    }
    int code = status.getCode() == null ? 500 : status.getCode();
    String reason = status.getReason() == null ? "" : status.getReason();
    String message = status.getMessage() == null ? reason : status.getMessage();
    StatusDetails d = status.getDetails();
    // Kubernetes leaves empty detail fields out (the core group, a list's name).
    ResourceRef target =
        d == null
            ? null
            : new ResourceRef(
                Objects.toString(d.getGroup(), ""),
                Objects.toString(d.getKind(), ""),
                Objects.toString(d.getName(), ""));
    List<StatusCause> causes = d == null || d.getCauses() == null ? List.of() : d.getCauses();
    switch (code) {
      case 400:
        return new BadRequestException(message, target);
      case 401:
        return new UnauthorizedException(message);
      case 403:
        return new ForbiddenException(message, target);
      case 404:
        return new NotFoundException(message, target);
      case 409:
        if ("AlreadyExists".equals(reason) && target != null) {
          return new AlreadyExistsException(target);
        }
        return "Conflict".equals(reason) || reason.isEmpty()
            ? new ConflictException(message, target)
            : new UnexpectedStatusException(code, reason, message, target, causes);
      case 410:
        return new GoneException(message, reason.isEmpty() ? "Expired" : reason, causes);
      case 422:
        return InvalidException.fromStatus(message, target, causes);
      case 500:
        return new InternalErrorException(message, target);
      case 503:
        return new ServiceUnavailableException(message, target);
      default:
        return new UnexpectedStatusException(code, reason, message, target, causes);
    }
  }
}
