package io.nauta.controllers.deployment;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.nauta.core.workqueue.Result;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Recreate strategy (Kubernetes' recreate.go): scale every old replica set to zero, wait until
 * none of their pods is left running, and only then create (or grow) the new replica set, so old
 * and new pods never run side by side.
 */
final class RecreateRollout {

  private final DeploymentSync sync;
  private final RolloutProgress progress;

  RecreateRollout(DeploymentSync sync, RolloutProgress progress) {
    this.sync = sync;
    this.progress = progress;
  }

  Mono<Result> rollout(Rollout r) {
    return sync.getAllReplicaSetsAndSyncRevision(r, false)
        .flatMap(
            no ->
                Flux.fromIterable(ReplicaSets.active(no.oldRSs()))
                    .concatMap(rs -> sync.scaleAndRecordEvent(r, rs, 0))
                    .any(DeploymentSync.Scaled::scaled)
                    .flatMap(
                        scaledDown -> {
                          if (scaledDown
                              || oldPodsRunning(
                                  no.newRS(), r.current(no.oldRSs()), r.podsByReplicaSetUid)) {
                            return progress.syncRolloutStatus(
                                r, r.current(no.all()), r.current(no.newRS()));
                          }
                          Mono<DeploymentSync.NewAndOld> withNew =
                              no.newRS() != null
                                  ? Mono.just(no)
                                  : sync.getAllReplicaSetsAndSyncRevision(r, true);
                          return withNew.flatMap(n -> scaleUpNew(r, n));
                        }));
  }

  private Mono<Result> scaleUpNew(Rollout r, DeploymentSync.NewAndOld no) {
    ReplicaSet newRS = r.current(no.newRS());
    return sync.scaleAndRecordEvent(r, newRS, Deployments.replicas(r.d))
        .then(
            Mono.defer(
                () ->
                    Deployments.isComplete(r.d, Deployments.status(r.d))
                        ? sync.cleanup(r, r.current(no.oldRSs()))
                        : Mono.empty()))
        .then(
            Mono.defer(
                () -> progress.syncRolloutStatus(r, r.current(no.all()), r.current(no.newRS()))));
  }

  /**
   * True while an old replica set still reports pods, or a pod of one (any replica set but the new
   * one) has not finished: only Succeeded and Failed pods are done.
   */
  static boolean oldPodsRunning(
      ReplicaSet newRS, List<ReplicaSet> oldRSs, Map<String, List<Pod>> podsByReplicaSetUid) {
    if (ReplicaSets.actualTotal(oldRSs) > 0) {
      return true;
    }
    String newUid = newRS == null ? null : newRS.getMetadata().getUid();
    for (Map.Entry<String, List<Pod>> e : podsByReplicaSetUid.entrySet()) {
      if (e.getKey().equals(newUid)) {
        continue;
      }
      for (Pod pod : e.getValue()) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if (!"Failed".equals(phase) && !"Succeeded".equals(phase)) {
          return true;
        }
      }
    }
    return false;
  }
}
