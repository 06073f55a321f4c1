package io.nauta.controllers.statefulset;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateStatefulSetStrategy;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.nauta.controllers.pods.PodConditions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * What one pass of upstream's {@code updateStatefulSet} does to the pods, decided from a snapshot:
 * create missing replicas (claims first) and replace failed ones, remove condemned pods (ordinals
 * outside the range) from the highest down, then replace pods of an old revision from the highest
 * ordinal down to the partition, at most {@code maxUnavailable} unavailable at a time. With
 * OrderedReady each step waits until every lower ordinal is running and ready (and available for
 * minReadySeconds) and does one thing per pass; Parallel does all of a step at once.
 */
final class StatefulSetPlan {

  /** A pod to create for {@code ordinal} from the revision {@code revision}. */
  record Create(int ordinal, String revision) {}

  /**
   * @param creates pods to create, in order
   * @param deletes pods to delete, in order
   * @param retryAfter when to look again though nothing changes (a pod becoming available)
   */
  record Actions(List<Create> creates, List<Pod> deletes, Optional<Duration> retryAfter) {
    boolean isEmpty() {
      return creates.isEmpty() && deletes.isEmpty();
    }
  }

  private StatefulSetPlan() {}

  static Actions plan(
      StatefulSet set, List<Pod> pods, String currentRevision, String updateRevision, Instant now) {
    int start = StatefulPods.startOrdinal(set);
    int replicaCount = StatefulPods.replicas(set);
    int end = start + replicaCount;
    int minReady = StatefulPods.minReadySeconds(set);
    boolean monotonic = !"Parallel".equals(set.getSpec().getPodManagementPolicy());
    Map<Integer, Pod> byOrdinal = new TreeMap<>();
    for (Pod p : pods) {
      OptionalInt ord = StatefulPods.ordinal(set, p);
      if (ord.isPresent()) {
        byOrdinal.merge(ord.getAsInt(), p, (a, b) -> a);
      }
    }
    Pod[] replicas = new Pod[replicaCount];
    List<Pod> condemned = new ArrayList<>(); // ascending by ordinal
    byOrdinal.forEach(
        (ord, pod) -> {
          if (ord >= start && ord < end) {
            replicas[ord - start] = pod;
          } else {
            condemned.add(pod);
          }
        });
    List<Create> creates = new ArrayList<>();
    List<Pod> deletes = new ArrayList<>();
    Duration[] retry = {null};

    // Upstream's first unhealthy pod: the only condemned one OrderedReady may remove while
    // unhealthy.
    Pod firstUnhealthy = null;
    for (Pod p : replicas) {
      if (p != null && !StatefulPods.isHealthy(p, minReady, now)) {
        firstUnhealthy = p;
        break;
      }
    }
    if (firstUnhealthy == null) {
      for (Pod p : condemned) {
        if (!StatefulPods.isHealthy(p, minReady, now)) {
          firstUnhealthy = p;
          break;
        }
      }
    }

    for (int i = 0; i < replicaCount; i++) {
      int ord = start + i;
      Pod pod = replicas[i];
      if (pod == null) {
        creates.add(new Create(ord, revisionFor(set, ord, currentRevision, updateRevision)));
        if (monotonic) {
          return done(creates, deletes, retry[0]);
        }
        continue;
      }
      if (StatefulPods.isFailedOrDone(pod) && !StatefulPods.isTerminating(pod)) {
        // replaced on a later pass, once the informer saw it go
        deletes.add(pod);
        if (monotonic) {
          return done(creates, deletes, retry[0]);
        }
        continue;
      }
      if (monotonic && !StatefulPods.isHealthy(pod, minReady, now)) {
        if (StatefulPods.isRunningAndReady(pod) && !StatefulPods.isTerminating(pod)) {
          PodConditions.untilAvailable(pod, minReady, now).ifPresent(d -> retry[0] = d);
        }
        return done(creates, deletes, retry[0]);
      }
    }
    if (!creates.isEmpty() || !deletes.isEmpty()) {
      return done(creates, deletes, retry[0]);
    }

    for (int i = condemned.size() - 1; i >= 0; i--) {
      Pod pod = condemned.get(i);
      if (StatefulPods.isTerminating(pod)) {
        if (monotonic) {
          return done(creates, deletes, retry[0]);
        }
        continue;
      }
      if (monotonic && !StatefulPods.isRunningAndReady(pod) && pod != firstUnhealthy) {
        return done(creates, deletes, retry[0]);
      }
      deletes.add(pod);
      if (monotonic) {
        return done(creates, deletes, retry[0]);
      }
    }
    if (!deletes.isEmpty()) {
      return done(creates, deletes, retry[0]);
    }

    if (!"RollingUpdate".equals(updateType(set))) {
      return done(creates, deletes, retry[0]); // OnDelete: pods change when a user deletes them
    }
    RollingUpdateStatefulSetStrategy rolling = set.getSpec().getUpdateStrategy().getRollingUpdate();
    int partition =
        rolling == null || rolling.getPartition() == null ? 0 : Math.max(0, rolling.getPartition());
    int maxUnavailable = maxUnavailable(rolling, replicaCount);
    int unavailable = 0;
    for (Pod pod : replicas) {
      if (!StatefulPods.isHealthy(pod, minReady, now)) {
        unavailable++;
        if (StatefulPods.isRunningAndReady(pod) && !StatefulPods.isTerminating(pod)) {
          Optional<Duration> d = PodConditions.untilAvailable(pod, minReady, now);
          if (d.isPresent() && (retry[0] == null || d.get().compareTo(retry[0]) < 0)) {
            retry[0] = d.get();
          }
        }
      }
    }
    int budget = maxUnavailable - unavailable;
    for (int i = replicaCount - 1; i >= partition && budget > 0; i--) {
      Pod pod = replicas[i];
      if (!updateRevision.equals(StatefulPods.revision(pod)) && !StatefulPods.isTerminating(pod)) {
        deletes.add(pod);
        budget--;
      }
    }
    return done(creates, deletes, retry[0]);
  }

