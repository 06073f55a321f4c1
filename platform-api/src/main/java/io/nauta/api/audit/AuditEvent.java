package io.nauta.api.audit;

import io.nauta.api.security.UserInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One audit event as the request path saw it, before it is written: an immutable snapshot (the
 * request goes on while the writer thread turns it into an {@code audit.k8s.io/v1} {@code Event}
 * line, see {@link AuditEventJson}). Bodies travel as the bytes that crossed the wire, so the
 * request thread never parses or encodes anything for the audit log.
 *
 * @param requestBody the request's body when it was kept: for creates even at {@code Metadata} (the
 *     object's name is in it, as Kubernetes fills {@code objectRef.name} from the decoded object),
 *     written as {@code requestObject} only at {@code Request} and above
 * @param responseBody the response's body at {@code RequestResponse}: the bytes written, or for a
 *     failure the {@code Status} object the error becomes
 */
public record AuditEvent(
    AuditLevel level,
    String auditId,
    AuditStage stage,
    String requestUri,
    String verb,
    UserInfo user,
    UserInfo impersonatedUser,
    List<String> sourceIps,
    String userAgent,
    ObjectRef objectRef,
    ResponseStatus responseStatus,
    Body requestBody,
    Object responseBody,
    Instant requestReceivedTimestamp,
    Instant stageTimestamp,
    Map<String, String> annotations) {

  /** The object a resource request is about (null for other paths). */
  public record ObjectRef(
      String resource,
      String namespace,
      String name,
      String apiGroup,
      String apiVersion,
      String subresource) {}

  /** The answer's code and, for a failure, Kubernetes' status, reason and message. */
  public record ResponseStatus(int code, String status, String reason, String message) {
    public static ResponseStatus success(int code) {
      return new ResponseStatus(code, "", "", "");
    }
  }

  /** Bytes of a body as sent, and whether they are Kubernetes protobuf rather than JSON. */
  public record Body(byte[] bytes, boolean protobuf) {}
}
