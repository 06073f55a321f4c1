package io.nauta.scheduler.framework;

/**
 * Decides whether a pod may go on a node. {@link #preFilter} runs once per pod per scheduling cycle
 * (to compute what every node's filter needs, into the {@link CycleState}); {@link #filter} runs
 * for each node considered and must not change anything but the cycle state.
 */
public interface FilterPlugin extends Plugin {

  /**
   * Once per cycle, before any {@link #filter}. A non-success status rejects the pod on every node
   * with that status's reasons.
   */
  default Status preFilter(CycleState state, PodInfo pod, ClusterSnapshot snapshot) {
    return Status.success();
  }

  Status filter(CycleState state, PodInfo pod, NodeInfo node);
}
