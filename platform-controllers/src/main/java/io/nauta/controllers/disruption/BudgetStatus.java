package io.nauta.controllers.disruption;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatusBuilder;
import io.nauta.core.policy.DisruptionBudgets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A budget's status computed from its pods, as upstream's {@code trySync}: {@code expectedPods},
 * {@code currentHealthy} (Ready pods neither being deleted nor just evicted), {@code
 * desiredHealthy} (from {@code minAvailable}, or {@code expectedPods - maxUnavailable}; percentages
 * of {@code expectedPods} rounded up), {@code disruptionsAllowed = max(0, currentHealthy -
 * desiredHealthy)} (0 while no pod is expected), the {@code disruptedPods} whose deletion is still
 * awaited, {@code observedGeneration} and the {@code DisruptionAllowed} condition.
 *
 * <p>{@code expectedPods} is the number of matching pods for an integer {@code minAvailable}, else
 * the sum of the pods' controllers' scales ({@link ControllerScales}), as upstream's {@code
 * getExpectedPodCount}.
 *
 * @param recheckAt when the earliest awaited eviction expires (the budget is looked at again then),
 *     null for none
 * @param notDeleted the pods an eviction was recorded for that were not deleted in time (upstream
 *     warns with the event {@code NotDeleted})
 */
record BudgetStatus(PodDisruptionBudgetStatus status, Instant recheckAt, List<Pod> notDeleted) {

  /** Upstream's {@code DeletionTimeout}: an evicted pod not deleted by then counts again. */
  static final Duration DELETION_TIMEOUT = Duration.ofMinutes(2);

  /** Whether the budget's bound is counted against its pods' controllers' scales. */
  static boolean needsScale(PodDisruptionBudget pdb) {
    PodDisruptionBudgetSpec spec = pdb.getSpec();
    return spec != null
        && (spec.getMaxUnavailable() != null
            || (spec.getMinAvailable() != null && spec.getMinAvailable().getStrVal() != null));
  }

  /**
   * @param scale the sum of the pods' controllers' scales when {@link #needsScale}, else ignored
   */
  static BudgetStatus compute(PodDisruptionBudget pdb, List<Pod> pods, int scale, Instant now) {
    PodDisruptionBudgetSpec spec =
        pdb.getSpec() == null ? new PodDisruptionBudgetSpec() : pdb.getSpec();
    int expected = needsScale(pdb) ? scale : pods.size();
    int desired = 0;
    if (spec.getMaxUnavailable() != null) {
      desired = Math.max(0, expected - scaled(spec.getMaxUnavailable(), expected));
    } else if (spec.getMinAvailable() != null) {
      desired = scaled(spec.getMinAvailable(), expected);
    }
    Map<String, String> disrupted = new TreeMap<>();
    List<Pod> notDeleted = new ArrayList<>();
    Instant recheck = null;
    Map<String, String> recorded =
        pdb.getStatus() == null || pdb.getStatus().getDisruptedPods() == null
            ? Map.of()
            : pdb.getStatus().getDisruptedPods();
    for (Pod pod : pods) {
      String at = recorded.get(pod.getMetadata().getName());
      if (pod.getMetadata().getDeletionTimestamp() != null || at == null) {
        continue;
      }
      Instant expires = parse(at).plus(DELETION_TIMEOUT);
      if (expires.isAfter(now)) {
        disrupted.put(pod.getMetadata().getName(), at);
        recheck = recheck == null || expires.isBefore(recheck) ? expires : recheck;
      } else {
        notDeleted.add(pod);
      }
    }
    int healthy = 0;
    for (Pod pod : pods) {
      if (pod.getMetadata().getDeletionTimestamp() == null
          && !disrupted.containsKey(pod.getMetadata().getName())
          && isReady(pod)) {
        healthy++;
      }
    }
    int allowed = expected <= 0 ? 0 : Math.max(0, healthy - desired);
    long generation =
        pdb.getMetadata().getGeneration() == null ? 0 : pdb.getMetadata().getGeneration();
    List<Condition> conditions =
        condition(
            pdb.getStatus() == null ? null : pdb.getStatus().getConditions(),
            DisruptionBudgets.conditionStatus(allowed),
            DisruptionBudgets.conditionReason(allowed),
            "",
            generation,
            now);
    PodDisruptionBudgetStatus status =
        new PodDisruptionBudgetStatusBuilder()
            .withCurrentHealthy(healthy)
            .withDesiredHealthy(desired)
            .withExpectedPods(expected)
            .withDisruptionsAllowed(allowed)
            .withDisruptedPods(disrupted.isEmpty() ? null : disrupted)
            .withObservedGeneration(generation)
            .withConditions(conditions)
            .build();
    return new BudgetStatus(status, recheck, List.copyOf(notDeleted));
  }

