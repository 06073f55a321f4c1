package io.nauta.controllers.deployment;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.nauta.core.selector.LabelSelector;
import io.nauta.core.workqueue.Result;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * One sync of one deployment (Kubernetes' syncDeployment): claim its replica sets, then in order of
 * precedence: status only while it is being deleted; paused (scale only); rollback; a scaling event
 * (proportional scaling); else a rollout step of its strategy.
 */
final class DeploymentReconciler {

  static final String EVENT_SELECTING_ALL = "SelectingAll";

  private final DeploymentSync sync;
  private final ReplicaSetClaims claims;
  private final RollingRollout rolling;
  private final RecreateRollout recreate;
  private final RollbackRollout rollback;

  DeploymentReconciler(DeploymentWriter api, Clock clock) {
    this.sync = new DeploymentSync(api, clock);
    this.claims = new ReplicaSetClaims(api);
    RolloutProgress progress = new RolloutProgress(sync);
    this.rolling = new RollingRollout(sync, progress);
    this.recreate = new RecreateRollout(sync, progress);
    this.rollback = new RollbackRollout(sync);
  }

  /**
   * @param cached the deployment from the cache (not changed: the sync works on a copy)
   * @param inNamespace every replica set of its namespace in the cache
   * @param podsOf the pods of a replica set, by the replica set's uid
   */
  Mono<Result> reconcile(
      Deployment cached, List<ReplicaSet> inNamespace, Function<String, List<Pod>> podsOf) {
    Deployment d = Copies.deep(cached);
    if (d.getApiVersion() == null || d.getKind() == null) {
      d.setApiVersion("apps/v1");
      d.setKind("Deployment");
    }
    if (d.getSpec().getSelector() != null
        && LabelSelector.fromModel(d.getSpec().getSelector()).isEmpty()) {
      sync.api()
          .event(
              d,
              "Warning",
              EVENT_SELECTING_ALL,
              "This deployment is selecting all pods. A non-empty selector is required.");
      if (d.getStatus() == null
          || d.getStatus().getObservedGeneration() == null
          || d.getStatus().getObservedGeneration() < Deployments.generation(d)) {
        Deployments.status(d).setObservedGeneration(Deployments.generation(d));
        return sync.api().updateStatus(d).thenReturn(Result.done());
      }
      return Mono.just(Result.done());
    }
    return claims
        .claim(d, inNamespace)
        .flatMap(
            owned -> {
              Map<String, List<Pod>> pods =
                  owned.stream()
                      .filter(rs -> rs.getMetadata().getUid() != null)
                      .collect(
                          java.util.stream.Collectors.toMap(
                              rs -> rs.getMetadata().getUid(),
                              rs -> podsOf.apply(rs.getMetadata().getUid()),
                              (a, b) -> a));
              return syncClaimed(new Rollout(d, owned, pods));
            });
  }

  private Mono<Result> syncClaimed(Rollout r) {
    if (r.d.getMetadata().getDeletionTimestamp() != null) {
      return sync.syncStatusOnly(r);
    }
    return sync.checkPausedConditions(r)
        .then(
            Mono.defer(
                () -> {
                  if (Deployments.isPaused(r.d)) {
                    return sync.sync(r);
                  }
                  if (RollbackRollout.rollbackTo(r.d) != null) {
                    return rollback.rollback(r);
                  }
                  return sync.isScalingEvent(r)
                      .flatMap(
                          scaling -> {
                            if (scaling) {
                              return sync.sync(r);
                            }
                            return Deployments.isRecreate(r.d)
                                ? recreate.rollout(r)
                                : rolling.rollout(r);
                          });
                }));
  }
}
