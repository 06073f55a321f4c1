package io.nauta.controllers.replicaset;

import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.controllers.pods.PodConditions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which pods a replica set gives up first when it scales down: Kubernetes' {@code
 * ActivePodsWithRanks}, least valuable first. A pod sorts earlier when it is
 *
 * <ol>
 *   <li>not yet assigned to a node,
 *   <li>Pending rather than Unknown rather than Running,
 *   <li>not ready,
 *   <li>of lower {@code controller.kubernetes.io/pod-deletion-cost},
 *   <li>doubled up with more pods of the replica set on its node,
 *   <li>ready for less time (since its Ready condition last turned true),
 *   <li>restarted more often,
 *   <li>newer.
 * </ol>
 */
final class PodRanking {

  static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";

  private PodRanking() {}

  /** The {@code count} least valuable of {@code pods}. */
  static List<Pod> podsToDelete(List<Pod> pods, int count) {
    if (count >= pods.size()) {
      return List.copyOf(pods);
    }
    List<Pod> sorted = new ArrayList<>(pods);
    sorted.sort(comparator(pods));
    return List.copyOf(sorted.subList(0, count));
  }

  /** Least valuable first, with the same-node rank taken among {@code related}. */
  static Comparator<Pod> comparator(List<Pod> related) {
    Map<String, Integer> onNode = new HashMap<>();
    for (Pod p : related) {
      String node = node(p);
      if (node != null) {
        onNode.merge(node, 1, Integer::sum);
      }
    }
    Comparator<Pod> byAssigned = Comparator.comparing(p -> node(p) != null);
    Comparator<Pod> byPhase = Comparator.comparingInt(PodRanking::phaseRank);
    Comparator<Pod> byReady = Comparator.comparing(PodConditions::isReady);
    Comparator<Pod> byCost = Comparator.comparingInt(PodRanking::deletionCost);
    // More pods on the same node: less valuable, so a higher count sorts first.
    Comparator<Pod> byDoubledUp =
        Comparator.comparingInt(p -> -(node(p) == null ? 0 : onNode.getOrDefault(node(p), 0)));
    Comparator<Pod> byReadyTime =
        (a, b) -> {
          if (!PodConditions.isReady(a) || !PodConditions.isReady(b)) {
            return 0;
          }
          return compareTimes(PodConditions.readySince(a), PodConditions.readySince(b));
        };
    Comparator<Pod> byRestarts = Comparator.comparingInt(PodConditions::restarts).reversed();
    Comparator<Pod> byAge =
        (a, b) ->
            compareTimes(
                PodConditions.parse(a.getMetadata().getCreationTimestamp()),
                PodConditions.parse(b.getMetadata().getCreationTimestamp()));
    return byAssigned
        .thenComparing(byPhase)
        .thenComparing(byReady)
        .thenComparing(byCost)
        .thenComparing(byDoubledUp)
        .thenComparing(byReadyTime)
        .thenComparing(byRestarts)
        .thenComparing(byAge);
  }

  /**
   * Later (more recent) times first: ready for less time, or newer, means less valuable. An unknown
   * time sorts before any known one, as upstream.
   */
  private static int compareTimes(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return Boolean.compare(a.isPresent(), b.isPresent());
    }
    return b.get().compareTo(a.get());
  }

  private static int phaseRank(Pod pod) {
    String phase = PodConditions.phase(pod);
    if (phase == null || "Pending".equals(phase)) {
      return 0;
    }
    return "Unknown".equals(phase) ? 1 : 2;
  }

  private static int deletionCost(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String v = annotations == null ? null : annotations.get(DELETION_COST);
    if (v == null) {
      return 0;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String node(Pod pod) {
    String n = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    return n == null || n.isEmpty() ? null : n;
  }
}
