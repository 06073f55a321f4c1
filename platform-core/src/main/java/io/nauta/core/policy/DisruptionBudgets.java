package io.nauta.core.policy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.nauta.core.validation.LabelSelectorValidation;
import java.util.List;
import java.util.Map;

/**
 * What the eviction subresource and the disruption controller agree on about PodDisruptionBudgets:
 * which pods a budget covers, and the words of its {@code DisruptionAllowed} condition (upstream's
 * {@code policy/v1} constants and {@code pdb.UpdateDisruptionAllowedCondition}).
 */
public final class DisruptionBudgets {

  public static final String DISRUPTION_ALLOWED = "DisruptionAllowed";
  public static final String SUFFICIENT_PODS = "SufficientPods";
  public static final String INSUFFICIENT_PODS = "InsufficientPods";

  /** The condition's reason when the controller could not count the expected pods. */
  public static final String SYNC_FAILED = "SyncFailed";

  /** The cause type of a refused eviction ({@code policy/v1.DisruptionBudgetCause}). */
  public static final String DISRUPTION_BUDGET_CAUSE = "DisruptionBudget";

  /** {@code unhealthyPodEvictionPolicy} that lets an unready pod go whatever the budget says. */
  public static final String ALWAYS_ALLOW = "AlwaysAllow";

  private DisruptionBudgets() {}

  /**
   * Whether a budget's selector covers a pod with {@code labels}: a missing or empty selector
   * covers nothing (upstream: "it should match nothing, not everything"), nor does one with an
   * operator Kubernetes does not know.
   */
  public static boolean selects(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    Map<String, String> matchLabels =
        selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
    List<?> expressions =
        selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
    if (matchLabels.isEmpty() && expressions.isEmpty()) {
      return false;
    }
    return LabelSelectorValidation.matches(selector, labels);
  }

  /** The condition's status and reason for {@code disruptionsAllowed}. */
  public static String conditionStatus(int disruptionsAllowed) {
    return disruptionsAllowed > 0 ? "True" : "False";
  }

  public static String conditionReason(int disruptionsAllowed) {
    return disruptionsAllowed > 0 ? SUFFICIENT_PODS : INSUFFICIENT_PODS;
  }
}
