package io.nauta.controllers.autoscaling;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingPolicy;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What upstream's HPA controller remembers per autoscaler, and the rules it applies with it ({@code
 * normalizeDesiredReplicas}, {@code normalizeDesiredReplicasWithBehaviors}): the recent
 * recommendations for the stabilization windows, the recent scale events for the rate policies.
 * Kept in memory as upstream keeps it: a new leader starts with an empty history.
 */
public final class ScaleBehavior {

  /** --horizontal-pod-autoscaler-downscale-stabilization, for autoscalers without behavior. */
  public static final Duration DEFAULT_DOWNSCALE_STABILIZATION = Duration.ofMinutes(5);

  /** The limits and conditions one normalization decided. */
  public record Decision(
      int replicas,
      String ableReason,
      String ableMessage,
      boolean limited,
      String limitedReason,
      String limitedMessage) {}

  private record Recommendation(int replicas, Instant at) {}

  private record ScaleEvent(int change, Instant at) {}

  private static final class History {
    final List<Recommendation> recommendations = new ArrayList<>();
    final List<ScaleEvent> ups = new ArrayList<>();
    final List<ScaleEvent> downs = new ArrayList<>();
  }

  private final Map<String, History> histories = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration downscaleStabilization;

  public ScaleBehavior(Clock clock, Duration downscaleStabilization) {
    this.clock = clock;
    this.downscaleStabilization = downscaleStabilization;
  }

  /** Forgets a deleted autoscaler. */
  public void forget(String key) {
    histories.remove(key);
  }

  /**
   * The replica count to scale to for a metric proposal {@code desired}, after stabilization and
   * rate limits, and the conditions AbleToScale and ScalingLimited that explain it.
   */
  public Decision normalize(
      String key,
      HorizontalPodAutoscalerBehavior behavior,
      int current,
      int desired,
      int min,
      int max) {
    History h = histories.computeIfAbsent(key, k -> new History());
    synchronized (h) {
      return behavior == null
          ? withoutBehavior(h, current, desired, min, max)
          : withBehavior(h, behavior, current, desired, min, max);
    }
  }

  private Decision withoutBehavior(History h, int current, int desired, int min, int max) {
    Instant now = clock.instant();
    Instant cutoff = now.minus(downscaleStabilization);
    int stabilized = desired;
    int old = -1;
    for (int i = 0; i < h.recommendations.size(); i++) {
      Recommendation r = h.recommendations.get(i);
      if (r.at().isBefore(cutoff)) {
        old = i;
      } else if (r.replicas() > stabilized) {
        stabilized = r.replicas();
      }
    }
    record(h, old, desired, now);
    String ableReason;
    String ableMessage;
    if (stabilized != desired) {
      ableReason = "ScaleDownStabilized";
      ableMessage =
          "recent recommendations were higher than current one, applying the highest recent"
              + " recommendation";
    } else {
      ableReason = "ReadyForNewScale";
      ableMessage = "recommended size matches current size";
    }
    int minimum = min == 0 ? 1 : min;
    int scaleUpLimit = Math.max(2 * current, 4);
    int maximum;
    String reason;
    String message;
    if (max > scaleUpLimit) {
      maximum = scaleUpLimit;
      reason = "ScaleUpLimit";
      message = "the desired replica count is increasing faster than the maximum scale rate";
    } else {
      maximum = max;
      reason = "TooManyReplicas";
      message = "the desired replica count is more than the maximum replica count";
    }
    int replicas = stabilized;
    if (stabilized < minimum) {
      replicas = minimum;
      reason = "TooFewReplicas";
      message = "the desired replica count is less than the minimum replica count";
    } else if (stabilized > maximum) {
      replicas = maximum;
    } else {
      reason = "DesiredWithinRange";
      message = "the desired count is within the acceptable range";
    }
    return new Decision(replicas, ableReason, ableMessage, replicas != stabilized, reason, message);
  }

