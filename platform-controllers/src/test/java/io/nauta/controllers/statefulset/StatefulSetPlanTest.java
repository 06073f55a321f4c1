package io.nauta.controllers.statefulset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatefulSetPlanTest {

  private static final Instant NOW = Instant.parse("2026-12-06T05:00:00Z");
  private static final String OLD = "web-old";
  private static final String NEW = "web-new";

  private static StatefulSetBuilder set(int replicas, String policy) {
    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName("web")
        .withNamespace("default")
        .withUid("set-uid")
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withPodManagementPolicy(policy)
        .withNewUpdateStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withPartition(0)
        .endRollingUpdate()
        .endUpdateStrategy()
        .endSpec();
  }

  private static StatefulSet ordered(int replicas) {
    return set(replicas, "OrderedReady").build();
  }

  /** A pod of {@code revision} in {@code phase}, ready since {@code readySince} (null: not). */
  private static Pod pod(int ordinal, String revision, String phase, Instant readySince) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("web-" + ordinal)
        .withNamespace("default")
        .withUid("uid-" + ordinal)
        .addToLabels(StatefulPods.HASH_LABEL, revision)
        .endMetadata()
        .withNewStatus()
        .withPhase(phase)
        .addNewCondition()
        .withType("Ready")
        .withStatus(readySince == null ? "False" : "True")
        .withLastTransitionTime(readySince == null ? null : readySince.toString())
        .endCondition()
        .endStatus()
        .build();
  }

  private static Pod healthy(int ordinal, String revision) {
    return pod(ordinal, revision, "Running", NOW.minusSeconds(60));
  }

  private static Pod terminating(Pod p) {
    return new PodBuilder(p)
        .editMetadata()
        .withDeletionTimestamp(NOW.toString())
        .endMetadata()
        .build();
  }

  private static StatefulSetPlan.Actions plan(StatefulSet set, Pod... pods) {
    return StatefulSetPlan.plan(set, List.of(pods), OLD, NEW, NOW);
  }

  private static List<Integer> created(StatefulSetPlan.Actions a) {
    return a.creates().stream().map(StatefulSetPlan.Create::ordinal).toList();
  }

  private static List<String> deleted(StatefulSetPlan.Actions a) {
    return a.deletes().stream().map(p -> p.getMetadata().getName()).toList();
  }

  @Test
  void orderedReadyCreatesOnlyTheFirstMissingPod() {
    StatefulSetPlan.Actions a = plan(ordered(3));
    assertThat(created(a)).containsExactly(0);
    assertThat(a.creates().get(0).revision()).isEqualTo(NEW);
    assertThat(created(plan(ordered(3), healthy(0, NEW)))).containsExactly(1);
  }

  @Test
  void orderedReadyWaitsUntilThePredecessorIsRunningAndReady() {
    assertThat(plan(ordered(3), pod(0, NEW, "Pending", null)).isEmpty()).isTrue();
    assertThat(plan(ordered(3), pod(0, NEW, "Running", null)).isEmpty()).isTrue();
  }

  @Test
  void minReadySecondsHoldsTheNextPodUntilThePredecessorIsAvailable() {
    StatefulSet set = set(3, "OrderedReady").editSpec().withMinReadySeconds(5).endSpec().build();
    StatefulSetPlan.Actions a = plan(set, pod(0, NEW, "Running", NOW.minusSeconds(1)));
    assertThat(a.isEmpty()).isTrue();
    assertThat(a.retryAfter())
        .hasValueSatisfying(
            d -> assertThat(d).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(5)));
    assertThat(created(plan(set, pod(0, NEW, "Running", NOW.minusSeconds(6))))).containsExactly(1);
  }

  @Test
  void parallelCreatesEveryMissingPodAtOnceWhateverTheirHealth() {
    StatefulSet set = set(3, "Parallel").build();
    assertThat(created(plan(set))).containsExactly(0, 1, 2);
    assertThat(created(plan(set, pod(1, NEW, "Pending", null)))).containsExactly(0, 2);
  }

  @Test
  void aStartOrdinalShiftsTheNames() {
    StatefulSet set = set(2, "Parallel").editSpec().withNewOrdinals(5).endSpec().build();
    assertThat(created(plan(set))).containsExactly(5, 6);
    // web-0 is outside 5..6: condemned
    assertThat(deleted(plan(set, healthy(5, NEW), healthy(6, NEW), healthy(0, NEW))))
        .containsExactly("web-0");
  }

  @Test
  void aFailedPodIsDeletedToBeRecreated() {
    StatefulSetPlan.Actions a =
        plan(ordered(3), healthy(0, NEW), pod(1, NEW, "Failed", null), healthy(2, NEW));
    assertThat(deleted(a)).containsExactly("web-1");
    assertThat(a.creates()).isEmpty();
  }

  @Test
  void scalingDownRemovesTheHighestOrdinalOneAtATime() {
    assertThat(deleted(plan(ordered(1), healthy(0, NEW), healthy(1, NEW), healthy(2, NEW))))
        .containsExactly("web-2");
    // the next only once web-2 is gone
    assertThat(
            plan(ordered(1), healthy(0, NEW), healthy(1, NEW), terminating(healthy(2, NEW)))
                .isEmpty())
        .isTrue();
    assertThat(
            deleted(
                plan(
                    set(1, "Parallel").build(), healthy(0, NEW), healthy(1, NEW), healthy(2, NEW))))
        .containsExactly("web-2", "web-1");
  }

  @Test
  void scalingDownHaltsOnAnUnhealthyPod() {
    // web-0 unhealthy: nothing is removed
    assertThat(
            plan(ordered(1), pod(0, NEW, "Running", null), healthy(1, NEW), healthy(2, NEW))
                .isEmpty())
        .isTrue();
    // two unhealthy condemned pods: only the first unhealthy one may go, and web-2 is not it
    assertThat(
            plan(
                    ordered(1),
                    healthy(0, NEW),
                    pod(1, NEW, "Running", null),
                    pod(2, NEW, "Running", null))
                .isEmpty())
        .isTrue();
  }

  @Test
  void aRollingUpdateReplacesFromTheHighestOrdinalDownToThePartition() {
    StatefulSet set =
        set(3, "OrderedReady")
            .editSpec()
            .editUpdateStrategy()
            .editRollingUpdate()
            .withPartition(2)
            .endRollingUpdate()
            .endUpdateStrategy()
            .endSpec()
            .build();
    assertThat(deleted(plan(set, healthy(0, OLD), healthy(1, OLD), healthy(2, OLD))))
        .containsExactly("web-2");
    // web-2 updated: web-1 is below the partition and stays
    assertThat(plan(set, healthy(0, OLD), healthy(1, OLD), healthy(2, NEW)).isEmpty()).isTrue();
    // a pod recreated below the partition comes from the current revision
    StatefulSetPlan.Actions a = plan(set, healthy(0, OLD), healthy(2, NEW));
    assertThat(a.creates()).containsExactly(new StatefulSetPlan.Create(1, OLD));
  }

  @Test
  void aRollingUpdateKeepsAtMostMaxUnavailablePodsDown() {
    assertThat(deleted(plan(ordered(3), healthy(0, OLD), healthy(1, OLD), healthy(2, OLD))))
        .containsExactly("web-2");
    // web-2 is updated but not ready yet: nothing more goes
    assertThat(
            plan(ordered(3), healthy(0, OLD), healthy(1, OLD), pod(2, NEW, "Running", null))
                .isEmpty())
        .isTrue();
    StatefulSet two =
        set(3, "Parallel")
            .editSpec()
            .editUpdateStrategy()
            .editRollingUpdate()
            .withMaxUnavailable(new IntOrString(2))
            .endRollingUpdate()
            .endUpdateStrategy()
            .endSpec()
            .build();
    assertThat(deleted(plan(two, healthy(0, OLD), healthy(1, OLD), healthy(2, OLD))))
        .containsExactly("web-2", "web-1");
    assertThat(StatefulSetPlan.maxUnavailable(null, 3)).isEqualTo(1);
    assertThat(
            StatefulSetPlan.maxUnavailable(
                two.getSpec().getUpdateStrategy().getRollingUpdate().toBuilder()
                    .withMaxUnavailable(new IntOrString("50%"))
                    .build(),
                5))
        .isEqualTo(2);
  }

  @Test
  void onDeleteLeavesOldPodsAlone() {
    StatefulSet set =
        set(3, "OrderedReady")
            .editSpec()
            .withNewUpdateStrategy()
            .withType("OnDelete")
            .endUpdateStrategy()
            .endSpec()
            .build();
    assertThat(plan(set, healthy(0, OLD), healthy(1, OLD), healthy(2, OLD)).isEmpty()).isTrue();
    // a pod deleted by hand comes back at the update revision
    assertThat(plan(set, healthy(0, OLD), healthy(2, OLD)).creates())
        .containsExactly(new StatefulSetPlan.Create(1, NEW));
  }

  @Test
  void podsOfOtherNamesAreNoMembers() {
    Pod stranger =
        new PodBuilder(healthy(0, NEW)).editMetadata().withName("web-01").endMetadata().build();
    assertThat(created(plan(ordered(1), stranger))).containsExactly(0);
  }
}
