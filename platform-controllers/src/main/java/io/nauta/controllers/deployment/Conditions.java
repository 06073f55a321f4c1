package io.nauta.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A deployment's conditions, with Kubernetes' types, reasons and update rules. */
final class Conditions {

  static final String AVAILABLE = "Available";
  static final String PROGRESSING = "Progressing";
  static final String REPLICA_FAILURE = "ReplicaFailure";

  static final String MINIMUM_REPLICAS_AVAILABLE = "MinimumReplicasAvailable";
  static final String MINIMUM_REPLICAS_UNAVAILABLE = "MinimumReplicasUnavailable";
  static final String NEW_REPLICA_SET_CREATED = "NewReplicaSetCreated";
  static final String FOUND_NEW_REPLICA_SET = "FoundNewReplicaSet";
  static final String REPLICA_SET_UPDATED = "ReplicaSetUpdated";
  static final String NEW_REPLICA_SET_AVAILABLE = "NewReplicaSetAvailable";
  static final String PROGRESS_DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";
  static final String FAILED_REPLICA_SET_CREATE = "ReplicaSetCreateError";
  static final String DEPLOYMENT_PAUSED = "DeploymentPaused";
  static final String DEPLOYMENT_RESUMED = "DeploymentResumed";

  private Conditions() {}

  static DeploymentCondition get(DeploymentStatus status, String type) {
    if (status == null || status.getConditions() == null) {
      return null;
    }
    return status.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  static DeploymentCondition condition(
      String type, String status, String reason, String message, Instant now) {
    String t = timestamp(now);
    return new DeploymentConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastUpdateTime(t)
        .withLastTransitionTime(t)
        .build();
  }

  static String timestamp(Instant now) {
    return now.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /**
   * Kubernetes' SetDeploymentCondition: no change when status and reason are the same; the
   * transition time is kept when only the reason changes; the condition moves to the end.
   */
  static void set(DeploymentStatus status, DeploymentCondition condition) {
    DeploymentCondition current = get(status, condition.getType());
    if (current != null
        && Objects.equals(current.getStatus(), condition.getStatus())
        && Objects.equals(current.getReason(), condition.getReason())) {
      return;
    }
    if (current != null && Objects.equals(current.getStatus(), condition.getStatus())) {
      condition.setLastTransitionTime(current.getLastTransitionTime());
    }
    List<DeploymentCondition> next = without(status, condition.getType());
    next.add(condition);
    status.setConditions(next);
  }

  static void remove(DeploymentStatus status, String type) {
    status.setConditions(without(status, type));
  }

  private static List<DeploymentCondition> without(DeploymentStatus status, String type) {
    List<DeploymentCondition> out = new ArrayList<>();
    if (status.getConditions() != null) {
      for (DeploymentCondition c : status.getConditions()) {
        if (!type.equals(c.getType())) {
          out.add(c);
        }
      }
    }
    return out;
  }
}
