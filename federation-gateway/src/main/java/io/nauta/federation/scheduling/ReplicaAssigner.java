package io.nauta.federation.scheduling;

import io.nauta.federation.api.ClusterPreferences;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.api.Placement;
import io.nauta.federation.api.StaticClusterWeight;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Karmada's replica assignment ({@code core/assignment.go}, {@code division_algorithm.go}).
 *
 * <ul>
 *   <li>Duplicated: every selected cluster gets {@code spec.replicas}.
 *   <li>Static weights: each cluster weighs the highest {@code weight} among the {@code
 *       staticWeightList} entries whose {@code targetCluster} affinity it matches; clusters that
 *       weigh 0 get nothing, and when no cluster weighs anything all weigh 1. Replicas are dealt by
 *       {@link Webster}, which depends only on the weights, so the result is the same whenever the
 *       inputs are.
 *   <li>Dynamic weights ({@code AvailableReplicas}) and Aggregated work on top of the previous
 *       assignment (Karmada's Steady mode): a scale-up deals only the new replicas, weighted by
 *       each cluster's room (Aggregated: over the fewest clusters that hold them, those already
 *       used first); a scale-down takes replicas away in proportion to what each cluster has; a
 *       cluster that is no longer a candidate loses its replicas, which count as a scale-up
 *       elsewhere; nothing changed, nothing moves. {@code rescheduleTriggeredAt} later than {@code
 *       lastScheduledTime} asks for a fresh assignment (Karmada's Fresh mode).
 * </ul>
 *
 * Clusters that end with 0 replicas are left out of the result.
 */
final class ReplicaAssigner {

  static final String UNSCHEDULABLE = Karmada.BINDING_REASON_UNSCHEDULABLE;

  private ReplicaAssigner() {}

  /**
   * @param previous the binding's current {@code spec.clusters} (name to replicas)
   * @param fresh whether a rescheduling was asked for
   */
  static Map<String, Integer> assign(
      Placement placement,
      List<Candidate> selected,
      int replicas,
      Map<String, Integer> previous,
      String uid,
      boolean fresh) {
    Map<String, Integer> result =
        switch (Strategy.of(placement)) {
          case DUPLICATED -> duplicated(selected, replicas);
          case STATIC_WEIGHT -> staticWeight(placement, selected, replicas, uid);
          case DYNAMIC_WEIGHT, AGGREGATED ->
              dynamic(Strategy.of(placement), selected, replicas, previous, uid, fresh);
        };
    Map<String, Integer> nonZero = new TreeMap<>();
    result.forEach(
        (name, r) -> {
          if (r > 0) {
            nonZero.put(name, r);
          }
        });
    return nonZero;
  }

  private static Map<String, Integer> duplicated(List<Candidate> selected, int replicas) {
    Map<String, Integer> result = new TreeMap<>();
    selected.forEach(c -> result.put(c.name(), replicas));
    return result;
  }

  private static Map<String, Integer> staticWeight(
      Placement placement, List<Candidate> selected, int replicas, String uid) {
    ClusterPreferences preferences = placement.replicaScheduling().weightPreference();
    List<StaticClusterWeight> rules =
        preferences == null || preferences.staticWeightList() == null
            ? null
            : preferences.staticWeightList();
    Map<String, Long> weights = new LinkedHashMap<>();
    for (Candidate c : selected) {
      long weight = rules == null ? 1 : 0;
      if (rules != null) {
        for (StaticClusterWeight rule : rules) {
          if (ClusterAffinityMatcher.matches(c.cluster(), rule.targetCluster())) {
            weight = Math.max(weight, number(rule.weight()));
          }
        }
      }
      if (weight > 0) {
        weights.put(c.name(), weight);
      }
    }
    if (weights.isEmpty()) {
      selected.forEach(c -> weights.put(c.name(), 1L));
    }
    return Webster.allocate(replicas, weights, Map.of(), uid);
  }

  private static Map<String, Integer> dynamic(
      Strategy strategy,
      List<Candidate> selected,
      int replicas,
      Map<String, Integer> previous,
      String uid,
      boolean fresh) {
    // Only what the binding has on clusters still selected counts as assigned.
    Map<String, Integer> scheduled = new LinkedHashMap<>();
    for (Candidate c : selected) {
      Integer r = previous.get(c.name());
      if (r != null) {
        scheduled.put(c.name(), r);
      }
    }
    int assigned = scheduled.values().stream().mapToInt(Integer::intValue).sum();
    List<Map.Entry<String, Long>> available = new ArrayList<>();
    int target;
    if (fresh) {
      target = replicas;
      for (Candidate c : selected) {
        available.add(
            Map.entry(
                c.name(), c.allocatableReplicas() + (long) scheduled.getOrDefault(c.name(), 0)));
      }
      scheduled = Map.of();
    } else if (assigned > replicas) {
      // Scale down in proportion to what each cluster has.
      target = replicas;
      scheduled.forEach((name, r) -> available.add(Map.entry(name, (long) r)));
      scheduled = Map.of();
    } else if (assigned < replicas) {
      target = replicas - assigned;
      for (Candidate c : selected) {
        available.add(Map.entry(c.name(), (long) c.allocatableReplicas()));
      }
    } else {
      return scheduled;
    }
    available.sort(
        Comparator.comparing(Map.Entry<String, Long>::getValue)
            .reversed()
            .thenComparing(Map.Entry::getKey));
    return divide(strategy, target, available, scheduled, uid);
  }

  private static Map<String, Integer> divide(
      Strategy strategy,
      int target,
      List<Map.Entry<String, Long>> available,
      Map<String, Integer> scheduled,
      String uid) {
    long total = available.stream().mapToLong(Map.Entry::getValue).sum();
    if (total < target) {
      throw new Unfit(
          UNSCHEDULABLE, "Clusters available replicas " + total + " are not enough to schedule.");
    }
    List<Map.Entry<String, Long>> weights = available;
    if (strategy == Strategy.AGGREGATED) {
      // Clusters already used come first, then the fewest that hold the target.
      List<Map.Entry<String, Long>> ordered = new ArrayList<>();
      available.stream()
          .filter(e -> scheduled.getOrDefault(e.getKey(), 0) > 0)
          .forEach(ordered::add);
      available.stream()
          .filter(e -> scheduled.getOrDefault(e.getKey(), 0) <= 0)
          .forEach(ordered::add);
      long sum = 0;
      weights = new ArrayList<>();
      for (Map.Entry<String, Long> e : ordered) {
        weights.add(e);
        sum += e.getValue();
        if (sum >= target) {
          break;
        }
      }
    }
    Map<String, Long> votes = new LinkedHashMap<>();
    weights.forEach(e -> votes.put(e.getKey(), e.getValue()));
    Map<String, Integer> added = Webster.allocate(target, votes, Map.of(), uid);
    Map<String, Integer> merged = new HashMap<>(scheduled);
    added.forEach((name, r) -> merged.merge(name, r, Integer::sum));
    return merged;
  }

  private static long number(Number n) {
    return n == null ? 0 : n.longValue();
  }
}
