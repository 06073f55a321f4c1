package io.nauta.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.nauta.core.workqueue.Result;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The RollingUpdate strategy (Kubernetes' rolling.go): grow the new replica set while the total
 * stays within replicas + maxSurge, shrink old ones while at least replicas - maxUnavailable stay
 * available, one step per sync; each replica set update brings the next sync.
 */
final class RollingRollout {

  private final DeploymentSync sync;
  private final RolloutProgress progress;

  RollingRollout(DeploymentSync sync, RolloutProgress progress) {
    this.sync = sync;
    this.progress = progress;
  }

  Mono<Result> rollout(Rollout r) {
    return sync.getAllReplicaSetsAndSyncRevision(r, true)
        .flatMap(
            no ->
                reconcileNewReplicaSet(r, no.all(), no.newRS())
                    .flatMap(
                        scaledUp -> {
                          if (scaledUp) {
                            return status(r, no);
                          }
                          List<ReplicaSet> all = r.current(no.all());
                          ReplicaSet newRS = r.current(no.newRS());
                          List<ReplicaSet> old = r.current(no.oldRSs());
                          return reconcileOldReplicaSets(r, all, ReplicaSets.active(old), newRS)
                              .flatMap(
                                  scaledDown -> {
                                    if (scaledDown) {
                                      return status(r, no);
                                    }
                                    Mono<Void> cleanup =
                                        Deployments.isComplete(r.d, Deployments.status(r.d))
                                            ? sync.cleanup(r, old)
                                            : Mono.empty();
                                    return cleanup.then(Mono.defer(() -> status(r, no)));
                                  });
                        }));
  }

  private Mono<Result> status(Rollout r, DeploymentSync.NewAndOld no) {
    return progress.syncRolloutStatus(r, r.current(no.all()), r.current(no.newRS()));
  }

  private Mono<Boolean> reconcileNewReplicaSet(Rollout r, List<ReplicaSet> all, ReplicaSet newRS) {
    int replicas = Deployments.replicas(r.d);
    int current = ReplicaSets.replicas(newRS);
    if (current == replicas) {
      return Mono.just(false);
    }
    int target = current > replicas ? replicas : newReplicas(r.d, all, newRS);
    return sync.scaleAndRecordEvent(r, newRS, target).map(DeploymentSync.Scaled::scaled);
  }

  private Mono<Boolean> reconcileOldReplicaSets(
      Rollout r, List<ReplicaSet> all, List<ReplicaSet> activeOld, ReplicaSet newRS) {
    return Flux.fromIterable(oldScaleDown(r.d, all, activeOld, newRS).entrySet())
        .concatMap(e -> sync.scaleAndRecordEvent(r, e.getKey(), e.getValue()))
        .any(DeploymentSync.Scaled::scaled);
  }

  /**
   * Kubernetes' NewRSNewReplicas: the new replica set's next size. Rolling: grow by what maxSurge
   * leaves room for, at most up to the desired count. Recreate: the desired count.
   *
   * <p>One deliberate difference: an old replica set counts with the pods it still runs when those
   * are more than it is asked for (it was just scaled down and its pods are still going), so the
   * surge bound holds for the pods that exist, not only for the replica sets' specs.
   */
  static int newReplicas(Deployment d, List<ReplicaSet> all, ReplicaSet newRS) {
    int replicas = Deployments.replicas(d);
    if (!Deployments.isRollingUpdate(d)) {
      return replicas;
    }
    int maxSurge = Fenceposts.maxSurge(d);
    int current = 0;
    for (ReplicaSet rs : all) {
      if (rs == null) {
        continue;
      }
      boolean isNew =
          rs == newRS || rs.getMetadata().getName().equals(newRS.getMetadata().getName());
      current +=
          isNew
              ? ReplicaSets.replicas(rs)
              : Math.max(ReplicaSets.replicas(rs), ReplicaSets.statusReplicas(rs));
    }
    int maxTotal = replicas + maxSurge;
    int size = ReplicaSets.replicas(newRS);
    if (current >= maxTotal) {
      return size;
    }
    int scaleUp = Math.min(maxTotal - current, replicas - size);
    return size + scaleUp;
  }

  /**
   * How far old replica sets shrink in this step, oldest first (Kubernetes'
   * reconcileOldReplicaSets): first replicas that are not available anyway (they cost no
   * availability), then available ones down to replicas - maxUnavailable available in total, never
   * counting the new replica set's unavailable pods as headroom.
   */
  static Map<ReplicaSet, Integer> oldScaleDown(
      Deployment d, List<ReplicaSet> all, List<ReplicaSet> activeOld, ReplicaSet newRS) {
    Map<ReplicaSet, Integer> out = new LinkedHashMap<>();
    if (ReplicaSets.specTotal(activeOld) == 0) {
      return out;
    }
    int replicas = Deployments.replicas(d);
    int minAvailable = replicas - Fenceposts.maxUnavailable(d);
    int newUnavailable =
        newRS == null ? 0 : ReplicaSets.replicas(newRS) - ReplicaSets.availableReplicas(newRS);
    int maxScaledDown = ReplicaSets.specTotal(all) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) {
      return out;
    }
    List<ReplicaSet> oldest = ReplicaSets.sorted(activeOld, ReplicaSets.BY_CREATION);
    Map<ReplicaSet, Integer> size = new LinkedHashMap<>();
    oldest.forEach(rs -> size.put(rs, ReplicaSets.replicas(rs)));

    int cleaned = 0;
    for (ReplicaSet rs : oldest) {
      if (cleaned >= maxScaledDown) {
        break;
      }
      int s = size.get(rs);
      int available = ReplicaSets.availableReplicas(rs);
      if (s == 0 || s == available) {
        continue;
      }
      int down = Math.min(maxScaledDown - cleaned, s - available);
      size.put(rs, s - down);
      cleaned += down;
    }

    int availableNow = ReplicaSets.availableTotal(all);
    if (availableNow > minAvailable) {
      int toScaleDown = availableNow - minAvailable;
      int scaledDown = 0;
      for (ReplicaSet rs : oldest) {
        if (scaledDown >= toScaleDown) {
          break;
        }
        int s = size.get(rs);
        if (s == 0) {
          continue;
        }
        int down = Math.min(s, toScaleDown - scaledDown);
        size.put(rs, s - down);
        scaledDown += down;
      }
    }
    List<ReplicaSet> changed = new ArrayList<>();
    for (ReplicaSet rs : oldest) {
      if (size.get(rs) != ReplicaSets.replicas(rs)) {
        changed.add(rs);
      }
    }
    changed.forEach(rs -> out.put(rs, size.get(rs)));
    return out;
  }
}
