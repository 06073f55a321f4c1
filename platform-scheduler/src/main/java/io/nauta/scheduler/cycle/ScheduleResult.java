package io.nauta.scheduler.cycle;

import io.nauta.scheduler.framework.CycleState;

/** What one scheduling cycle decided for a pod. */
public sealed interface ScheduleResult {

  /**
   * The pod goes on {@code nodeName}; {@code evaluated} nodes were filtered, {@code feasible} fit;
   * {@code state} is the cycle's, for the plugins that reserve and pre-bind.
   */
  record Scheduled(String nodeName, int evaluated, int feasible, CycleState state)
      implements ScheduleResult {}

  /** The pod fits on no node; {@code message} is Kubernetes' "0/3 nodes are available: …". */
  record Unschedulable(String message, boolean resolvable) implements ScheduleResult {}

  /** A plugin failed; the pod is retried with back-off. */
  record Failed(String message) implements ScheduleResult {}
}
