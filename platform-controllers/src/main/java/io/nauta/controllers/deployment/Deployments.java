package io.nauta.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;

/** Reading a deployment's spec and status with the API's defaults for absent fields. */
final class Deployments {

  static final String ROLLING_UPDATE = "RollingUpdate";
  static final String RECREATE = "Recreate";

  /** Kubernetes' "no deadline" value of {@code progressDeadlineSeconds}. */
  static final int NO_DEADLINE = Integer.MAX_VALUE;

  private Deployments() {}

  static int replicas(Deployment d) {
    Integer r = d.getSpec().getReplicas();
    return r == null ? 1 : r;
  }

  static boolean isRollingUpdate(Deployment d) {
    return d.getSpec().getStrategy() == null
        || d.getSpec().getStrategy().getType() == null
        || ROLLING_UPDATE.equals(d.getSpec().getStrategy().getType());
  }

  static boolean isRecreate(Deployment d) {
    return d.getSpec().getStrategy() != null
        && RECREATE.equals(d.getSpec().getStrategy().getType());
  }

  static boolean isPaused(Deployment d) {
    return Boolean.TRUE.equals(d.getSpec().getPaused());
  }

  static boolean hasProgressDeadline(Deployment d) {
    Integer s = d.getSpec().getProgressDeadlineSeconds();
    return s != null && s != NO_DEADLINE;
  }

  static boolean hasRevisionHistoryLimit(Deployment d) {
    Integer l = d.getSpec().getRevisionHistoryLimit();
    return l != null && l != Integer.MAX_VALUE;
  }

  static long generation(Deployment d) {
    Long g = d.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }

  static DeploymentStatus status(Deployment d) {
    if (d.getStatus() == null) {
      d.setStatus(new DeploymentStatus());
    }
    return d.getStatus();
  }

  static int orZero(Integer v) {
    return v == null ? 0 : v;
  }

  /**
   * Kubernetes' DeploymentComplete: every desired replica is updated and available, no old one is
   * left, and the status describes the current generation.
   */
  static boolean isComplete(Deployment d, DeploymentStatus s) {
    int replicas = replicas(d);
    return orZero(s.getUpdatedReplicas()) == replicas
        && orZero(s.getReplicas()) == replicas
        && orZero(s.getAvailableReplicas()) == replicas
        && (s.getObservedGeneration() == null ? 0 : s.getObservedGeneration()) >= generation(d);
  }

  /**
   * Kubernetes' DeploymentProgressing: compared with the status last written, more replicas are
   * updated, ready or available, or fewer old ones are left.
   */
  static boolean isProgressing(Deployment d, DeploymentStatus next) {
    DeploymentStatus old = status(d);
    int oldOld = orZero(old.getReplicas()) - orZero(old.getUpdatedReplicas());
    int nextOld = orZero(next.getReplicas()) - orZero(next.getUpdatedReplicas());
    return orZero(next.getUpdatedReplicas()) > orZero(old.getUpdatedReplicas())
        || nextOld < oldOld
        || orZero(next.getReadyReplicas()) > orZero(old.getReadyReplicas())
        || orZero(next.getAvailableReplicas()) > orZero(old.getAvailableReplicas());
  }
}
