package io.nauta.controllers.nodelifecycle;

/** Kubernetes' zone states of the node lifecycle controller ({@code ZoneState}). */
public enum ZoneState {
  /** A zone seen for the first time. */
  INITIAL,
  /** Fewer nodes not ready than the unhealthy-zone threshold, or at most two. */
  NORMAL,
  /** More than two nodes and at least the threshold's share of them not ready. */
  PARTIAL_DISRUPTION,
  /** No node ready. */
  FULL_DISRUPTION
}
