package io.nauta.federation.scheduling;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.nauta.federation.api.Karmada;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Kubernetes' toleration rules ({@code v1.Toleration.ToleratesTaint}, without the Gt/Lt operators,
 * as Karmada) applied to cluster taints and {@code placement.clusterTolerations}.
 */
final class Tolerations {

  static final String NO_SCHEDULE = Karmada.TAINT_EFFECT_NO_SCHEDULE;
  static final String NO_EXECUTE = Karmada.TAINT_EFFECT_NO_EXECUTE;

  private Tolerations() {}

  /** The first taint passing {@code filter} that no toleration tolerates. */
  static Optional<Taint> firstUntolerated(
      List<Taint> taints, List<Toleration> tolerations, Predicate<Taint> filter) {
    for (Taint taint : taints) {
      if (filter.test(taint) && tolerating(tolerations, taint).isEmpty()) {
        return Optional.of(taint);
      }
    }
    return Optional.empty();
  }

  /** The first toleration of {@code tolerations} (null meaning none) that tolerates the taint. */
  static Optional<Toleration> tolerating(List<Toleration> tolerations, Taint taint) {
    if (tolerations != null) {
      for (Toleration toleration : tolerations) {
        if (tolerates(toleration, taint)) {
          return Optional.of(toleration);
        }
      }
    }
    return Optional.empty();
  }

  static boolean tolerates(Toleration toleration, Taint taint) {
    String effect = orEmpty(toleration.getEffect());
    if (!effect.isEmpty() && !effect.equals(orEmpty(taint.getEffect()))) {
      return false;
    }
    String key = orEmpty(toleration.getKey());
    if (!key.isEmpty() && !key.equals(orEmpty(taint.getKey()))) {
      return false;
    }
    return switch (orEmpty(toleration.getOperator())) {
      case "", "Equal" -> orEmpty(toleration.getValue()).equals(orEmpty(taint.getValue()));
      case "Exists" -> true;
      default -> false;
    };
  }

  /** Kubernetes' {@code Taint.ToString}: {@code key=value:effect}. */
  static String describe(Taint taint) {
    String value = orEmpty(taint.getValue());
    String effect = orEmpty(taint.getEffect());
    return orEmpty(taint.getKey())
        + (value.isEmpty() ? "" : "=" + value)
        + (effect.isEmpty() ? "" : ":" + effect);
  }

  static boolean isNoScheduleOrNoExecute(Taint taint) {
    return NO_SCHEDULE.equals(taint.getEffect()) || NO_EXECUTE.equals(taint.getEffect());
  }

  static boolean isNoExecute(Taint taint) {
    return NO_EXECUTE.equals(taint.getEffect());
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
