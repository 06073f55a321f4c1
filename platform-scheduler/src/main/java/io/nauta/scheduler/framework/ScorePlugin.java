package io.nauta.scheduler.framework;

import java.util.List;

/**
 * Ranks the nodes a pod fits on. {@link #score} gives a raw score per node; {@link #normalize} then
 * maps the scores of all feasible nodes onto 0..{@link #MAX_SCORE}; the framework multiplies each
 * plugin's normalized score by the plugin's weight and sums.
 */
public interface ScorePlugin extends Plugin {

  long MAX_SCORE = 100;

  /** Once per cycle, before any {@link #score}, with the nodes that passed every filter. */
  default void preScore(
      CycleState state, PodInfo pod, List<NodeInfo> feasible, ClusterSnapshot snapshot) {}

  long score(CycleState state, PodInfo pod, NodeInfo node);

  /**
   * Maps raw scores ({@code scores[i]} belongs to {@code nodes.get(i)}) onto 0..{@link #MAX_SCORE}
   * in place. The default assumes {@link #score} already returns that range.
   */
  default void normalize(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {}

  /**
   * Kubernetes' DefaultNormalizeScore: scales scores so the highest becomes {@link #MAX_SCORE} (all
   * zero stays zero), and with {@code reverse} turns "more is worse" into "more is better".
   */
  static void defaultNormalize(long[] scores, boolean reverse) {
    long max = 0;
    for (long s : scores) {
      max = Math.max(max, s);
    }
    for (int i = 0; i < scores.length; i++) {
      long s = max == 0 ? 0 : scores[i] * MAX_SCORE / max;
      scores[i] = reverse ? MAX_SCORE - s : s;
    }
  }
}
