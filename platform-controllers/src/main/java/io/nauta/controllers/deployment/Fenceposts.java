package io.nauta.controllers.deployment;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;

/**
 * A rolling update's {@code maxSurge} and {@code maxUnavailable} resolved against the desired
 * replica count, with Kubernetes' rules (ResolveFenceposts): a percentage of surge rounds up, one
 * of unavailability rounds down, and when both come out zero one replica may be unavailable, or the
 * rollout could never make progress.
 */
record Fenceposts(int maxSurge, int maxUnavailable) {

  static Fenceposts resolve(IntOrString maxSurge, IntOrString maxUnavailable, int desired) {
    int surge = scaled(maxSurge, desired, true);
    int unavailable = scaled(maxUnavailable, desired, false);
    if (surge == 0 && unavailable == 0) {
      unavailable = 1;
    }
    return new Fenceposts(surge, unavailable);
  }

  /** How many more pods than desired a deployment may run during a rollout (0 for Recreate). */
  static int maxSurge(Deployment d) {
    if (!Deployments.isRollingUpdate(d)) {
      return 0;
    }
    return of(d).maxSurge();
  }

  /**
   * How many of the desired pods may be unavailable during a rollout (0 for Recreate or no
   * replicas), never more than the replicas themselves.
   */
  static int maxUnavailable(Deployment d) {
    int replicas = Deployments.replicas(d);
    if (!Deployments.isRollingUpdate(d) || replicas == 0) {
      return 0;
    }
    return Math.min(of(d).maxUnavailable(), replicas);
  }

  private static Fenceposts of(Deployment d) {
    RollingUpdateDeployment rolling = d.getSpec().getStrategy().getRollingUpdate();
    IntOrString surge = rolling == null ? null : rolling.getMaxSurge();
    IntOrString unavailable = rolling == null ? null : rolling.getMaxUnavailable();
    return resolve(
        surge == null ? new IntOrString("25%") : surge,
        unavailable == null ? new IntOrString("25%") : unavailable,
        Deployments.replicas(d));
  }

  /** An absolute value, or a percentage of {@code total} rounded as asked. */
  static int scaled(IntOrString value, int total, boolean roundUp) {
    if (value == null) {
      return 0;
    }
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    String text = value.getStrVal();
    if (text == null || !text.endsWith("%")) {
      throw new IllegalArgumentException(
          "invalid value for IntOrString: invalid value \"" + text + "\"");
    }
    int percent;
    try {
      percent = Integer.parseInt(text.substring(0, text.length() - 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid value \"" + text + "\": " + e.getMessage());
    }
    double exact = (double) percent * total / 100;
    return (int) (roundUp ? Math.ceil(exact) : Math.floor(exact));
  }
}
