package io.nauta.scheduler.plugins.spreading;

import io.nauta.scheduler.framework.CycleState;
import io.nauta.scheduler.framework.NodeInfo;
import io.nauta.scheduler.framework.PodInfo;
import io.nauta.scheduler.framework.ScorePlugin;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Spreads the replicas of one owner over nodes and zones: Nauta's version of Kubernetes' former
 * SelectorSpread, which selects the siblings by their controller owner ({@code controller: true}
 * owner reference, same namespace) instead of by the selectors of services and replica sets.
 *
 * <p>A node scores {@code 100 * (max - count) / max} over the feasible nodes; when nodes carry zone
 * labels, the zone's score is worked out the same way over zone totals and weighs two thirds. A pod
 * without a controller gets 100 everywhere, so it is not steered. Pods being deleted do not count.
 */
public final class SelectorSpread implements ScorePlugin {

  public static final String NAME = "SelectorSpread";

  static final String ZONE = "topology.kubernetes.io/zone";
  static final String REGION = "topology.kubernetes.io/region";
  static final String BETA_ZONE = "failure-domain.beta.kubernetes.io/zone";
  static final String BETA_REGION = "failure-domain.beta.kubernetes.io/region";

  /** Kubernetes' zoneWeighting: spreading across zones matters more than across nodes. */
  static final double ZONE_WEIGHTING = 2.0 / 3.0;

  @Override
  public String name() {
    return NAME;
  }

  /**
   * The number of the pod's live siblings on the node (normalized later): read from the node's
   * per-owner count, which the scheduler cache keeps as pods come and go, so a cycle costs O(1) per
   * feasible node however many pods run there.
   */
  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    PodInfo.Owner owner = pod.owner();
    return owner == null ? 0 : node.liveReplicasOf(owner);
  }

  @Override
  public void normalize(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
    if (pod.owner() == null) {
      Arrays.fill(scores, MAX_SCORE);
      return;
    }
    long maxByNode = 0;
    Map<String, Long> countsByZone = new HashMap<>();
    String[] zones = new String[scores.length];
    for (int i = 0; i < scores.length; i++) {
      maxByNode = Math.max(maxByNode, scores[i]);
      zones[i] = zoneKey(nodes.get(i).labels());
      if (zones[i] != null) {
        countsByZone.merge(zones[i], scores[i], Long::sum);
      }
    }
    long maxByZone = 0;
    for (long c : countsByZone.values()) {
      maxByZone = Math.max(maxByZone, c);
    }
    for (int i = 0; i < scores.length; i++) {
      double score = MAX_SCORE;
      if (maxByNode > 0) {
        score = MAX_SCORE * ((double) (maxByNode - scores[i]) / maxByNode);
      }
      if (zones[i] != null) {
        double zoneScore = MAX_SCORE;
        if (maxByZone > 0) {
          zoneScore = MAX_SCORE * ((double) (maxByZone - countsByZone.get(zones[i])) / maxByZone);
        }
        score = score * (1.0 - ZONE_WEIGHTING) + ZONE_WEIGHTING * zoneScore;
      }
      scores[i] = (long) score;
    }
  }

  /**
   * Kubernetes' zone key: region and zone (the GA labels, else the beta ones), or null when the
   * node has neither.
   */
  static String zoneKey(Map<String, String> labels) {
    String zone = labels.getOrDefault(ZONE, labels.get(BETA_ZONE));
    String region = labels.getOrDefault(REGION, labels.get(BETA_REGION));
    if ((zone == null || zone.isEmpty()) && (region == null || region.isEmpty())) {
      return null;
    }
    return (region == null ? "" : region) + ":\0:" + (zone == null ? "" : zone);
  }
}
