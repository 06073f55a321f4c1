package io.nauta.scheduler.plugins.interpodaffinity;

import io.nauta.scheduler.framework.AffinityTerm;
import io.nauta.scheduler.framework.ClusterSnapshot;
import io.nauta.scheduler.framework.CycleState;
import io.nauta.scheduler.framework.FilterPlugin;
import io.nauta.scheduler.framework.NodeInfo;
import io.nauta.scheduler.framework.PodInfo;
import io.nauta.scheduler.framework.ScorePlugin;
import io.nauta.scheduler.framework.Status;
import io.nauta.scheduler.framework.WeightedAffinityTerm;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Pod affinity and anti-affinity. The filter enforces the incoming pod's required affinity and
 * anti-affinity terms and the required anti-affinity terms of pods already placed; the score adds
 * up preferred terms both ways (and existing pods' required affinity terms, at weight 1) per
 * topology domain.
 *
 * <p>Everything that depends on other pods is counted once per cycle, in {@link #preFilter} and
 * {@link #preScore}, per topology pair; per node the filter and score only look up the node's
 * labels. Namespace selectors are not matched against namespace labels (see {@link AffinityTerm}).
 */
public final class InterPodAffinity implements FilterPlugin, ScorePlugin {

  public static final String NAME = "InterPodAffinity";
  public static final String REASON_AFFINITY = "node(s) didn't match pod affinity rules";
  public static final String REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
  public static final String REASON_EXISTING_ANTI_AFFINITY =
      "node(s) didn't satisfy existing pods anti-affinity rules";

  /** Kubernetes' default {@code hardPodAffinityWeight}. */
  static final int HARD_POD_AFFINITY_WEIGHT = 1;

  @Override
  public String name() {
    return NAME;
  }

  // --- filter --------------------------------------------------------------------------------

  /**
   * Per topology pair: how many pods match all of the incoming pod's affinity terms, how many match
   * each of its anti-affinity terms, and how many existing pods' anti-affinity terms the incoming
   * pod matches.
   */
  private record PreFilterState(
      boolean skip,
      List<AffinityTerm> affinityTerms,
      List<AffinityTerm> antiAffinityTerms,
      TopologyCounts affinityCounts,
      TopologyCounts antiAffinityCounts,
      TopologyCounts existingAntiAffinityCounts,
      boolean podMatchesOwnAffinityTerms) {}

  @Override
  public Status preFilter(CycleState state, PodInfo pod, ClusterSnapshot snapshot) {
    if (pod.affinityError() != null) {
      return Status.error("invalid pod affinity: " + pod.affinityError());
    }
    List<AffinityTerm> affinity = pod.requiredAffinityTerms();
    List<AffinityTerm> anti = pod.requiredAntiAffinityTerms();

    TopologyCounts existing = new TopologyCounts();
    for (NodeInfo node : snapshot.nodesWithRequiredAntiAffinityPods()) {
      if (node.node() == null) {
        continue;
      }
      Map<String, String> labels = node.labels();
      for (PodInfo other : node.requiredAntiAffinityPods()) {
        for (AffinityTerm term : other.requiredAntiAffinityTerms()) {
          if (term.matches(pod)) {
            existing.add(labels, term.topologyKey(), 1);
          }
        }
      }
    }

    TopologyCounts affinityCounts = new TopologyCounts();
    TopologyCounts antiCounts = new TopologyCounts();
    if (!affinity.isEmpty() || !anti.isEmpty()) {
      for (NodeInfo node : snapshot.nodes()) {
        if (node.node() == null) {
          continue;
        }
        Map<String, String> labels = node.labels();
        for (PodInfo other : node.pods()) {
          if (!affinity.isEmpty() && matchesAll(affinity, other)) {
            for (AffinityTerm term : affinity) {
              affinityCounts.add(labels, term.topologyKey(), 1);
            }
          }
          for (AffinityTerm term : anti) {
            if (term.matches(other)) {
              antiCounts.add(labels, term.topologyKey(), 1);
            }
          }
        }
      }
    }

    boolean skip = existing.isEmpty() && affinity.isEmpty() && anti.isEmpty();
    state.put(
        PreFilterState.class,
        new PreFilterState(
            skip, affinity, anti, affinityCounts, antiCounts, existing, matchesAll(affinity, pod)));
    return Status.success();
  }

  private static boolean matchesAll(List<AffinityTerm> terms, PodInfo pod) {
    if (terms.isEmpty()) {
      return false;
    }
    for (int i = 0, n = terms.size(); i < n; i++) {
      if (!terms.get(i).matches(pod)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    PreFilterState s = state.get(PreFilterState.class);
    if (s == null) {
      return Status.error(NAME + ": filter ran without preFilter");
    }
    if (s.skip()) {
      return Status.success();
    }
    if (node.node() == null) {
      return Status.error("node not found");
    }
    Map<String, String> labels = node.labels();
    if (!satisfiesAffinity(s, labels)) {
      return Status.unschedulableAndUnresolvable(REASON_AFFINITY);
    }
    if (!s.antiAffinityCounts().isEmpty()) {
      List<AffinityTerm> anti = s.antiAffinityTerms();
      for (int i = 0, n = anti.size(); i < n; i++) {
        String key = anti.get(i).topologyKey();
        String value = labels.get(key);
        if (value != null && s.antiAffinityCounts().get(key, value) > 0) {
          return Status.unschedulable(REASON_ANTI_AFFINITY);
        }
      }
    }
    if (!s.existingAntiAffinityCounts().isEmpty()
        && s.existingAntiAffinityCounts().anyPositiveFor(labels)) {
      return Status.unschedulable(REASON_EXISTING_ANTI_AFFINITY);
    }
    return Status.success();
  }

  private static boolean satisfiesAffinity(PreFilterState s, Map<String, String> labels) {
    List<AffinityTerm> terms = s.affinityTerms();
    boolean podsExist = true;
    for (int i = 0, n = terms.size(); i < n; i++) {
      String key = terms.get(i).topologyKey();
      String value = labels.get(key);
      if (value == null) {
        // Every topology label must exist on the node.
        return false;
      }
      if (s.affinityCounts().get(key, value) <= 0) {
        podsExist = false;
      }
    }
    if (podsExist) {
      return true;
    }
    // The first pod of a group with affinity to itself: no pod anywhere matches the terms yet, but
    // the pod matches them itself, so it may start the group on any node with the topology labels.
    return s.affinityCounts().isEmpty() && s.podMatchesOwnAffinityTerms();
  }

  // --- score ---------------------------------------------------------------------------------

  private record PreScoreState(TopologyCounts topologyScore) {}

  private static final PreScoreState NOTHING_TO_SCORE = new PreScoreState(null);

  @Override
  public void preScore(
      CycleState state, PodInfo pod, List<NodeInfo> feasible, ClusterSnapshot snapshot) {
    state.put(PreScoreState.class, preScoreState(pod, snapshot));
  }

  private static PreScoreState preScoreState(PodInfo pod, ClusterSnapshot snapshot) {
    if (pod.affinityError() != null) {
      return NOTHING_TO_SCORE;
    }
    List<WeightedAffinityTerm> preferred = pod.preferredAffinityTerms();
    List<WeightedAffinityTerm> preferredAnti = pod.preferredAntiAffinityTerms();
    boolean hasConstraints = !preferred.isEmpty() || !preferredAnti.isEmpty();
    // Unless the pod has preferences of its own, only pods with affinity terms can score.
    List<NodeInfo> nodes = hasConstraints ? snapshot.nodes() : snapshot.nodesWithAffinityPods();
    TopologyCounts scores = new TopologyCounts();
    boolean any = false;
    for (NodeInfo node : nodes) {
      if (node.node() == null || node.labels().isEmpty()) {
        continue;
      }
      Map<String, String> labels = node.labels();
      Collection<PodInfo> pods = hasConstraints ? node.pods() : node.affinityPods();
      for (PodInfo other : pods) {
        any |= addWeighted(scores, preferred, other, labels, 1);
        any |= addWeighted(scores, preferredAnti, other, labels, -1);
        for (AffinityTerm term : other.requiredAffinityTerms()) {
          if (term.matches(pod) && labels.containsKey(term.topologyKey())) {
            scores.add(labels, term.topologyKey(), HARD_POD_AFFINITY_WEIGHT);
            any = true;
          }
        }
        any |= addWeighted(scores, other.preferredAffinityTerms(), pod, labels, 1);
        any |= addWeighted(scores, other.preferredAntiAffinityTerms(), pod, labels, -1);
      }
    }
    return any ? new PreScoreState(scores) : NOTHING_TO_SCORE;
  }

  /**
   * Adds each term's weight times {@code sign} to the node's domain when {@code target} matches.
   */
  private static boolean addWeighted(
      TopologyCounts scores,
      List<WeightedAffinityTerm> terms,
      PodInfo target,
      Map<String, String> nodeLabels,
      int sign) {
    boolean added = false;
    for (int i = 0, n = terms.size(); i < n; i++) {
      WeightedAffinityTerm t = terms.get(i);
      String key = t.term().topologyKey();
      if (nodeLabels.containsKey(key) && t.term().matches(target)) {
        scores.add(nodeLabels, key, (long) t.weight() * sign);
        added = true;
      }
    }
    return added;
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    PreScoreState s = state.get(PreScoreState.class);
    if (s == null || s.topologyScore() == null || node.node() == null) {
      return 0;
    }
    return s.topologyScore().sumFor(node.labels());
  }

  /** Min-max scaling onto 0..100; all equal scores become 0. */
  @Override
  public void normalize(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
    PreScoreState s = state.get(PreScoreState.class);
    if (s == null || s.topologyScore() == null || scores.length == 0) {
      return;
    }
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (long score : scores) {
      min = Math.min(min, score);
      max = Math.max(max, score);
    }
    long diff = max - min;
    for (int i = 0; i < scores.length; i++) {
      scores[i] = diff > 0 ? (long) (MAX_SCORE * ((double) (scores[i] - min) / diff)) : 0;
    }
  }
}
