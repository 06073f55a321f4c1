package io.nauta.controllers.autoscaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingPolicy;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.nauta.controllers.autoscaling.ScaleBehavior.Decision;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stabilization windows and rate policies, step by step on a clock the test moves. */
class ScaleBehaviorTest {

  private static final String KEY = "ns/web";

  private static final class MovableClock extends Clock {
    Instant now = Instant.parse("2026-12-06T12:00:00Z");

    void advance(long seconds) {
      now = now.plusSeconds(seconds);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final MovableClock clock = new MovableClock();
  private final ScaleBehavior behavior = new ScaleBehavior(clock, Duration.ofMinutes(5));

  private static HorizontalPodAutoscalerBehavior defaults() {
    return new HorizontalPodAutoscalerBehavior(
        ScaleBehavior.defaultDown(), ScaleBehavior.defaultUp());
  }

  private static HPAScalingRules rules(
      Integer window, String select, HPAScalingPolicy... policies) {
    return new HPAScalingRules(List.of(policies), select, window, null);
  }

  private static HPAScalingPolicy pods(int value, int period) {
    return new HPAScalingPolicy(period, "Pods", value);
  }

  private static HPAScalingPolicy percent(int value, int period) {
    return new HPAScalingPolicy(period, "Percent", value);
  }

  /** One sync: normalize, and record the rescale as the controller does. */
  private Decision sync(HorizontalPodAutoscalerBehavior b, int current, int desired, int max) {
    Decision d = behavior.normalize(KEY, b, current, desired, 1, max);
    behavior.recordScale(KEY, b, current, d.replicas());
    return d;
  }

  @Test
  void withoutBehaviorAScaleUpIsAtMostDoubleOrFour() {
    Decision d = sync(null, 1, 10, 10);
    // max(2 * 1, 4) = 4
    assertThat(d.replicas()).isEqualTo(4);
    assertThat(d.limited()).isTrue();
    assertThat(d.limitedReason()).isEqualTo("ScaleUpLimit");
    assertThat(d.limitedMessage())
        .isEqualTo("the desired replica count is increasing faster than the maximum scale rate");
    // max(2 * 3, 4) = 6
    assertThat(behavior.normalize("ns/other", null, 3, 10, 1, 10).replicas()).isEqualTo(6);
    // max 5 is below the rate limit: TooManyReplicas
    Decision capped = behavior.normalize("ns/third", null, 3, 10, 1, 5);
    assertThat(capped.replicas()).isEqualTo(5);
    assertThat(capped.limitedReason()).isEqualTo("TooManyReplicas");
  }

  @Test
  void withoutBehaviorAScaleDownWaitsForTheHighestRecommendationOfFiveMinutes() {
    assertThat(sync(null, 5, 5, 10).replicas()).isEqualTo(5);
    clock.advance(60);
    Decision d = sync(null, 5, 2, 10);
    assertThat(d.replicas()).isEqualTo(5);
    assertThat(d.ableReason()).isEqualTo("ScaleDownStabilized");
    assertThat(d.ableMessage())
        .isEqualTo(
            "recent recommendations were higher than current one, applying the highest recent"
                + " recommendation");
    clock.advance(241); // 301 s after the recommendation of 5
    d = sync(null, 5, 2, 10);
    assertThat(d.replicas()).isEqualTo(2);
    assertThat(d.ableReason()).isEqualTo("ReadyForNewScale");
    assertThat(d.limited()).isFalse();
    assertThat(d.limitedReason()).isEqualTo("DesiredWithinRange");
  }

  @Test
  void theMinimumHolds() {
    Decision d = behavior.normalize(KEY, null, 2, 0, 2, 10);
    assertThat(d.replicas()).isEqualTo(2);
    assertThat(d.limitedReason()).isEqualTo("TooFewReplicas");
    assertThat(d.limitedMessage())
        .isEqualTo("the desired replica count is less than the minimum replica count");
  }

  @Test
  void defaultScaleUpAddsTheLargerOfFourPodsOrDoublePerFifteenSeconds() {
    // from 1: Pods 1 + 4 = 5, Percent ceil(1 * 2) = 2; Max -> 5
    Decision d = sync(defaults(), 1, 20, 20);
    assertThat(d.replicas()).isEqualTo(5);
    assertThat(d.limitedReason()).isEqualTo("ScaleUpLimit");
    // 5 s later the period still starts at 1 (4 added within it): no more
    clock.advance(5);
    d = sync(defaults(), 5, 20, 20);
    assertThat(d.replicas()).isEqualTo(5);
    assertThat(d.limited()).isTrue();
    // 16 s after the first scale the period starts at 5: Pods 9, Percent 10 -> 10
    clock.advance(11);
    assertThat(sync(defaults(), 5, 20, 20).replicas()).isEqualTo(10);
    // then Pods 14, Percent 20 -> 20, which is the max
    clock.advance(16);
    d = sync(defaults(), 10, 20, 20);
    assertThat(d.replicas()).isEqualTo(20);
    assertThat(d.limited()).isFalse();
  }

  @Test
  void selectPolicyMinTakesTheSmallerChange() {
    HorizontalPodAutoscalerBehavior b =
        new HorizontalPodAutoscalerBehavior(
            ScaleBehavior.defaultDown(), rules(0, "Min", pods(4, 15), percent(100, 15)));
    // from 10: Pods 14, Percent 20; Min -> 14
    assertThat(sync(b, 10, 100, 100).replicas()).isEqualTo(14);
  }

  @Test
  void aDisabledDirectionNeverScales() {
    HorizontalPodAutoscalerBehavior b =
        new HorizontalPodAutoscalerBehavior(
            rules(0, "Disabled", percent(100, 15)), ScaleBehavior.defaultUp());
    Decision d = sync(b, 5, 1, 10);
    assertThat(d.replicas()).isEqualTo(5);
    assertThat(d.limitedReason()).isEqualTo("ScaleDownLimit");
    assertThat(d.limitedMessage())
        .isEqualTo("the desired replica count is decreasing faster than the maximum scale rate");
  }

  @Test
  void scaleDownStabilizesThenFollowsThePercentPolicy() {
    HorizontalPodAutoscalerBehavior b =
        new HorizontalPodAutoscalerBehavior(
            rules(60, "Max", percent(50, 15)), ScaleBehavior.defaultUp());
    assertThat(sync(b, 8, 8, 10).replicas()).isEqualTo(8);
    clock.advance(10);
    Decision d = sync(b, 8, 2, 10);
    assertThat(d.replicas()).isEqualTo(8);
    assertThat(d.ableReason()).isEqualTo("ScaleDownStabilized");
    // 61 s after the 8: only the 2s are recent; 50 % of 8 per 15 s -> 4
    clock.advance(51);
    d = sync(b, 8, 2, 10);
    assertThat(d.replicas()).isEqualTo(4);
    assertThat(d.limitedReason()).isEqualTo("ScaleDownLimit");
    // 9 s later the period still started at 8: 50 % of 8 = 4, already there
    clock.advance(9);
    assertThat(sync(b, 4, 2, 10).replicas()).isEqualTo(4);
    // 16 s after the scale-down: 50 % of 4 = 2
    clock.advance(7);
    d = sync(b, 4, 2, 10);
    assertThat(d.replicas()).isEqualTo(2);
    assertThat(d.limited()).isFalse();
  }

  @Test
  void percentScaleDownRoundsDownAndPodsPolicyWinsUnderMax() {
    HorizontalPodAutoscalerBehavior b =
        new HorizontalPodAutoscalerBehavior(
            rules(0, "Max", percent(10, 60), pods(2, 60)), ScaleBehavior.defaultUp());
    // from 10: Percent int(10 * 0.9) = 9, Pods 10 - 2 = 8; Max (the larger change) -> 8
    assertThat(sync(b, 10, 1, 10).replicas()).isEqualTo(8);
    // 30 s later the 60 s period started at 10: still 8
    clock.advance(30);
    assertThat(sync(b, 8, 1, 10).replicas()).isEqualTo(8);
  }

  @Test
  void scaleUpStabilizationTakesTheLowestRecentRecommendation() {
    HorizontalPodAutoscalerBehavior b =
        new HorizontalPodAutoscalerBehavior(
            ScaleBehavior.defaultDown(), rules(30, "Max", pods(4, 15), percent(100, 15)));
    assertThat(sync(b, 2, 2, 10).replicas()).isEqualTo(2);
    clock.advance(10);
    Decision d = sync(b, 2, 6, 10);
    assertThat(d.replicas()).isEqualTo(2);
    assertThat(d.ableReason()).isEqualTo("ScaleUpStabilized");
    assertThat(d.ableMessage())
        .isEqualTo(
            "recent recommendations were lower than current one, applying the lowest recent"
                + " recommendation");
    // 31 s after the 2: the lowest recent recommendation is 6; Pods 2 + 4 = 6 -> 6
    clock.advance(21);
    d = sync(b, 2, 6, 10);
    assertThat(d.replicas()).isEqualTo(6);
    assertThat(d.ableReason()).isEqualTo("ReadyForNewScale");
  }

  @Test
  void withinToleranceNothingChangesAndNothingIsLimited() {
    Decision d = sync(defaults(), 3, 3, 10);
    assertThat(d.replicas()).isEqualTo(3);
    assertThat(d.limited()).isFalse();
    assertThat(d.limitedReason()).isEqualTo("DesiredWithinRange");
  }
}