  private Decision withBehavior(
      History h, HorizontalPodAutoscalerBehavior b, int current, int desired, int min, int max) {
    HPAScalingRules up = b.getScaleUp() == null ? defaultUp() : b.getScaleUp();
    HPAScalingRules down = b.getScaleDown() == null ? defaultDown() : b.getScaleDown();
    Instant now = clock.instant();
    int upWindow = orDefault(up.getStabilizationWindowSeconds(), 0);
    int downWindow =
        orDefault(down.getStabilizationWindowSeconds(), (int) downscaleStabilization.toSeconds());
    Instant upCutoff = now.minusSeconds(upWindow);
    Instant downCutoff = now.minusSeconds(downWindow);
    int upRecommendation = desired;
    int downRecommendation = desired;
    int old = -1;
    for (int i = 0; i < h.recommendations.size(); i++) {
      Recommendation r = h.recommendations.get(i);
      if (r.at().isAfter(upCutoff)) {
        upRecommendation = Math.min(r.replicas(), upRecommendation);
      }
      if (r.at().isAfter(downCutoff)) {
        downRecommendation = Math.max(r.replicas(), downRecommendation);
      }
      if (r.at().isBefore(upCutoff) && r.at().isBefore(downCutoff)) {
        old = i;
      }
    }
    // Within [lowest recent up-recommendation, highest recent down-recommendation]
    int stabilized = Math.min(Math.max(current, upRecommendation), downRecommendation);
    record(h, old, desired, now);
    String ableReason;
    String ableMessage;
    if (stabilized == desired) {
      ableReason = "ReadyForNewScale";
      ableMessage = "recommended size matches current size";
    } else if (desired >= current) {
      ableReason = "ScaleUpStabilized";
      ableMessage =
          "recent recommendations were lower than current one, applying the lowest recent"
              + " recommendation";
    } else {
      ableReason = "ScaleDownStabilized";
      ableMessage =
          "recent recommendations were higher than current one, applying the highest recent"
              + " recommendation";
    }
    int replicas = stabilized;
    String reason = "DesiredWithinRange";
    String message = "the desired count is within the acceptable range";
    if (stabilized > current) {
      int limit = Math.max(scaleUpLimit(current, h, up, now), current);
      int maximum = max;
      String r;
      String m;
      if (maximum > limit) {
        maximum = limit;
        r = "ScaleUpLimit";
        m = "the desired replica count is increasing faster than the maximum scale rate";
      } else {
        r = "TooManyReplicas";
        m = "the desired replica count is more than the maximum replica count";
      }
      if (stabilized > maximum) {
        replicas = maximum;
        reason = r;
        message = m;
      }
    } else if (stabilized < current) {
      int limit = Math.min(scaleDownLimit(current, h, down, now), current);
      int minimum = min;
      String r;
      String m;
      if (minimum < limit) {
        minimum = limit;
        r = "ScaleDownLimit";
        m = "the desired replica count is decreasing faster than the maximum scale rate";
      } else {
        r = "TooFewReplicas";
        m = "the desired replica count is less than the minimum replica count";
      }
      if (stabilized < minimum) {
        replicas = minimum;
        reason = r;
        message = m;
      }
    }
    return new Decision(replicas, ableReason, ableMessage, replicas != stabilized, reason, message);
  }

  /** Keeps the unstabilized recommendation, in the slot of one that left every window. */
  private static void record(History h, int old, int desired, Instant now) {
    Recommendation r = new Recommendation(desired, now);
    if (old >= 0) {
      h.recommendations.set(old, r);
    } else {
      h.recommendations.add(r);
    }
  }

