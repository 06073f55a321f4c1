package io.nauta.controllers.deployment;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.nauta.core.controller.OwnerReferences;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.workqueue.Result;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What every strategy shares (Kubernetes' sync.go): finding the new and old replica sets and
 * keeping revisions in step, creating the new replica set, scaling (proportionally on a scaling
 * event), cleaning up history, and computing and writing status.
 */
final class DeploymentSync {

  static final String EVENT_SCALING = "ScalingReplicaSet";

  private final DeploymentWriter api;
  private final Clock clock;

  DeploymentSync(DeploymentWriter api, Clock clock) {
    this.api = api;
    this.clock = clock;
  }

  Instant now() {
    return clock.instant();
  }

  DeploymentWriter api() {
    return api;
  }

  /** The new replica set (null when there is none yet) and the old ones. */
  record NewAndOld(ReplicaSet newRS, List<ReplicaSet> oldRSs) {
    List<ReplicaSet> all() {
      return ReplicaSets.with(oldRSs, newRS);
    }
  }

  /** A replica set after a scale attempt and whether its size changed. */
  record Scaled(boolean scaled, ReplicaSet rs) {}

  // ---- new and old replica sets, revisions

  /**
   * Kubernetes' getAllReplicaSetsAndSyncRevision: the new replica set gets a revision above every
   * old one and the deployment carries the new replica set's revision; with {@code create} a
   * missing new replica set is created.
   */
  Mono<NewAndOld> getAllReplicaSetsAndSyncRevision(Rollout r, boolean create) {
    List<ReplicaSet> rsList = r.replicaSets();
    List<ReplicaSet> old = ReplicaSets.findOld(rsList, ReplicaSets.findNew(r.d, rsList));
    return getNewReplicaSet(r, old, create).map(newRS -> new NewAndOld(newRS.orElse(null), old));
  }

  private Mono<Optional<ReplicaSet>> getNewReplicaSet(
      Rollout r, List<ReplicaSet> oldRSs, boolean create) {
    Deployment d = r.d;
    ReplicaSet existing = ReplicaSets.findNew(d, r.replicaSets());
    String newRevision = Long.toString(Revisions.max(oldRSs) + 1);
    if (existing != null) {
      ReplicaSet copy = Copies.deep(existing);
      boolean annotationsUpdated =
          Revisions.setNewReplicaSetAnnotations(d, copy, newRevision, true);
      int minReady = Deployments.orZero(d.getSpec().getMinReadySeconds());
      if (annotationsUpdated
          || Deployments.orZero(copy.getSpec().getMinReadySeconds()) != minReady) {
        copy.getSpec().setMinReadySeconds(minReady);
        return api.updateReplicaSet(copy).map(r::written).map(Optional::of);
      }
      boolean revisionChanged =
          Revisions.setDeploymentRevision(d, Revisions.annotation(copy, Revisions.REVISION));
      boolean statusChanged = false;
      if (Deployments.hasProgressDeadline(d)
          && Conditions.get(Deployments.status(d), Conditions.PROGRESSING) == null) {
        Conditions.set(
            Deployments.status(d),
            Conditions.condition(
                Conditions.PROGRESSING,
                "True",
                Conditions.FOUND_NEW_REPLICA_SET,
                "Found new replica set \"" + copy.getMetadata().getName() + "\"",
                now()));
        statusChanged = true;
      }
      return writeDeployment(r, revisionChanged)
          .then(writeStatus(r, statusChanged))
          .thenReturn(Optional.of(copy));
    }
    if (!create) {
      return Mono.just(Optional.empty());
    }
    ReplicaSet newRS = newReplicaSet(d);
    int count = RollingRollout.newReplicas(d, ReplicaSets.with(oldRSs, newRS), newRS);
    newRS.getSpec().setReplicas(count);
    Revisions.setNewReplicaSetAnnotations(d, newRS, newRevision, false);
    String name = newRS.getMetadata().getName();
    return api.createReplicaSet(newRS)
        .map(created -> new Created(created, false))
        .onErrorResume(
            e ->
                e instanceof AlreadyExistsException
                    ? existingOrCollision(r, newRS, e)
                    : failedCreate(r, name, e))
        .flatMap(
            c -> {
              r.written(c.rs());
              if (!c.alreadyExisted() && count > 0) {
                api.event(
                    d, "Normal", EVENT_SCALING, "Scaled up replica set " + name + " to " + count);
              }
              boolean revisionChanged = Revisions.setDeploymentRevision(d, newRevision);
              boolean statusChanged = false;
              if (!c.alreadyExisted() && Deployments.hasProgressDeadline(d)) {
                Conditions.set(
                    Deployments.status(d),
                    Conditions.condition(
                        Conditions.PROGRESSING,
                        "True",
                        Conditions.NEW_REPLICA_SET_CREATED,
                        "Created new replica set \"" + name + "\"",
                        now()));
                statusChanged = true;
              }
              return writeDeployment(r, revisionChanged)
                  .then(writeStatus(r, statusChanged))
                  .thenReturn(Optional.of(c.rs()));
            });
  }

  private record Created(ReplicaSet rs, boolean alreadyExisted) {}

  /**
   * A replica set of that name exists: it is ours when the deployment controls it and its template
   * is the deployment's; otherwise the hash collided, and a bumped collision count gives the next
   * sync another name.
   */
  private Mono<Created> existingOrCollision(Rollout r, ReplicaSet wanted, Throwable error) {
    Deployment d = r.d;
    return api.getReplicaSet(wanted.getMetadata().getNamespace(), wanted.getMetadata().getName())
        .flatMap(
            rs -> {
              if (OwnerReferences.isControlledBy(rs, d)
                  && PodTemplates.equalIgnoreHash(
                      d.getSpec().getTemplate(), rs.getSpec().getTemplate())) {
                return Mono.just(new Created(rs, true));
              }
              DeploymentStatus status = Deployments.status(d);
              status.setCollisionCount(Deployments.orZero(status.getCollisionCount()) + 1);
              return writeStatus(r, true).then(Mono.error(error));
            });
  }

  private Mono<Created> failedCreate(Rollout r, String name, Throwable error) {
    Deployment d = r.d;
    String msg = "Failed to create new replica set \"" + name + "\": " + error.getMessage();
    Mono<Void> report = Mono.empty();
    if (Deployments.hasProgressDeadline(d)) {
      Conditions.set(
          Deployments.status(d),
          Conditions.condition(
              Conditions.PROGRESSING, "False", Conditions.FAILED_REPLICA_SET_CREATE, msg, now()));
      report = writeStatus(r, true).onErrorResume(e -> Mono.empty());
    }
    api.event(d, "Warning", Conditions.FAILED_REPLICA_SET_CREATE, msg);
    return report.then(Mono.error(error));
  }

  /** The replica set for the deployment's current template, named after its hash. */
  static ReplicaSet newReplicaSet(Deployment d) {
    PodTemplateSpec template = Copies.deep(d.getSpec().getTemplate());
    String hash =
        PodTemplates.hash(
            d.getSpec().getTemplate(),
            d.getStatus() == null ? null : d.getStatus().getCollisionCount());
    if (template.getMetadata() == null) {
      template.setMetadata(new ObjectMetaBuilder().build());
    }
    Map<String, String> labels =
        new LinkedHashMap<>(
            template.getMetadata().getLabels() == null
                ? Map.of()
                : template.getMetadata().getLabels());
    labels.put(PodTemplates.HASH_LABEL, hash);
    template.getMetadata().setLabels(labels);
    LabelSelector selector = Copies.deep(d.getSpec().getSelector());
    Map<String, String> matchLabels =
        new LinkedHashMap<>(
            selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels());
    matchLabels.put(PodTemplates.HASH_LABEL, hash);
    selector.setMatchLabels(matchLabels);
    return new ReplicaSetBuilder()
        .withApiVersion("apps/v1")
        .withKind("ReplicaSet")
        .withNewMetadata()
        .withName(d.getMetadata().getName() + "-" + hash)
        .withNamespace(d.getMetadata().getNamespace())
        .withOwnerReferences(OwnerReferences.controllerReference(d))
        .withLabels(new LinkedHashMap<>(labels))
        .endMetadata()
        .withNewSpec()
        .withReplicas(0)
        .withMinReadySeconds(Deployments.orZero(d.getSpec().getMinReadySeconds()))
        .withSelector(selector)
        .withTemplate(template)
        .endSpec()
        .build();
  }

  // ---- scaling

  /**
   * Kubernetes' scale: a lone active replica set takes the whole replica count; a saturated new one
   * leaves the old ones nothing; otherwise (rolling updates) the change is spread proportionally
   * over every active replica set.
   */
  Mono<Void> scale(Rollout r, ReplicaSet newRS, List<ReplicaSet> oldRSs) {
    Deployment d = r.d;
    int replicas = Deployments.replicas(d);
    ReplicaSet activeOrLatest = ReplicaSets.activeOrLatest(newRS, oldRSs);
    if (activeOrLatest != null) {
      if (ReplicaSets.replicas(activeOrLatest) == replicas) {
        return Mono.empty();
      }
      return scaleAndRecordEvent(r, activeOrLatest, replicas).then();
    }
    if (ReplicaSets.isSaturated(d, newRS)) {
      return Flux.fromIterable(ReplicaSets.active(oldRSs))
          .concatMap(old -> scaleAndRecordEvent(r, old, 0))
          .then();
    }
    if (!Deployments.isRollingUpdate(d)) {
      return Mono.empty();
    }
    ProportionalScaling.Plan plan =
        ProportionalScaling.plan(d, ReplicaSets.active(ReplicaSets.with(oldRSs, newRS)));
    return Flux.fromIterable(plan.sizes())
        .concatMap(s -> scaleReplicaSet(r, s.rs(), s.size(), plan.operation()))
        .then();
  }

  Mono<Scaled> scaleAndRecordEvent(Rollout r, ReplicaSet rs, int newScale) {
    int current = ReplicaSets.replicas(rs);
    if (current == newScale) {
      return Mono.just(new Scaled(false, rs));
    }
    return scaleReplicaSet(r, rs, newScale, current < newScale ? "up" : "down");
  }

  /**
   * Sets the size and the replica annotations; the event uses Kubernetes' format: "Scaled up
   * replica set web-5d4f8b9c7 to 3 from 1".
   */
  Mono<Scaled> scaleReplicaSet(Rollout r, ReplicaSet rs, int newScale, String operation) {
    Deployment d = r.d;
    int oldScale = ReplicaSets.replicas(rs);
    boolean sizeChanges = oldScale != newScale;
    int replicas = Deployments.replicas(d);
    int max = replicas + Fenceposts.maxSurge(d);
    if (!sizeChanges && !Revisions.replicasAnnotationsNeedUpdate(rs, replicas, max)) {
      return Mono.just(new Scaled(false, rs));
    }
    ReplicaSet copy = Copies.deep(rs);
    copy.getSpec().setReplicas(newScale);
    Revisions.setReplicasAnnotations(copy, replicas, max);
    return api.updateReplicaSet(copy)
        .map(r::written)
        .map(
            updated -> {
              if (sizeChanges) {
                api.event(
                    d,
                    "Normal",
                    EVENT_SCALING,
                    "Scaled "
                        + operation
                        + " replica set "
                        + updated.getMetadata().getName()
                        + " to "
                        + newScale
                        + " from "
                        + oldScale);
              }
              return new Scaled(sizeChanges, updated);
            });
  }

  /**
   * Kubernetes' isScalingEvent: an active replica set was sized for another replica count than the
   * deployment asks for now.
   */
  Mono<Boolean> isScalingEvent(Rollout r) {
    return getAllReplicaSetsAndSyncRevision(r, false)
        .map(
            no -> {
              for (ReplicaSet rs : ReplicaSets.active(no.all())) {
                Integer desired = Revisions.intAnnotation(rs, Revisions.DESIRED_REPLICAS);
                if (desired != null && desired != Deployments.replicas(r.d)) {
                  return true;
                }
              }
              return false;
            });
  }

  /** Scaling events and paused deployments: scale, clean up (when paused), write status. */
  Mono<Result> sync(Rollout r) {
    return getAllReplicaSetsAndSyncRevision(r, false)
        .flatMap(
            no ->
                scale(r, no.newRS(), no.oldRSs())
                    .then(
                        Mono.defer(
                            () ->
                                Deployments.isPaused(r.d) && RollbackRollout.rollbackTo(r.d) == null
                                    ? cleanup(r, r.current(no.oldRSs()))
                                    : Mono.empty()))
                    .then(
                        Mono.defer(
                            () -> syncStatus(r, r.current(no.all()), r.current(no.newRS())))))
        .thenReturn(Result.done());
  }

  /** Status only: for a deployment being deleted. */
  Mono<Result> syncStatusOnly(Rollout r) {
    return getAllReplicaSetsAndSyncRevision(r, false)
        .flatMap(no -> syncStatus(r, no.all(), no.newRS()))
        .thenReturn(Result.done());
  }

  // ---- history

  /**
   * Kubernetes' cleanupDeployment: keeps the {@code revisionHistoryLimit} newest old replica sets
   * and deletes older ones that are fully scaled down and settled.
   */
  Mono<Void> cleanup(Rollout r, List<ReplicaSet> oldRSs) {
    return Flux.fromIterable(historyToDelete(r.d, oldRSs))
        .concatMap(
            rs ->
                api.deleteReplicaSet(rs)
                    .onErrorResume(NotFoundException.class, e -> Mono.empty())
                    .doOnSuccess(v -> r.deleted(rs)))
        .then();
  }

  static List<ReplicaSet> historyToDelete(Deployment d, List<ReplicaSet> oldRSs) {
    if (!Deployments.hasRevisionHistoryLimit(d)) {
      return List.of();
    }
    List<ReplicaSet> cleanable =
        oldRSs.stream()
            .filter(Objects::nonNull)
            .filter(rs -> rs.getMetadata().getDeletionTimestamp() == null)
            .toList();
    int diff = cleanable.size() - d.getSpec().getRevisionHistoryLimit();
    if (diff <= 0) {
      return List.of();
    }
    List<ReplicaSet> byRevision = ReplicaSets.sorted(cleanable, ReplicaSets.BY_REVISION);
    List<ReplicaSet> out = new ArrayList<>();
    for (int i = 0; i < diff; i++) {
      ReplicaSet rs = byRevision.get(i);
      if (ReplicaSets.statusReplicas(rs) != 0
          || ReplicaSets.replicas(rs) != 0
          || ReplicaSets.generation(rs) > ReplicaSets.observedGeneration(rs)) {
        continue;
      }
      out.add(rs);
    }
    return out;
  }

  // ---- status

  /** Writes the status computed from the replica sets when it differs from the stored one. */
  Mono<Void> syncStatus(Rollout r, List<ReplicaSet> allRSs, ReplicaSet newRS) {
    DeploymentStatus next = calculateStatus(allRSs, newRS, r.d, now());
    if (next.equals(r.d.getStatus())) {
      return Mono.empty();
    }
    r.d.setStatus(next);
    return writeStatus(r, true);
  }

  /**
   * Kubernetes' calculateStatus: counts from the replica sets' status, and the Available condition
   * (at least replicas - maxUnavailable available); other conditions are carried over.
   */
  static DeploymentStatus calculateStatus(
      List<ReplicaSet> allRSs, ReplicaSet newRS, Deployment d, Instant now) {
    List<ReplicaSet> all = allRSs.stream().filter(Objects::nonNull).toList();
    int available = ReplicaSets.availableTotal(all);
    int total = ReplicaSets.specTotal(all);
    DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    DeploymentStatus status = new DeploymentStatus();
    status.setObservedGeneration(Deployments.generation(d));
    status.setReplicas(ReplicaSets.actualTotal(all));
    status.setUpdatedReplicas(newRS == null ? 0 : ReplicaSets.statusReplicas(newRS));
    status.setReadyReplicas(ReplicaSets.readyTotal(all));
    status.setAvailableReplicas(available);
    status.setUnavailableReplicas(Math.max(0, total - available));
    status.setCollisionCount(old.getCollisionCount());
    List<DeploymentCondition> conditions = new ArrayList<>();
    if (old.getConditions() != null) {
      old.getConditions().forEach(c -> conditions.add(Copies.deep(c)));
    }
    status.setConditions(conditions);
    if (available >= Deployments.replicas(d) - Fenceposts.maxUnavailable(d)) {
      Conditions.set(
          status,
          Conditions.condition(
              Conditions.AVAILABLE,
              "True",
              Conditions.MINIMUM_REPLICAS_AVAILABLE,
              "Deployment has minimum availability.",
              now));
    } else {
      Conditions.set(
          status,
          Conditions.condition(
              Conditions.AVAILABLE,
              "False",
              Conditions.MINIMUM_REPLICAS_UNAVAILABLE,
              "Deployment does not have minimum availability.",
              now));
    }
    return status;
  }

  /**
   * Kubernetes' checkPausedConditions: Progressing becomes Unknown/DeploymentPaused while paused
   * and DeploymentResumed after, so time spent paused never counts against the progress deadline.
   */
  Mono<Void> checkPausedConditions(Rollout r) {
    Deployment d = r.d;
    if (!Deployments.hasProgressDeadline(d)) {
      return Mono.empty();
    }
    DeploymentCondition cond = Conditions.get(d.getStatus(), Conditions.PROGRESSING);
    if (cond != null && Conditions.PROGRESS_DEADLINE_EXCEEDED.equals(cond.getReason())) {
      return Mono.empty();
    }
    boolean pausedCondition = cond != null && Conditions.DEPLOYMENT_PAUSED.equals(cond.getReason());
    if (Deployments.isPaused(d) && !pausedCondition) {
      Conditions.set(
          Deployments.status(d),
          Conditions.condition(
              Conditions.PROGRESSING,
              "Unknown",
              Conditions.DEPLOYMENT_PAUSED,
              "Deployment is paused",
              now()));
      return writeStatus(r, true);
    }
    if (!Deployments.isPaused(d) && pausedCondition) {
      Conditions.set(
          Deployments.status(d),
          Conditions.condition(
              Conditions.PROGRESSING,
              "Unknown",
              Conditions.DEPLOYMENT_RESUMED,
              "Deployment is resumed",
              now()));
      return writeStatus(r, true);
    }
    return Mono.empty();
  }

  // ---- deployment writes

  /** Writes the deployment's metadata (its revision annotation); status travels separately. */
  Mono<Void> writeDeployment(Rollout r, boolean changed) {
    if (!changed) {
      return Mono.empty();
    }
    return Mono.defer(() -> api.updateDeployment(r.d)).doOnNext(r::deploymentWritten).then();
  }

  Mono<Void> writeStatus(Rollout r, boolean changed) {
    if (!changed) {
      return Mono.empty();
    }
    return Mono.defer(() -> api.updateStatus(r.d)).doOnNext(r::deploymentWritten).then();
  }
}