  /**
   * Upstream's newVersionedStatefulSetPod: below the partition a pod is made from the current
   * revision, at and above it from the update revision.
   */
  static String revisionFor(StatefulSet set, int ordinal, String current, String update) {
    if ("RollingUpdate".equals(updateType(set))) {
      RollingUpdateStatefulSetStrategy rolling =
          set.getSpec().getUpdateStrategy().getRollingUpdate();
      int partition =
          rolling == null || rolling.getPartition() == null ? 0 : rolling.getPartition();
      if (ordinal < StatefulPods.startOrdinal(set) + partition) {
        return current;
      }
    }
    return update;
  }

  private static String updateType(StatefulSet set) {
    return set.getSpec().getUpdateStrategy() == null
            || set.getSpec().getUpdateStrategy().getType() == null
        ? "RollingUpdate"
        : set.getSpec().getUpdateStrategy().getType();
  }

  /**
   * Upstream's getStatefulSetMaxUnavailable: unset is 1 (MaxUnavailableStatefulSet's default), a
   * percentage of the replicas rounds down, and never less than 1.
   */
  static int maxUnavailable(RollingUpdateStatefulSetStrategy rolling, int replicas) {
    IntOrString v = rolling == null ? null : rolling.getMaxUnavailable();
    int n;
    if (v == null) {
      n = 1;
    } else if (v.getStrVal() != null && v.getStrVal().endsWith("%")) {
      int pct = Integer.parseInt(v.getStrVal().substring(0, v.getStrVal().length() - 1));
      n = (int) Math.floor(pct * (double) replicas / 100.0);
    } else {
      n = v.getIntVal() == null ? 1 : v.getIntVal();
    }
    return Math.max(1, n);
  }

  private static Actions done(List<Create> creates, List<Pod> deletes, Duration retry) {
    return new Actions(List.copyOf(creates), List.copyOf(deletes), Optional.ofNullable(retry));
  }
}
