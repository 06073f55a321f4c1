package io.nauta.scheduler.plugins.noderesources;

import io.nauta.scheduler.framework.CycleState;
import io.nauta.scheduler.framework.NodeInfo;
import io.nauta.scheduler.framework.PodInfo;
import io.nauta.scheduler.framework.Resources;
import io.nauta.scheduler.framework.ScorePlugin;

/**
 * Prefers nodes whose cpu and memory would be used in equal proportion after placing the pod:
 * {@code (1 - std) * 100} over the requested/allocatable fractions (each capped at 1). Like
 * Kubernetes it uses the real requests of the node's pods and of the pod, not the non-zero defaults
 * that LeastAllocated scores with.
 */
public final class BalancedAllocation implements ScorePlugin {

  public static final String NAME = "NodeResourcesBalancedAllocation";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    Resources alloc = node.allocatable();
    Resources used = node.requested();
    Resources podRequests = pod.requests();
    int count = 0;
    double f1 = 0;
    double f2 = 0;
    if (alloc.milliCpu() > 0) {
      f1 = fraction(used.milliCpu() + podRequests.milliCpu(), alloc.milliCpu());
      count++;
    }
    if (alloc.memory() > 0) {
      double f = fraction(used.memory() + podRequests.memory(), alloc.memory());
      if (count == 0) {
        f1 = f;
      } else {
        f2 = f;
      }
      count++;
    }
    // For two fractions the standard deviation is half their distance; for one it is zero.
    double std = count == 2 ? Math.abs(f1 - f2) / 2 : 0;
    return (long) ((1 - std) * MAX_SCORE);
  }

  private static double fraction(long requested, long allocatable) {
    return Math.min(1.0, (double) requested / (double) allocatable);
  }
}
