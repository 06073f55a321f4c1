package io.nauta.scheduler.plugins.tainttoleration;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;

/** Kubernetes' toleration semantics ({@code v1.Toleration.ToleratesTaint}). */
public final class Tolerations {

  public static final String NO_SCHEDULE = "NoSchedule";
  public static final String PREFER_NO_SCHEDULE = "PreferNoSchedule";
  public static final String NO_EXECUTE = "NoExecute";

  private Tolerations() {}

  /** Whether any of {@code tolerations} (null meaning none) tolerates {@code taint}. */
  public static boolean tolerates(List<Toleration> tolerations, Taint taint) {
    if (tolerations == null) {
      return false;
    }
    for (int i = 0, n = tolerations.size(); i < n; i++) {
      if (tolerates(tolerations.get(i), taint)) {
        return true;
      }
    }
    return false;
  }

  /**
   * An empty effect matches every effect; an empty key matches every key (the API only allows it
   * with {@code Exists}); operator {@code Exists} ignores the value, {@code Equal} (the default)
   * compares it.
   */
  public static boolean tolerates(Toleration toleration, Taint taint) {
    String effect = toleration.getEffect();
    if (effect != null && !effect.isEmpty() && !effect.equals(orEmpty(taint.getEffect()))) {
      return false;
    }
    String key = toleration.getKey();
    if (key != null && !key.isEmpty() && !key.equals(orEmpty(taint.getKey()))) {
      return false;
    }
    String operator = orEmpty(toleration.getOperator());
    return switch (operator) {
      case "", "Equal" -> orEmpty(toleration.getValue()).equals(orEmpty(taint.getValue()));
      case "Exists" -> true;
      default -> false;
    };
  }

  static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
