package io.nauta.scheduler.framework;

/**
 * Holds what a pod takes on its chosen node beyond the node's resources (Kubernetes' Reserve
 * extension point), so the next cycle does not hand the same thing to another pod: a static volume,
 * for one. {@link #reserve} runs right after the cycle chose the node, before the next cycle
 * starts; {@link #unreserve} undoes it when the pod is not bound after all.
 */
public interface ReservePlugin extends Plugin {

  /** A non-success status fails the attempt; the pod goes round again. */
  Status reserve(CycleState state, PodInfo pod, NodeInfo node);

  /** Undoes {@link #reserve}; called at most once, also after a failed reserve. */
  void unreserve(CycleState state, PodInfo pod, String nodeName);
}
