package io.nauta.scheduler.plugins.nodeaffinity;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.nauta.core.selector.NodeSelectorMatcher;
import io.nauta.scheduler.framework.ClusterSnapshot;
import io.nauta.scheduler.framework.CycleState;
import io.nauta.scheduler.framework.FilterPlugin;
import io.nauta.scheduler.framework.NodeInfo;
import io.nauta.scheduler.framework.PodInfo;
import io.nauta.scheduler.framework.ScorePlugin;
import io.nauta.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keeps pods on nodes that match their {@code spec.nodeSelector} and required node affinity, and
 * prefers nodes matching more (by weight) of their preferred node affinity terms.
 */
public final class NodeAffinity implements FilterPlugin, ScorePlugin {

  public static final String NAME = "NodeAffinity";
  public static final String REASON = "node(s) didn't match Pod's node affinity/selector";

  @Override
  public String name() {
    return NAME;
  }

  /**
   * What the pod requires of a node: its node selector as parallel arrays, and {@code required}
   * null when it has no required node affinity.
   */
  private record PreFilterState(
      String[] selectorKeys, String[] selectorValues, NodeSelectorMatcher required) {}

  @Override
  public Status preFilter(CycleState state, PodInfo pod, ClusterSnapshot snapshot) {
    state.put(PreFilterState.class, preFilterState(pod));
    return Status.success();
  }

  private static PreFilterState preFilterState(PodInfo pod) {
    Map<String, String> selector =
        pod.pod().getSpec() == null ? null : pod.pod().getSpec().getNodeSelector();
    Affinity a = pod.affinity();
    NodeSelectorMatcher required = null;
    if (a != null
        && a.getNodeAffinity() != null
        && a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
      required =
          NodeSelectorMatcher.of(
              a.getNodeAffinity()
                  .getRequiredDuringSchedulingIgnoredDuringExecution()
                  .getNodeSelectorTerms());
    }
    Map<String, String> sel = selector == null ? Map.of() : selector;
    String[] keys = sel.keySet().toArray(String[]::new);
    String[] values = new String[keys.length];
    for (int i = 0; i < keys.length; i++) {
      values[i] = sel.get(keys[i]) == null ? "" : sel.get(keys[i]);
    }
    return new PreFilterState(keys, values, required);
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo nodeInfo) {
    Node node = nodeInfo.node();
    if (node == null) {
      return Status.error("node not found");
    }
    PreFilterState s = state.computeIfAbsent(PreFilterState.class, () -> preFilterState(pod));
    String[] keys = s.selectorKeys();
    if (keys.length > 0) {
      Map<String, String> labels = NodeSelectorMatcher.labels(node);
      for (int i = 0; i < keys.length; i++) {
        if (!s.selectorValues()[i].equals(labels.get(keys[i]))) {
          return Status.unschedulableAndUnresolvable(REASON);
        }
      }
    }
    if (s.required() != null && !s.required().matches(node)) {
      return Status.unschedulableAndUnresolvable(REASON);
    }
    return Status.success();
  }

  // --- score ---------------------------------------------------------------------------------

  private record PreScoreState(NodeSelectorMatcher.Term[] terms, int[] weights) {}

  @Override
  public void preScore(
      CycleState state, PodInfo pod, List<NodeInfo> feasible, ClusterSnapshot snapshot) {
    state.put(PreScoreState.class, preScoreState(pod));
  }

  private static PreScoreState preScoreState(PodInfo pod) {
    Affinity a = pod.affinity();
    List<PreferredSchedulingTerm> preferred =
        a == null || a.getNodeAffinity() == null
            ? null
            : a.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
    List<NodeSelectorMatcher.Term> terms = new ArrayList<>();
    List<Integer> weights = new ArrayList<>();
    if (preferred != null) {
      for (PreferredSchedulingTerm p : preferred) {
        int weight = p.getWeight() == null ? 0 : p.getWeight();
        NodeSelectorMatcher.Term term = NodeSelectorMatcher.compile(p.getPreference());
        if (weight != 0 && term != null) {
          terms.add(term);
          weights.add(weight);
        }
      }
    }
    return new PreScoreState(
        terms.toArray(NodeSelectorMatcher.Term[]::new),
        weights.stream().mapToInt(Integer::intValue).toArray());
  }

  /** The sum of the weights of the preferred terms the node matches. */
  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo nodeInfo) {
    Node node = nodeInfo.node();
    PreScoreState s = state.computeIfAbsent(PreScoreState.class, () -> preScoreState(pod));
    if (node == null || s.terms().length == 0) {
      return 0;
    }
    long score = 0;
    for (int i = 0; i < s.terms().length; i++) {
      if (s.terms()[i].matches(node)) {
        score += s.weights()[i];
      }
    }
    return score;
  }

  @Override
  public void normalize(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
    ScorePlugin.defaultNormalize(scores, false);
  }
}