  /** {@code calculateScaleUpLimitWithScalingRules}. */
  private static int scaleUpLimit(int current, History h, HPAScalingRules rules, Instant now) {
    String select = rules.getSelectPolicy() == null ? "Max" : rules.getSelectPolicy();
    if ("Disabled".equals(select)) {
      return current;
    }
    boolean min = "Min".equals(select);
    long result = min ? Integer.MAX_VALUE : Integer.MIN_VALUE;
    for (HPAScalingPolicy p : policies(rules, true)) {
      int start = periodStart(current, h, p, now);
      long proposed =
          "Pods".equals(p.getType())
              ? start + (long) p.getValue()
              : (long) Math.ceil(start * (1 + p.getValue() / 100.0));
      result = min ? Math.min(result, proposed) : Math.max(result, proposed);
    }
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, result));
  }

  /** {@code calculateScaleDownLimitWithBehaviors}. */
  private static int scaleDownLimit(int current, History h, HPAScalingRules rules, Instant now) {
    String select = rules.getSelectPolicy() == null ? "Max" : rules.getSelectPolicy();
    if ("Disabled".equals(select)) {
      return current;
    }
    boolean min = "Min".equals(select);
    long result = min ? Integer.MIN_VALUE : Integer.MAX_VALUE;
    for (HPAScalingPolicy p : policies(rules, false)) {
      int start = periodStart(current, h, p, now);
      long proposed =
          "Pods".equals(p.getType())
              ? start - (long) p.getValue()
              : (long) (start * (1 - p.getValue() / 100.0));
      result = min ? Math.max(result, proposed) : Math.min(result, proposed);
    }
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, result));
  }

  /** The replica count at the start of the policy's period: now, less what changed since. */
  private static int periodStart(int current, History h, HPAScalingPolicy p, Instant now) {
    Instant cutoff = now.minusSeconds(orDefault(p.getPeriodSeconds(), 15));
    return current - changes(h.ups, cutoff) + changes(h.downs, cutoff);
  }

  private static int changes(List<ScaleEvent> events, Instant cutoff) {
    int sum = 0;
    for (ScaleEvent e : events) {
      if (e.at().isAfter(cutoff)) {
        sum += e.change();
      }
    }
    return sum;
  }

  /**
   * {@code storeScaleEvent}: a rescale from {@code from} to {@code to}, counted against the rate
   * policies; events older than the longest policy period are dropped. Autoscalers without behavior
   * keep none (their limit does not look back).
   */
  public void recordScale(String key, HorizontalPodAutoscalerBehavior behavior, int from, int to) {
    if (behavior == null || from == to) {
      return;
    }
    History h = histories.computeIfAbsent(key, k -> new History());
    synchronized (h) {
      Instant now = clock.instant();
      boolean up = to > from;
      HPAScalingRules rules = up ? behavior.getScaleUp() : behavior.getScaleDown();
      if (rules == null) {
        rules = up ? defaultUp() : defaultDown();
      }
      int longest = 0;
      for (HPAScalingPolicy p : policies(rules, up)) {
        longest = Math.max(longest, orDefault(p.getPeriodSeconds(), 15));
      }
      List<ScaleEvent> events = up ? h.ups : h.downs;
      Instant cutoff = now.minusSeconds(longest);
      events.removeIf(e -> !e.at().isAfter(cutoff));
      events.add(new ScaleEvent(Math.abs(to - from), now));
    }
  }

  private static List<HPAScalingPolicy> policies(HPAScalingRules rules, boolean up) {
    if (rules.getPolicies() == null) {
      return (up ? defaultUp() : defaultDown()).getPolicies();
    }
    return rules.getPolicies();
  }

  /** Upstream's {@code GenerateHPAScaleUpRules(nil)}: 4 pods or 100 % per 15 s, the larger. */
  public static HPAScalingRules defaultUp() {
    return new HPAScalingRules(
        List.of(new HPAScalingPolicy(15, "Pods", 4), new HPAScalingPolicy(15, "Percent", 100)),
        "Max",
        0,
        null);
  }

  /** {@code GenerateHPAScaleDownRules(nil)}: 100 % per 15 s after 300 s of stabilization. */
  public static HPAScalingRules defaultDown() {
    return new HPAScalingRules(List.of(new HPAScalingPolicy(15, "Percent", 100)), "Max", 300, null);
  }

  private static int orDefault(Integer v, int d) {
    return v == null ? d : v;
  }
}
