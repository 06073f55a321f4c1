package io.nauta.controllers.daemonset;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDaemonSet;
import io.nauta.controllers.pods.PodConditions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Upstream's {@code rollingUpdate} for DaemonSets: which old pods to delete and which nodes get a
 * new pod now, so that at most {@code maxUnavailable} nodes lack an available pod (or, with {@code
 * maxSurge}, at most that many nodes run a second, new pod until it is available).
 */
final class RollingUpdate {

  /** Pods to delete and nodes to create a pod on. */
  record Plan(List<Pod> delete, List<String> create) {}

  /**
   * Running before not running, then the oldest first (upstream's podByCreationTimestampAndPhase).
   */
  static final Comparator<Pod> OLDEST_RUNNING_FIRST =
      Comparator.comparing((Pod p) -> !"Running".equals(PodConditions.phase(p)))
          .thenComparing(
              p -> p.getMetadata().getCreationTimestamp(),
              Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(p -> p.getMetadata().getName());

  private RollingUpdate() {}

  static boolean applies(DaemonSet ds) {
    return ds.getSpec().getUpdateStrategy() != null
        && "RollingUpdate".equals(ds.getSpec().getUpdateStrategy().getType());
  }

  private static RollingUpdateDaemonSet rolling(DaemonSet ds) {
    return ds.getSpec().getUpdateStrategy() == null
        ? null
        : ds.getSpec().getUpdateStrategy().getRollingUpdate();
  }

  /** {@code maxSurge} scaled to {@code desired} nodes, rounding up; 0 unless rolling. */
  static int maxSurge(DaemonSet ds, int desired) {
    RollingUpdateDaemonSet r = rolling(ds);
    if (!applies(ds) || r == null) {
      return 0;
    }
    return scaled(r.getMaxSurge(), desired);
  }

  /**
   * {@code maxUnavailable} scaled to {@code desired} nodes, rounding up; at least 1 without surge.
   */
  static int maxUnavailable(DaemonSet ds, int desired) {
    RollingUpdateDaemonSet r = rolling(ds);
    int unavailable = r == null ? 1 : scaled(r.getMaxUnavailable(), desired);
    if (unavailable == 0 && maxSurge(ds, desired) == 0) {
      unavailable = 1;
    }
    return unavailable;
  }

  private static int scaled(IntOrString v, int total) {
    if (v == null) {
      return 0;
    }
    if (v.getStrVal() != null) {
      String s = v.getStrVal();
      int percent = Integer.parseInt(s.substring(0, s.length() - 1));
      return (int) Math.ceil(percent * (double) total / 100.0);
    }
    return v.getIntVal() == null ? 0 : v.getIntVal();
  }

  /** The new and the old pod on a node; null result when there are two of either kind. */
  private record OnNode(Pod updated, Pod old) {}

  private static OnNode onNode(List<Pod> pods, String hash) {
    Pod updated = null;
    Pod old = null;
    for (Pod pod : pods) {
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      if (DaemonPods.isUpdated(pod, hash)) {
        if (updated != null) {
          return null;
        }
        updated = pod;
      } else {
        if (old != null) {
          return null;
        }
        old = pod;
      }
    }
    return new OnNode(updated, old);
  }

  static Plan plan(
      DaemonSet ds, List<Node> nodes, Map<String, List<Pod>> byNode, String hash, Instant now) {
    int desired = 0;
    // Upstream's updatedDesiredNodeCounts: a node that should run a pod but has none (its old pod
    // just gone, the new one not yet made) is in the walk too, and counts as unavailable; leaving
    // it out let a second node's old pod go while the first had nothing.
    TreeSet<String> names = new TreeSet<>();
    for (Node n : nodes) {
      if (NodeEligibility.of(n, ds).shouldRun()) {
        desired++;
        names.add(n.getMetadata().getName());
      }
    }
    byNode.keySet().stream().filter(k -> k != null).forEach(names::add);
    int minReady =
        ds.getSpec().getMinReadySeconds() == null ? 0 : ds.getSpec().getMinReadySeconds();
    int maxSurge = maxSurge(ds, desired);
    int maxUnavailable = maxUnavailable(ds, desired);
    if (maxSurge == 0) {
      int unavailable = 0;
      List<Pod> replace = new ArrayList<>();
      List<Pod> candidates = new ArrayList<>();
      for (String node : names) {
        OnNode on = onNode(byNode.getOrDefault(node, List.of()), hash);
        if (on == null) {
          unavailable++; // the manage pass cleans this node up first
          continue;
        }
        if ((on.old() == null) == (on.updated() == null)) {
          unavailable++; // nothing there yet, or both: manage's business
        } else if (on.updated() != null) {
          if (!PodConditions.isAvailable(on.updated(), minReady, now)) {
            unavailable++;
          }
        } else if (!PodConditions.isAvailable(on.old(), minReady, now)) {
          replace.add(on.old()); // an old pod that is down anyway may go at once
        } else if (unavailable < maxUnavailable) {
          candidates.add(on.old());
        }
      }
      int remaining = Math.max(0, Math.min(maxUnavailable - unavailable, candidates.size()));
      replace.addAll(candidates.subList(0, remaining));
      return new Plan(replace, List.of());
    }
    // Surge: a new pod beside each old one, at most maxSurge at a time; the old one goes once the
    // new one is available.
    int surging = 0;
    List<Pod> delete = new ArrayList<>();
    List<String> allowed = new ArrayList<>();
    List<String> candidates = new ArrayList<>();
    for (String node : names) {
      OnNode on = onNode(byNode.getOrDefault(node, List.of()), hash);
      if (on == null) {
        surging++;
        continue;
      }
      if (on.old() == null) {
        continue;
      }
      if (on.updated() == null) {
        if (!PodConditions.isAvailable(on.old(), minReady, now)) {
          allowed.add(node);
        } else if (surging < maxSurge) {
          candidates.add(node);
        }
      } else if (!PodConditions.isAvailable(on.updated(), minReady, now)) {
        surging++;
      } else {
        delete.add(on.old());
      }
    }
    int remaining = Math.max(0, Math.min(maxSurge - surging, candidates.size()));
    List<String> create = new ArrayList<>(allowed);
    create.addAll(candidates.subList(0, remaining));
    return new Plan(delete, create);
  }
}
