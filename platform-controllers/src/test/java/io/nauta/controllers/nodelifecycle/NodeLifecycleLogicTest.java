package io.nauta.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeLifecycleLogicTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** A clock the test moves by hand. */
  static final class FakeClock extends Clock {
    Instant now = T0;

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  void aNodeWhoseLeaseStopsChangingTurnsUnhealthyAfterTheGracePeriodByLocalTime() {
    FakeClock clock = new FakeClock();
    NodeHealthTracker tracker = new NodeHealthTracker(clock, Duration.ofSeconds(40));
    // The renewTime is far in the future (a skewed node clock): only its changes count.
    assertThat(tracker.observe("n", "2030-01-01T00:00:00Z", null).healthy()).isTrue();
    clock.advance(Duration.ofSeconds(30));
    NodeHealthTracker.Health h = tracker.observe("n", "2030-01-01T00:00:10Z", null);
    assertThat(h.healthy()).isTrue();
    assertThat(h.heardSinceFirstSeen()).isTrue();
    assertThat(h.deadline()).isEqualTo(T0.plusSeconds(70));
    clock.advance(Duration.ofSeconds(40));
    assertThat(tracker.observe("n", "2030-01-01T00:00:10Z", null).healthy()).isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertThat(tracker.observe("n", "2030-01-01T00:00:10Z", null).healthy()).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(tracker.observe("n", "2030-01-01T00:00:12Z", null).healthy()).isTrue();
  }

  @Test
  void aReadyHeartbeatAlsoCountsAsHearingFromTheNode() {
    FakeClock clock = new FakeClock();
    NodeHealthTracker tracker = new NodeHealthTracker(clock, Duration.ofSeconds(5));
    tracker.observe("n", null, "h1");
    clock.advance(Duration.ofSeconds(4));
    tracker.observe("n", null, "h2");
    clock.advance(Duration.ofSeconds(4));
    assertThat(tracker.observe("n", null, "h2").healthy()).isTrue();
    clock.advance(Duration.ofSeconds(2));
    assertThat(tracker.observe("n", null, "h2").healthy()).isFalse();
  }

  @Test
  void aNodeFirstSeenGetsAFullGracePeriodButIsNotYetKnownAlive() {
    FakeClock clock = new FakeClock();
    NodeHealthTracker tracker = new NodeHealthTracker(clock, Duration.ofSeconds(5));
    NodeHealthTracker.Health h = tracker.observe("n", "r1", null);
    assertThat(h.healthy()).isTrue();
    assertThat(h.heardSinceFirstSeen()).isFalse();
  }

  static Node readyNode() {
    return new NodeBuilder()
        .withNewMetadata()
        .withName("n")
        .endMetadata()
        .withNewSpec()
        .addNewTaint()
        .withKey("dedicated")
        .withValue("gpu")
        .withEffect("NoSchedule")
        .endTaint()
        .endSpec()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .withReason("KubeletReady")
        .withLastHeartbeatTime("2025-12-31T23:59:00Z")
        .endCondition()
        .addNewCondition()
        .withType("MemoryPressure")
        .withStatus("False")
        .endCondition()
        .endStatus()
        .build();
  }

  @Test
  void markingUnknownSetsTheFourConditionsOnceAndKeepsHeartbeats() {
    Node unknown = NodeConditions.markUnknown(readyNode(), T0).orElseThrow();
    for (String type : List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure")) {
      NodeCondition c = NodeConditions.condition(unknown, type).orElseThrow();
      assertThat(c.getStatus()).isEqualTo("Unknown");
      assertThat(c.getReason()).isEqualTo("NodeStatusUnknown");
      assertThat(c.getMessage()).isEqualTo("Kubelet stopped posting node status.");
      assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
    }
    assertThat(NodeConditions.condition(unknown, "Ready").orElseThrow().getLastHeartbeatTime())
        .isEqualTo("2025-12-31T23:59:00Z");
    assertThat(NodeConditions.markUnknown(unknown, T0.plusSeconds(5))).isEmpty();
  }

  @Test
  void restoringTouchesOnlyTheConditionsThisControllerSet() {
    assertThat(NodeConditions.restore(readyNode(), T0)).isEmpty();
    Node unknown = NodeConditions.markUnknown(readyNode(), T0).orElseThrow();
    Node restored = NodeConditions.restore(unknown, T0.plusSeconds(9)).orElseThrow();
    assertThat(NodeConditions.condition(restored, "Ready").orElseThrow().getStatus())
        .isEqualTo("True");
    assertThat(NodeConditions.condition(restored, "DiskPressure").orElseThrow().getStatus())
        .isEqualTo("False");
  }

  @Test
  void taintingAddsBothUnreachableTaintsOnceAndUntaintingKeepsOtherTaints() {
    Node tainted = NodeConditions.taintUnreachable(readyNode(), T0).orElseThrow();
    assertThat(tainted.getSpec().getTaints())
        .extracting(t -> t.getKey() + ":" + t.getEffect() + "@" + t.getTimeAdded())
        .containsExactly(
            "dedicated:NoSchedule@null",
            "node.kubernetes.io/unreachable:NoSchedule@2026-01-01T00:00:00Z",
            "node.kubernetes.io/unreachable:NoExecute@2026-01-01T00:00:00Z");
    assertThat(NodeConditions.taintUnreachable(tainted, T0.plusSeconds(3))).isEmpty();
    Node untainted = NodeConditions.untaint(tainted).orElseThrow();
    assertThat(untainted.getSpec().getTaints())
        .extracting(Taint::getKey)
        .containsExactly("dedicated");
    assertThat(NodeConditions.untaint(untainted)).isEmpty();
  }

  static final Taint NO_EXECUTE =
      new TaintBuilder()
          .withKey("node.kubernetes.io/unreachable")
          .withEffect("NoExecute")
          .withTimeAdded("2026-01-01T00:00:00Z")
          .build();

  static Pod pod(String name, String key, String operator, String effect, Long seconds) {
    PodBuilder b =
        new PodBuilder().withNewMetadata().withNamespace("ns").withName(name).endMetadata();
    b.withNewSpec().endSpec();
    if (operator != null) {
      b.editSpec()
          .addNewToleration()
          .withKey(key)
          .withOperator(operator)
          .withEffect(effect)
          .withTolerationSeconds(seconds)
          .endToleration()
          .endSpec();
    }
    return b.build();
  }

  static Stream<Arguments> evictionCases() {
    String key = "node.kubernetes.io/unreachable";
    return Stream.of(
        Arguments.of("no toleration: at once", pod("p", null, null, null, null), 0, true, null),
        Arguments.of(
            "default 300 s toleration: not before 300 s",
            pod("p", key, "Exists", "NoExecute", 300L),
            299,
            false,
            T0.plusSeconds(300)),
        Arguments.of(
            "default 300 s toleration: at 300 s",
            pod("p", key, "Exists", "NoExecute", 300L),
            300,
            true,
            null),
        Arguments.of(
            "toleration without seconds: never",
            pod("p", key, "Exists", "NoExecute", null),
            100000,
            false,
            null),
        Arguments.of(
            "toleration of every taint (empty key, Exists) for 2 s",
            pod("p", null, "Exists", null, 2L),
            2,
            true,
            null),
        Arguments.of(
            "a toleration of another taint does not help",
            pod("p", "node.kubernetes.io/not-ready", "Exists", "NoExecute", 300L),
            0,
            true,
            null),
        Arguments.of(
            "a NoSchedule toleration does not help",
            pod("p", key, "Exists", "NoSchedule", null),
            0,
            true,
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("evictionCases")
  void evictsPodsWhenTheirTolerationRunsOut(
      String name, Pod pod, int secondsAfterTaint, boolean evicted, Instant next) {
    TaintEvictions.Plan plan =
        TaintEvictions.plan(List.of(pod), NO_EXECUTE, T0.plusSeconds(secondsAfterTaint));
    assertThat(plan.evictNow()).hasSize(evicted ? 1 : 0);
    assertThat(plan.next()).isEqualTo(next);
  }

  @Test
  void podsAlreadyTerminatingAreLeftAlone() {
    Pod terminating =
        new PodBuilder(pod("p", null, null, null, null))
            .editMetadata()
            .withDeletionTimestamp("2026-01-01T00:00:30Z")
            .endMetadata()
            .build();
    assertThat(TaintEvictions.plan(List.of(terminating), NO_EXECUTE, T0).evictNow()).isEmpty();
  }
}
