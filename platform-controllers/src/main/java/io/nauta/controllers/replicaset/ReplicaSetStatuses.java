package io.nauta.controllers.replicaset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.nauta.controllers.pods.PodConditions;
import io.nauta.core.errors.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A replica set's status from its pods (Kubernetes' calculateStatus). */
final class ReplicaSetStatuses {

  static final String REPLICA_FAILURE = "ReplicaFailure";

  private ReplicaSetStatuses() {}

  /**
   * The status the replica set should have given its claimed active {@code pods} and the error of
   * this pass's creates or deletes ({@code null}: none; {@code scalingUp}: which of the two
   * failed).
   */
  static ReplicaSetStatus calculate(
      ReplicaSet rs, List<Pod> pods, Throwable manageError, boolean scalingUp, Instant now) {
    Map<String, String> templateLabels =
        rs.getSpec().getTemplate() == null || rs.getSpec().getTemplate().getMetadata() == null
            ? Map.of()
            : Objects.requireNonNullElse(
                rs.getSpec().getTemplate().getMetadata().getLabels(), Map.of());
    int minReady = minReadySeconds(rs);
    int fullyLabeled = 0;
    int ready = 0;
    int available = 0;
    for (Pod pod : pods) {
      Map<String, String> labels =
          Objects.requireNonNullElse(pod.getMetadata().getLabels(), Map.of());
      if (labels.entrySet().containsAll(templateLabels.entrySet())) {
        fullyLabeled++;
      }
      if (PodConditions.isReady(pod)) {
        ready++;
        if (PodConditions.isAvailable(pod, minReady, now)) {
          available++;
        }
      }
    }
    List<ReplicaSetCondition> conditions =
        new ArrayList<>(
            rs.getStatus() == null || rs.getStatus().getConditions() == null
                ? List.of()
                : rs.getStatus().getConditions());
    boolean hasFailure = conditions.stream().anyMatch(c -> REPLICA_FAILURE.equals(c.getType()));
    if (manageError != null && !hasFailure) {
      conditions.add(
          new ReplicaSetConditionBuilder()
              .withType(REPLICA_FAILURE)
              .withStatus("True")
              .withReason(scalingUp ? "FailedCreate" : "FailedDelete")
              .withMessage(message(manageError))
              .withLastTransitionTime(now.truncatedTo(ChronoUnit.SECONDS).toString())
              .build());
    } else if (manageError == null && hasFailure) {
      conditions.removeIf(c -> REPLICA_FAILURE.equals(c.getType()));
    }
    return new ReplicaSetStatusBuilder()
        .withReplicas(pods.size())
        .withFullyLabeledReplicas(fullyLabeled)
        .withReadyReplicas(ready)
        .withAvailableReplicas(available)
        .withObservedGeneration(rs.getMetadata().getGeneration())
        .withConditions(conditions.isEmpty() ? null : conditions)
        .build();
  }

  /** Whether writing {@code next} would change anything the controller owns in {@code current}. */
  static boolean same(ReplicaSetStatus current, ReplicaSetStatus next) {
    if (current == null) {
      return false;
    }
    return orZero(current.getReplicas()) == orZero(next.getReplicas())
        && orZero(current.getFullyLabeledReplicas()) == orZero(next.getFullyLabeledReplicas())
        && orZero(current.getReadyReplicas()) == orZero(next.getReadyReplicas())
        && orZero(current.getAvailableReplicas()) == orZero(next.getAvailableReplicas())
        && Objects.equals(current.getObservedGeneration(), next.getObservedGeneration())
        && Objects.equals(conditions(current), conditions(next));
  }

  /** The shortest wait until a ready pod counts as available; empty when none is waiting. */
  static Optional<Duration> nextAvailableCheck(ReplicaSet rs, List<Pod> pods, Instant now) {
    int minReady = minReadySeconds(rs);
    return pods.stream()
        .map(p -> PodConditions.untilAvailable(p, minReady, now))
        .flatMap(Optional::stream)
        .min(Duration::compareTo);
  }

  static int minReadySeconds(ReplicaSet rs) {
    return orZero(rs.getSpec().getMinReadySeconds());
  }

  static int orZero(Integer i) {
    return i == null ? 0 : i;
  }

  private static List<ReplicaSetCondition> conditions(ReplicaSetStatus s) {
    return s.getConditions() == null || s.getConditions().isEmpty() ? null : s.getConditions();
  }

  private static String message(Throwable e) {
    if (e instanceof ApiException && e.getMessage() != null) {
      return e.getMessage();
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
