package io.nauta.scheduler.plugins.noderesources;

import io.nauta.scheduler.framework.ClusterSnapshot;
import io.nauta.scheduler.framework.CycleState;
import io.nauta.scheduler.framework.FilterPlugin;
import io.nauta.scheduler.framework.NodeInfo;
import io.nauta.scheduler.framework.PodInfo;
import io.nauta.scheduler.framework.Resources;
import io.nauta.scheduler.framework.ScorePlugin;
import io.nauta.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Filters out nodes without room for the pod (pod count, cpu, memory, every other requested
 * resource such as {@code ephemeral-storage} or {@code nvidia.com/gpu}) and scores the rest with
 * Kubernetes' default LeastAllocated strategy: the more cpu and memory stays free after placing the
 * pod, the better.
 */
public final class NodeResourcesFit implements FilterPlugin, ScorePlugin {

  public static final String NAME = "NodeResourcesFit";
  public static final String REASON_TOO_MANY_PODS = "Too many pods";
  static final String EPHEMERAL_STORAGE = "ephemeral-storage";

  private static final long CPU_WEIGHT = 1;
  private static final long MEMORY_WEIGHT = 1;

  @Override
  public String name() {
    return NAME;
  }

  /**
   * The pod's requests flattened for the per-node check: the other resources as parallel arrays
   * (ephemeral-storage first, then by name, so reasons come in a stable order) with their reasons
   * already formatted.
   */
  private record PreFilterState(
      long milliCpu, long memory, String[] names, long[] amounts, String[] reasons) {

    boolean requestsNothing() {
      return milliCpu == 0 && memory == 0 && names.length == 0;
    }
  }

  @Override
  public Status preFilter(CycleState state, PodInfo pod, ClusterSnapshot snapshot) {
    state.put(PreFilterState.class, preFilterState(pod));
    return Status.success();
  }

  private static PreFilterState preFilterState(PodInfo pod) {
    Resources r = pod.requests();
    Map<String, Long> others = new TreeMap<>();
    r.scalars()
        .forEach(
            (name, amount) -> {
              if (amount > 0 && !Resources.PODS.equals(name)) {
                others.put(name, amount);
              }
            });
    List<String> names = new ArrayList<>();
    if (others.containsKey(EPHEMERAL_STORAGE)) {
      names.add(EPHEMERAL_STORAGE);
    }
    for (String name : others.keySet()) {
      if (!EPHEMERAL_STORAGE.equals(name)) {
        names.add(name);
      }
    }
    String[] n = names.toArray(String[]::new);
    long[] amounts = new long[n.length];
    String[] reasons = new String[n.length];
    for (int i = 0; i < n.length; i++) {
      amounts[i] = others.get(n[i]);
      reasons[i] = insufficient(n[i]);
    }
    return new PreFilterState(r.milliCpu(), r.memory(), n, amounts, reasons);
  }

  /** Kubernetes' reason for a resource the node lacks, e.g. {@code Insufficient nvidia.com/gpu}. */
  public static String insufficient(String resource) {
    return "Insufficient " + resource;
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    PreFilterState s = state.computeIfAbsent(PreFilterState.class, () -> preFilterState(pod));
    List<String> reasons = null;
    if (node.podCount() + 1 > node.allocatablePods()) {
      reasons = add(reasons, REASON_TOO_MANY_PODS);
    }
    if (s.requestsNothing()) {
      return reasons == null ? Status.success() : Status.unschedulable(REASON_TOO_MANY_PODS);
    }
    Resources alloc = node.allocatable();
    Resources used = node.requested();
    if (s.milliCpu() > 0 && s.milliCpu() > alloc.milliCpu() - used.milliCpu()) {
      reasons = add(reasons, insufficient(Resources.CPU));
    }
    if (s.memory() > 0 && s.memory() > alloc.memory() - used.memory()) {
      reasons = add(reasons, insufficient(Resources.MEMORY));
    }
    String[] names = s.names();
    for (int i = 0; i < names.length; i++) {
      if (s.amounts()[i] > alloc.get(names[i]) - used.get(names[i])) {
        reasons = add(reasons, s.reasons()[i]);
      }
    }
    return reasons == null
        ? Status.success()
        : Status.unschedulable(reasons.toArray(String[]::new));
  }

  private static List<String> add(List<String> reasons, String reason) {
    List<String> out = reasons == null ? new ArrayList<>(2) : reasons;
    out.add(reason);
    return out;
  }

  // --- score: LeastAllocated ----------------------------------------------------------------

  /**
   * Per resource {@code (allocatable - requested) * 100 / allocatable} after adding the pod, with
   * the non-zero defaults for containers that request nothing; resources the node does not report
   * are left out of the weighted average, as in Kubernetes.
   */
  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    Resources podRequests = pod.nonZeroRequests();
    Resources alloc = node.allocatable();
    Resources used = node.nonZeroRequested();
    long total = 0;
    long weights = 0;
    if (alloc.milliCpu() > 0) {
      total +=
          CPU_WEIGHT * leastRequested(used.milliCpu() + podRequests.milliCpu(), alloc.milliCpu());
      weights += CPU_WEIGHT;
    }
    if (alloc.memory() > 0) {
      total += MEMORY_WEIGHT * leastRequested(used.memory() + podRequests.memory(), alloc.memory());
      weights += MEMORY_WEIGHT;
    }
    return weights == 0 ? 0 : total / weights;
  }

  static long leastRequested(long requested, long capacity) {
    if (capacity == 0 || requested > capacity) {
      return 0;
    }
    return (capacity - requested) * MAX_SCORE / capacity;
  }
}
