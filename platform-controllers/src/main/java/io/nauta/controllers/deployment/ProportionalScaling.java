package io.nauta.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Spreading a change of a deployment's replica count over its active replica sets in proportion to
 * their sizes (Kubernetes' scale and GetProportion), so that resizing mid-rollout neither speeds
 * the rollout up nor lets more replicas of an unproven template become unavailable.
 */
final class ProportionalScaling {

  private ProportionalScaling() {}

  record Size(ReplicaSet rs, int size) {}

  /** The new size of every active replica set, in the order they are written, and the verb. */
  record Plan(List<Size> sizes, String operation) {}

  static Plan plan(Deployment d, List<ReplicaSet> active) {
    int replicas = Deployments.replicas(d);
    int allowed = replicas > 0 ? replicas + Fenceposts.maxSurge(d) : 0;
    int toAdd = allowed - ReplicaSets.specTotal(active);
    List<ReplicaSet> ordered;
    String operation;
    if (toAdd > 0) {
      // Larger first; of equal ones the newer grows first.
      ordered = ReplicaSets.sorted(active, ReplicaSets.BY_SIZE_NEWER);
      operation = "up";
    } else if (toAdd < 0) {
      // Larger first; of equal ones the older shrinks first.
      ordered = ReplicaSets.sorted(active, ReplicaSets.BY_SIZE_OLDER);
      operation = "down";
    } else {
      ordered = List.copyOf(active);
      operation = "";
    }
    int[] sizes = new int[ordered.size()];
    int added = 0;
    for (int i = 0; i < ordered.size(); i++) {
      ReplicaSet rs = ordered.get(i);
      int proportion = toAdd == 0 ? 0 : proportion(rs, d, toAdd, added);
      sizes[i] = ReplicaSets.replicas(rs) + proportion;
      added += proportion;
    }
    List<Size> out = new ArrayList<>();
    for (int i = 0; i < ordered.size(); i++) {
      if (i == 0 && toAdd != 0) {
        // Rounding leftovers go to the largest replica set.
        sizes[0] = Math.max(0, sizes[0] + toAdd - added);
      }
      out.add(new Size(ordered.get(i), sizes[i]));
    }
    return new Plan(out, operation);
  }

  /** How many replicas {@code rs} gains (or loses), never more than what is left to add. */
  static int proportion(ReplicaSet rs, Deployment d, int toAdd, int added) {
    if (rs == null || ReplicaSets.replicas(rs) == 0 || toAdd == 0 || toAdd == added) {
      return 0;
    }
    int fraction = fraction(rs, d);
    int allowed = toAdd - added;
    return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
  }

  /**
   * The replica set's share of the new size: its size scaled by new max replicas over the max
   * replicas it was last sized for (its {@code max-replicas} annotation).
   */
  private static int fraction(ReplicaSet rs, Deployment d) {
    int replicas = Deployments.replicas(d);
    int size = ReplicaSets.replicas(rs);
    if (replicas == 0) {
      return -size;
    }
    int maxNow = replicas + Fenceposts.maxSurge(d);
    Integer before = Revisions.intAnnotation(rs, Revisions.MAX_REPLICAS);
    if (before == null || before == 0) {
      before = d.getStatus() == null ? 0 : Deployments.orZero(d.getStatus().getReplicas());
      if (before == 0) {
        return 0;
      }
    }
    double scaled = (double) size * maxNow / before;
    return (int) Math.round(scaled) - size;
  }
}
