package io.nauta.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.nauta.core.workqueue.Result;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * The Progressing condition and the progress deadline (Kubernetes' progress.go): NewReplicaSet
 * Available once complete, ReplicaSetUpdated whenever the rollout moved, and
 * ProgressDeadlineExceeded (False) once it has not moved for {@code progressDeadlineSeconds}; a
 * rollout that is still going is re-queued for the moment its deadline passes.
 */
final class RolloutProgress {

  private final DeploymentSync sync;

  RolloutProgress(DeploymentSync sync) {
    this.sync = sync;
  }

  Mono<Result> syncRolloutStatus(Rollout r, List<ReplicaSet> allRSs, ReplicaSet newRS) {
    Deployment d = r.d;
    Instant now = sync.now();
    DeploymentStatus next = nextStatus(d, allRSs, newRS, now);
    if (next.equals(d.getStatus())) {
      return Mono.just(requeueStuck(d, next, now));
    }
    d.setStatus(next);
    return sync.writeStatus(r, true).thenReturn(Result.done());
  }

  /** The status to write: counts, Available, Progressing and ReplicaFailure. */
  static DeploymentStatus nextStatus(
      Deployment d, List<ReplicaSet> allRSs, ReplicaSet newRS, Instant now) {
    DeploymentStatus next = DeploymentSync.calculateStatus(allRSs, newRS, d, now);
    if (!Deployments.hasProgressDeadline(d)) {
      Conditions.remove(next, Conditions.PROGRESSING);
    }
    DeploymentCondition current = Conditions.get(d.getStatus(), Conditions.PROGRESSING);
    boolean completeReported =
        Objects.equals(next.getReplicas(), next.getUpdatedReplicas())
            && current != null
            && Conditions.NEW_REPLICA_SET_AVAILABLE.equals(current.getReason());
    String subject =
        newRS != null
            ? "ReplicaSet \"" + newRS.getMetadata().getName() + "\""
            : "Deployment \"" + d.getMetadata().getName() + "\"";
    if (Deployments.hasProgressDeadline(d) && !completeReported) {
      if (Deployments.isComplete(d, next)) {
        Conditions.set(
            next,
            Conditions.condition(
                Conditions.PROGRESSING,
                "True",
                Conditions.NEW_REPLICA_SET_AVAILABLE,
                subject + " has successfully progressed.",
                now));
      } else if (Deployments.isProgressing(d, next)) {
        DeploymentCondition progressing =
            Conditions.condition(
                Conditions.PROGRESSING,
                "True",
                Conditions.REPLICA_SET_UPDATED,
                subject + " is progressing.",
                now);
        // Unlike other conditions, Progressing is rewritten with the same reason: its
        // lastUpdateTime is when progress was last seen, which the deadline counts from.
        if (current != null) {
          if ("True".equals(current.getStatus())) {
            progressing.setLastTransitionTime(current.getLastTransitionTime());
          }
          Conditions.remove(next, Conditions.PROGRESSING);
        }
        Conditions.set(next, progressing);
      } else if (timedOut(d, next, now)) {
        Conditions.set(
            next,
            Conditions.condition(
                Conditions.PROGRESSING,
                "False",
                Conditions.PROGRESS_DEADLINE_EXCEEDED,
                subject + " has timed out progressing.",
                now));
      }
    }
    DeploymentCondition failure = replicaFailure(allRSs, newRS);
    if (failure != null) {
      Conditions.set(next, failure);
    } else {
      Conditions.remove(next, Conditions.REPLICA_FAILURE);
    }
    return next;
  }

  /**
   * Kubernetes' DeploymentTimedOut: no progress since the condition's lastUpdateTime + deadline.
   */
  static boolean timedOut(Deployment d, DeploymentStatus status, Instant now) {
    if (!Deployments.hasProgressDeadline(d)) {
      return false;
    }
    DeploymentCondition c = Conditions.get(status, Conditions.PROGRESSING);
    if (c == null || Conditions.NEW_REPLICA_SET_AVAILABLE.equals(c.getReason())) {
      return false;
    }
    if (Conditions.PROGRESS_DEADLINE_EXCEEDED.equals(c.getReason())) {
      return true;
    }
    Instant from = parse(c.getLastUpdateTime());
    if (from == null) {
      return false;
    }
    return from.plusSeconds(d.getSpec().getProgressDeadlineSeconds()).isBefore(now);
  }

  /**
   * Kubernetes' requeueStuckDeployment: a rollout still in progress is looked at again when its
   * deadline passes (a second late, so it has passed); none when complete, timed out or without a
   * deadline.
   */
  static Result requeueStuck(Deployment d, DeploymentStatus next, Instant now) {
    DeploymentCondition current = Conditions.get(d.getStatus(), Conditions.PROGRESSING);
    if (!Deployments.hasProgressDeadline(d) || current == null) {
      return Result.done();
    }
    if (Deployments.isComplete(d, next)
        || Conditions.PROGRESS_DEADLINE_EXCEEDED.equals(current.getReason())) {
      return Result.done();
    }
    Instant from = parse(current.getLastUpdateTime());
    if (from == null) {
      return Result.done();
    }
    Duration after =
        Duration.between(now, from.plusSeconds(d.getSpec().getProgressDeadlineSeconds()));
    if (after.compareTo(Duration.ofSeconds(1)) < 0) {
      return Result.requeue();
    }
    return Result.requeueAfter(after.plusSeconds(1));
  }

  /** The first ReplicaFailure=True of the new replica set, else of an old one. */
  private static DeploymentCondition replicaFailure(List<ReplicaSet> allRSs, ReplicaSet newRS) {
    DeploymentCondition c = failureOf(newRS);
    if (c != null) {
      return c;
    }
    for (ReplicaSet rs : allRSs) {
      if (rs != null && rs != newRS) {
        c = failureOf(rs);
        if (c != null) {
          return c;
        }
      }
    }
    return null;
  }

  private static DeploymentCondition failureOf(ReplicaSet rs) {
    if (rs == null || rs.getStatus() == null || rs.getStatus().getConditions() == null) {
      return null;
    }
    for (ReplicaSetCondition c : rs.getStatus().getConditions()) {
      if (Conditions.REPLICA_FAILURE.equals(c.getType()) && "True".equals(c.getStatus())) {
        return new DeploymentConditionBuilder()
            .withType(Conditions.REPLICA_FAILURE)
            .withStatus(c.getStatus())
            .withReason(c.getReason())
            .withMessage(c.getMessage())
            .withLastUpdateTime(c.getLastTransitionTime())
            .withLastTransitionTime(c.getLastTransitionTime())
            .build();
      }
    }
    return null;
  }

  private static Instant parse(String t) {
    if (t == null) {
      return null;
    }
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
