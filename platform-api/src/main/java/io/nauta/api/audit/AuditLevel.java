package io.nauta.api.audit;

/**
 * How much of a request the audit log keeps, as Kubernetes' {@code audit.k8s.io/v1} levels, from
 * nothing to everything: each level includes what the lower ones keep.
 */
public enum AuditLevel {
  /** Not logged. */
  None,
  /** Who, what, when and the answer's status: no request or response body. */
  Metadata,
  /** Metadata and the request's body. */
  Request,
  /** Metadata, the request's body and the response's (never a watch stream's). */
  RequestResponse;

  public boolean atLeast(AuditLevel other) {
    return compareTo(other) >= 0;
  }
}