  /** Whether writing {@link #status} would change what {@code pdb} shows. */
  boolean differsFrom(PodDisruptionBudget pdb) {
    return differs(pdb.getStatus(), status);
  }

  /** Whether {@code status} would change what {@code old} shows. */
  static boolean differs(PodDisruptionBudgetStatus old, PodDisruptionBudgetStatus status) {
    if (old == null) {
      return true;
    }
    Map<String, String> oldDisrupted =
        old.getDisruptedPods() == null ? Map.of() : old.getDisruptedPods();
    Map<String, String> newDisrupted =
        status.getDisruptedPods() == null ? Map.of() : status.getDisruptedPods();
    return !Objects.equals(old.getCurrentHealthy(), status.getCurrentHealthy())
        || !Objects.equals(old.getDesiredHealthy(), status.getDesiredHealthy())
        || !Objects.equals(old.getExpectedPods(), status.getExpectedPods())
        || !Objects.equals(old.getDisruptionsAllowed(), status.getDisruptionsAllowed())
        || !Objects.equals(old.getObservedGeneration(), status.getObservedGeneration())
        || !oldDisrupted.equals(newDisrupted)
        || !Objects.equals(old.getConditions(), status.getConditions());
  }

  /** Upstream's {@code GetScaledValueFromIntOrPercent} rounding up. */
  static int scaled(IntOrString v, int total) {
    if (v.getStrVal() != null) {
      String s = v.getStrVal();
      int percent = Integer.parseInt(s.substring(0, s.length() - 1));
      return (int) Math.ceil(percent * (double) total / 100.0);
    }
    return v.getIntVal() == null ? 0 : v.getIntVal();
  }

  static boolean isReady(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return false;
    }
    for (PodCondition c : pod.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  /**
   * Upstream's {@code failSafe} when the expected pods cannot be counted: the status as it was but
   * no disruption allowed, the condition {@code False} with reason {@code SyncFailed} and the error
   * as its message (its observedGeneration the status's, as upstream's).
   */
  static PodDisruptionBudgetStatus failSafe(PodDisruptionBudget pdb, String message, Instant now) {
    PodDisruptionBudgetStatus old =
        pdb.getStatus() == null ? new PodDisruptionBudgetStatus() : pdb.getStatus();
    long observed = old.getObservedGeneration() == null ? 0 : old.getObservedGeneration();
    return new PodDisruptionBudgetStatusBuilder(old)
        .withDisruptionsAllowed(0)
        .withConditions(
            condition(
                old.getConditions(),
                "False",
                DisruptionBudgets.SYNC_FAILED,
                message,
                observed,
                now))
        .build();
  }

  /** The conditions with {@code DisruptionAllowed} set as upstream's {@code SetStatusCondition}. */
  private static List<Condition> condition(
      List<Condition> old,
      String status,
      String reason,
      String message,
      long generation,
      Instant now) {
    List<Condition> out = new ArrayList<>(old == null ? List.of() : old);
    int at = -1;
    for (int i = 0; i < out.size(); i++) {
      if (DisruptionBudgets.DISRUPTION_ALLOWED.equals(out.get(i).getType())) {
        at = i;
      }
    }
    Condition previous = at < 0 ? null : out.get(at);
    String since =
        previous != null && status.equals(previous.getStatus())
            ? previous.getLastTransitionTime()
            : now.truncatedTo(ChronoUnit.SECONDS).toString();
    Condition updated =
        new ConditionBuilder()
            .withType(DisruptionBudgets.DISRUPTION_ALLOWED)
            .withStatus(status)
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(generation)
            .withLastTransitionTime(since)
            .build();
    if (at < 0) {
      out.add(updated);
    } else {
      out.set(at, updated);
    }
    return out;
  }

  private static Instant parse(String time) {
    try {
      return Instant.parse(time);
    } catch (DateTimeParseException e) {
      return Instant.EPOCH; // unreadable: long expired
    }
  }
}
