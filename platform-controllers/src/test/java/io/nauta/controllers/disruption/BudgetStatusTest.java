package io.nauta.controllers.disruption;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Upstream's {@code trySync} arithmetic. */
class BudgetStatusTest {

  private static final Instant NOW = Instant.parse("2026-12-06T15:00:00Z");

  private static Pod pod(String name, boolean ready) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .withPhase("Running")
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .endStatus()
        .build();
  }

  private static List<Pod> readyPods(int n) {
    return IntStream.range(0, n).mapToObj(i -> pod("p" + i, true)).toList();
  }

  private static PodDisruptionBudget pdb(IntOrString min, IntOrString max) {
    return new PodDisruptionBudgetBuilder()
        .withNewMetadata()
        .withName("web")
        .withGeneration(3L)
        .endMetadata()
        .withNewSpec()
        .withMinAvailable(min)
        .withMaxUnavailable(max)
        .endSpec()
        .build();
  }

  @Test
  void minAvailableLeavesTheRestToDisrupt() {
    BudgetStatus s = BudgetStatus.compute(pdb(new IntOrString(2), null), readyPods(3), 3, NOW);
    assertThat(s.status().getExpectedPods()).isEqualTo(3);
    assertThat(s.status().getCurrentHealthy()).isEqualTo(3);
    assertThat(s.status().getDesiredHealthy()).isEqualTo(2);
    assertThat(s.status().getDisruptionsAllowed()).isEqualTo(1);
    assertThat(s.status().getObservedGeneration()).isEqualTo(3L);
    assertThat(s.status().getConditions().get(0).getReason()).isEqualTo("SufficientPods");
    assertThat(s.recheckAt()).isNull();
  }

  @Test
  void percentagesRoundUp() {
    // 50% of 3 pods is 1.5, rounded up: two must stay available, and two may be unavailable.
    assertThat(
            BudgetStatus.compute(pdb(new IntOrString("50%"), null), readyPods(3), 3, NOW)
                .status()
                .getDesiredHealthy())
        .isEqualTo(2);
    BudgetStatus max =
        BudgetStatus.compute(pdb(null, new IntOrString("50%")), readyPods(3), 3, NOW);
    assertThat(max.status().getDesiredHealthy()).isEqualTo(1);
    assertThat(max.status().getDisruptionsAllowed()).isEqualTo(2);
  }

  @Test
  void unreadyAndRecentlyEvictedPodsAreNotHealthyAndNoPodsAllowNothing() {
    PodDisruptionBudget budget =
        new PodDisruptionBudgetBuilder(pdb(new IntOrString(1), null))
            .withNewStatus()
            .withDisruptedPods(Map.of("p0", "2026-12-06T14:59:30Z", "p1", "2026-12-06T14:57:00Z"))
            .endStatus()
            .build();
    List<Pod> pods = List.of(pod("p0", true), pod("p1", true), pod("p2", false));
    BudgetStatus s = BudgetStatus.compute(budget, pods, pods.size(), NOW);
    // p0 is still awaited (until 15:01:30); p1's eviction expired, so it counts again.
    assertThat(s.status().getDisruptedPods()).containsOnlyKeys("p0");
    assertThat(s.notDeleted()).extracting(p -> p.getMetadata().getName()).containsExactly("p1");
    assertThat(s.status().getCurrentHealthy()).isEqualTo(1);
    assertThat(s.status().getDisruptionsAllowed()).isZero();
    assertThat(s.status().getConditions().get(0).getReason()).isEqualTo("InsufficientPods");
    assertThat(s.recheckAt()).isEqualTo(Instant.parse("2026-12-06T15:01:30Z"));

    assertThat(
            BudgetStatus.compute(pdb(new IntOrString(0), null), List.of(), 0, NOW)
                .status()
                .getDisruptionsAllowed())
        .isZero();
  }

  @Test
  void anUnchangedStatusIsNotWrittenAgain() {
    PodDisruptionBudget budget = pdb(new IntOrString(2), null);
    BudgetStatus first = BudgetStatus.compute(budget, readyPods(3), 3, NOW);
    PodDisruptionBudget written =
        new PodDisruptionBudgetBuilder(budget).withStatus(first.status()).build();
    BudgetStatus again = BudgetStatus.compute(written, readyPods(3), 3, NOW.plusSeconds(60));
    assertThat(again.differsFrom(written)).isFalse();
    assertThat(BudgetStatus.compute(written, readyPods(2), 2, NOW).differsFrom(written)).isTrue();
  }

  @Test
  void maxUnavailableAndPercentagesCountTheControllersScaleNotThePods() {
    // A Deployment of 5 with 3 pods so far: 5 are expected, maxUnavailable 1 leaves 4 to keep,
    // and the 3 healthy ones allow nothing (upstream's getExpectedPodCount).
    BudgetStatus max = BudgetStatus.compute(pdb(null, new IntOrString(1)), readyPods(3), 5, NOW);
    assertThat(max.status().getExpectedPods()).isEqualTo(5);
    assertThat(max.status().getDesiredHealthy()).isEqualTo(4);
    assertThat(max.status().getDisruptionsAllowed()).isZero();
    BudgetStatus percent =
        BudgetStatus.compute(pdb(new IntOrString("40%"), null), readyPods(3), 5, NOW);
    assertThat(percent.status().getExpectedPods()).isEqualTo(5);
    assertThat(percent.status().getDesiredHealthy()).isEqualTo(2);
    assertThat(percent.status().getDisruptionsAllowed()).isEqualTo(1);
    // An integer minAvailable counts the pods whatever the scale says.
    BudgetStatus min = BudgetStatus.compute(pdb(new IntOrString(2), null), readyPods(3), 5, NOW);
    assertThat(min.status().getExpectedPods()).isEqualTo(3);
    assertThat(min.status().getDisruptionsAllowed()).isEqualTo(1);
    // Pods without a controller count nothing toward a scale: none expected, none allowed.
    BudgetStatus unmanaged =
        BudgetStatus.compute(pdb(null, new IntOrString(1)), readyPods(3), 0, NOW);
    assertThat(unmanaged.status().getExpectedPods()).isZero();
    assertThat(unmanaged.status().getDisruptionsAllowed()).isZero();
    assertThat(BudgetStatus.needsScale(pdb(new IntOrString(2), null))).isFalse();
    assertThat(BudgetStatus.needsScale(pdb(new IntOrString("50%"), null))).isTrue();
    assertThat(BudgetStatus.needsScale(pdb(null, new IntOrString(0)))).isTrue();
  }

  @Test
  void failSafeAllowsNothingAndSaysWhyThenASuccessfulSyncClearsTheMessage() {
    PodDisruptionBudget budget = pdb(null, new IntOrString(1));
    BudgetStatus ok = BudgetStatus.compute(budget, readyPods(3), 3, NOW);
    assertThat(ok.status().getDisruptionsAllowed()).isEqualTo(1);
    PodDisruptionBudget written =
        new PodDisruptionBudgetBuilder(budget).withStatus(ok.status()).build();

    var failed =
        BudgetStatus.failSafe(
            written, "jobs.batch does not implement the scale subresource", NOW.plusSeconds(5));
    assertThat(failed.getDisruptionsAllowed()).isZero();
    assertThat(failed.getCurrentHealthy()).isEqualTo(3);
    assertThat(failed.getExpectedPods()).isEqualTo(3);
    assertThat(failed.getConditions()).hasSize(1);
    var condition = failed.getConditions().get(0);
    assertThat(condition.getType()).isEqualTo("DisruptionAllowed");
    assertThat(condition.getStatus()).isEqualTo("False");
    assertThat(condition.getReason()).isEqualTo("SyncFailed");
    assertThat(condition.getMessage())
        .isEqualTo("jobs.batch does not implement the scale subresource");
    assertThat(condition.getLastTransitionTime()).isEqualTo("2026-12-06T15:00:05Z");
    assertThat(BudgetStatus.differs(written.getStatus(), failed)).isTrue();
    PodDisruptionBudget failedBudget =
        new PodDisruptionBudgetBuilder(budget).withStatus(failed).build();
    assertThat(
            BudgetStatus.differs(
                failed, BudgetStatus.failSafe(failedBudget, condition.getMessage(), NOW)))
        .as("the same failure again writes nothing")
        .isFalse();

    var recovered =
        BudgetStatus.compute(failedBudget, readyPods(3), 3, NOW.plusSeconds(9)).status();
    assertThat(recovered.getConditions().get(0).getReason()).isEqualTo("SufficientPods");
    assertThat(recovered.getConditions().get(0).getMessage()).isEmpty();
  }
}
