package io.nauta.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Kubernetes' taint manager for one NoExecute taint: a pod that does not tolerate it is evicted at
 * once; one that tolerates it with {@code tolerationSeconds} is evicted that long after the taint
 * was added; one that tolerates it without a limit stays. Pods already terminating are left alone.
 */
public final class TaintEvictions {

  private TaintEvictions() {}

  /**
   * @param evictNow pods whose toleration ran out
   * @param next the earliest future eviction, or null
   */
  public record Plan(List<Pod> evictNow, Instant next) {}

  public static Plan plan(List<Pod> pods, Taint taint, Instant now) {
    Instant added = taint.getTimeAdded() == null ? now : Instant.parse(taint.getTimeAdded());
    List<Pod> evict = new ArrayList<>();
    Instant next = null;
    for (Pod pod : pods) {
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      Instant deadline = deadline(pod, taint, added);
      if (deadline == null) {
        continue; // tolerated forever
      }
      if (!deadline.isAfter(now)) {
        evict.add(pod);
      } else if (next == null || deadline.isBefore(next)) {
        next = deadline;
      }
    }
    return new Plan(evict, next);
  }

  /**
   * When the pod must go: taint time plus the shortest {@code tolerationSeconds} of its matching
   * tolerations ({@code getMinTolerationTime}); the taint time itself if none matches; null if a
   * matching toleration has no limit.
   */
  static Instant deadline(Pod pod, Taint taint, Instant added) {
    List<Toleration> tolerations =
        pod.getSpec() == null || pod.getSpec().getTolerations() == null
            ? List.of()
            : pod.getSpec().getTolerations();
    Long min = null;
    boolean matched = false;
    for (Toleration t : tolerations) {
      if (!tolerates(t, taint)) {
        continue;
      }
      matched = true;
      if (t.getTolerationSeconds() == null) {
        return null;
      }
      long s = Math.max(0, t.getTolerationSeconds());
      min = min == null ? s : Math.min(min, s);
    }
    return matched ? added.plusSeconds(min) : added;
  }

  /** {@code v1.Toleration.ToleratesTaint}. */
  public static boolean tolerates(Toleration toleration, Taint taint) {
    String effect = toleration.getEffect();
    if (effect != null && !effect.isEmpty() && !effect.equals(taint.getEffect())) {
      return false;
    }
    String key = toleration.getKey();
    if (key != null && !key.isEmpty() && !key.equals(taint.getKey())) {
      return false;
    }
    String op = toleration.getOperator() == null ? "" : toleration.getOperator();
    return switch (op) {
      case "Exists" -> true;
      case "", "Equal" ->
          (toleration.getValue() == null ? "" : toleration.getValue())
              .equals(taint.getValue() == null ? "" : taint.getValue());
      default -> false;
    };
  }
}
