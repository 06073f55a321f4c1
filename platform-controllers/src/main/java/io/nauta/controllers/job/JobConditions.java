package io.nauta.controllers.job;

import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A Job's conditions as Kubernetes 1.33 writes them. */
final class JobConditions {

  private JobConditions() {}

  static boolean isTrue(JobStatus status, String type) {
    return find(status, type).filter(c -> "True".equals(c.getStatus())).isPresent();
  }

  static Optional<JobCondition> find(JobStatus status, String type) {
    if (status == null || status.getConditions() == null) {
      return Optional.empty();
    }
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /**
   * The interim condition of a Job that is finishing (FailureTarget, SuccessCriteriaMet): its pods
   * are being stopped, and Failed or Complete follows once none is left.
   */
  static Optional<JobCondition> finishing(JobStatus status) {
    Optional<JobCondition> failure =
        find(status, "FailureTarget").filter(c -> "True".equals(c.getStatus()));
    return failure.isPresent()
        ? failure
        : find(status, "SuccessCriteriaMet").filter(c -> "True".equals(c.getStatus()));
  }

  static boolean isFailure(JobCondition c) {
    return "FailureTarget".equals(c.getType()) || "Failed".equals(c.getType());
  }

  static JobCondition of(String type, String reason, String message, Instant now) {
    return new JobConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withReason(reason)
        .withMessage(message)
        .withLastProbeTime(now.toString())
        .withLastTransitionTime(now.toString())
        .build();
  }

  /**
   * Adds {@code c}, or replaces the condition of its type when its status, reason or message
   * differ; answers whether anything changed.
   */
  static boolean set(JobStatus status, JobCondition c) {
    List<JobCondition> all =
        status.getConditions() == null
            ? new ArrayList<>()
            : new ArrayList<>(status.getConditions());
    for (int i = 0; i < all.size(); i++) {
      JobCondition old = all.get(i);
      if (c.getType().equals(old.getType())) {
        if (Objects.equals(old.getStatus(), c.getStatus())
            && Objects.equals(old.getReason(), c.getReason())
            && Objects.equals(old.getMessage(), c.getMessage())) {
          return false;
        }
        all.set(i, c);
        status.setConditions(all);
        return true;
      }
    }
    all.add(c);
    status.setConditions(all);
    return true;
  }
}
