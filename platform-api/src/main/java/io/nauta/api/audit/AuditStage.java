package io.nauta.api.audit;

/** The points of a request's life at which an audit event is written, as Kubernetes has them. */
public enum AuditStage {
  /** As soon as the request is received, before anything else is done with it. */
  RequestReceived,
  /** Once the response headers are sent: only for long-running requests such as watches. */
  ResponseStarted,
  /** Once the response is done. */
  ResponseComplete,
  /** The request failed in a way nothing expected (an internal error). */
  Panic
}
