package io.nauta.controllers.autoscaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.nauta.controllers.autoscaling.ReplicaCalculator.Proposal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Upstream's algorithm against hand-computed expectations (the comments show the arithmetic). */
class ReplicaCalculatorTest {

  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
  private static final Duration WINDOW = Duration.ofSeconds(15);
  private final ReplicaCalculator calc = new ReplicaCalculator();

  /** A running pod, ready for 10 minutes, with one container requesting {@code cpu}. */
  private static Pod pod(String name, String cpu) {
    return pod(name, "Running", "True", NOW.minusSeconds(600), NOW.minusSeconds(590), cpu);
  }

  private static Pod pod(
      String name, String phase, String ready, Instant start, Instant transition, String cpu) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withNewResources()
        .addToRequests("cpu", new Quantity(cpu))
        .addToRequests("memory", new Quantity("100Mi"))
        .endResources()
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase(phase)
        .withStartTime(start.toString())
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready)
        .withLastTransitionTime(transition.toString())
        .endCondition()
        .endStatus()
        .build();
  }

  private static Map<String, PodMetric> usage(long... milli) {
    Map<String, PodMetric> m = new HashMap<>();
    for (int i = 0; i < milli.length; i++) {
      if (milli[i] >= 0) {
        m.put("p" + i, new PodMetric(NOW.minusSeconds(5), WINDOW, milli[i]));
      }
    }
    return m;
  }

  private static List<Pod> pods(int n, String cpu) {
    List<Pod> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(pod("p" + i, cpu));
    }
    return out;
  }

  private Proposal cpu(int current, int target, List<Pod> pods, Map<String, PodMetric> m) {
    return calc.resourceReplicas(current, target, "cpu", null, pods, m, NOW);
  }

  @Test
  void scalesUpToTheCeilingOfCurrentTimesUsageOverTarget() {
    // 1500m of 3000m requested = 50 %; 50/30 = 1.667; ceil(1.667 * 3) = 5
    Proposal p = cpu(3, 30, pods(3, "1"), usage(300, 500, 700));
    assertThat(p.replicas()).isEqualTo(5);
    assertThat(p.utilization()).isEqualTo(50);
    assertThat(p.rawAverage()).isEqualTo(500);
  }

  @Test
  void scalesDown() {
    // 1400m of 5000m = 28 %; 28/50 = 0.56; ceil(0.56 * 5) = ceil(2.8) = 3
    Proposal p = cpu(5, 50, pods(5, "1"), usage(100, 300, 500, 250, 250));
    assertThat(p.replicas()).isEqualTo(3);
    assertThat(p.utilization()).isEqualTo(28);
  }

  @Test
  void keepsTheCountWithinTheTenPercentTolerance() {
    // 3270m of 3000m = 109 %: ratio 1.09, |1 - 1.09| <= 0.1 -> no change
    assertThat(cpu(3, 100, pods(3, "1"), usage(1090, 1090, 1090)).replicas()).isEqualTo(3);
    // exactly 110 % scales, as upstream's float64 arithmetic does: |1 - 1.1| is
    // 0.10000000000000009 > 0.1 -> ceil(3.3) = 4
    assertThat(cpu(3, 100, pods(3, "1"), usage(1100, 1100, 1100)).replicas()).isEqualTo(4);
    // 2700m = 90 %: ratio 0.90 -> no change
    assertThat(cpu(3, 100, pods(3, "1"), usage(900, 900, 900)).replicas()).isEqualTo(3);
    // 3330m = 111 %: ratio 1.11 -> ceil(3.33) = 4
    assertThat(cpu(3, 100, pods(3, "1"), usage(1110, 1110, 1110)).replicas()).isEqualTo(4);
    // 2670m = 89 %: ratio 0.89 -> ceil(2.67) = 3 (no fewer pods: still 3)
    assertThat(cpu(3, 100, pods(3, "1"), usage(890, 890, 890)).replicas()).isEqualTo(3);
    // 88 % on 10 pods: ceil(8.8) = 9
    long[] ten = new long[10];
    java.util.Arrays.fill(ten, 880);
    assertThat(cpu(10, 100, pods(10, "1"), usage(ten)).replicas()).isEqualTo(9);
  }

  @Test
  void aScaleUpCountsPodsWithoutMetricsAsIdle() {
    // measured: 3000m of 2000m = 150 %, ratio 3; the missing pod at 0: 3000/3000 = 100 %,
    // ratio 2; ceil(2 * 3) = 6. The reported utilization is the measured one.
    Proposal p = cpu(3, 50, pods(3, "1"), usage(1500, 1500, -1));
    assertThat(p.replicas()).isEqualTo(6);
    assertThat(p.utilization()).isEqualTo(150);
  }

  @Test
  void aScaleDownCountsPodsWithoutMetricsAsUsingTheirWholeRequest() {
    // measured: 300m of 3000m = 10 %, ratio 0.2; the missing pod at 100 % of 1000m:
    // 1300/4000 = 32 %, ratio 0.64; ceil(0.64 * 4) = ceil(2.56) = 3
    assertThat(cpu(4, 50, pods(4, "1"), usage(100, 100, 100, -1)).replicas()).isEqualTo(3);
  }

  @Test
  void missingMetricsThatReverseTheDirectionKeepTheCount() {
    // measured: 600/1000 = 60 %, ratio 1.2 (up); with the missing pod at 0: 30 %, ratio 0.6
    // (down): the direction flipped, nothing changes
    assertThat(cpu(2, 50, pods(2, "1"), usage(600, -1)).replicas()).isEqualTo(2);
  }

  @Test
  void missingMetricsThatBringTheRatioWithinToleranceKeepTheCount() {
    // measured 1000/1000 = 100 %, ratio 2; with the missing pod at 0: 50 %, ratio 1.0
    assertThat(cpu(2, 50, pods(2, "1"), usage(1000, -1)).replicas()).isEqualTo(2);
  }

  @Test
  void unreadyPodsCountAsIdleOnACpuScaleUp() {
    List<Pod> pods = pods(2, "1");
    // started a minute ago, not ready yet, burning CPU as it starts
    pods.add(pod("p2", "Running", "False", NOW.minusSeconds(60), NOW.minusSeconds(60), "1"));
    // ready pods: 2000/2000 = 100 %, ratio 2; p2 at 0: 2000/3000 = 66 %, ratio 1.32;
    // ceil(1.32 * 3) = ceil(3.96) = 4 (had p2's 1000m counted: 100 % -> 6)
    Proposal p = cpu(3, 50, pods, usage(1000, 1000, 1000));
    assertThat(p.replicas()).isEqualTo(4);
    assertThat(p.utilization()).isEqualTo(100);
  }

  @Test
  void unreadyPodsAreLeftOutOfAScaleDown() {
    List<Pod> pods = pods(2, "1");
    pods.add(pod("p2", "Running", "False", NOW.minusSeconds(60), NOW.minusSeconds(60), "1"));
    // ready pods: 200/2000 = 10 %, ratio 0.2; ceil(0.2 * 2 ready) = 1
    assertThat(cpu(3, 50, pods, usage(100, 100, 900)).replicas()).isEqualTo(1);
  }

  @Test
  void pendingPodsAreUnready() {
    List<Pod> pods = pods(2, "1");
    pods.add(pod("p2", "Pending", "False", NOW.minusSeconds(10), NOW.minusSeconds(10), "1"));
    // as above with p2 pending and unmeasured: ratio 2, then 2000/3000 -> 4
    assertThat(cpu(3, 50, pods, usage(1000, 1000, -1)).replicas()).isEqualTo(4);
  }

  @Test
  void deletedAndFailedPodsAreIgnored() {
    List<Pod> pods = pods(2, "1");
    pods.add(pod("p2", "Failed", "False", NOW.minusSeconds(600), NOW.minusSeconds(10), "1"));
    Pod deleting = pod("p3", "1");
    deleting.getMetadata().setDeletionTimestamp(NOW.minusSeconds(1).toString());
    pods.add(deleting);
    // counted: p0, p1: 2000/2000 = 100 %, ratio 2; ceil(2 * 2) = 4; neither p2's 5000m nor p3's
    // missing metric (which would be a 0 on a scale-up) changes it
    assertThat(cpu(4, 50, pods, usage(1000, 1000, 5000, -1)).replicas()).isEqualTo(4);
  }

  @Test
  void aSampleTakenBeforeThePodTurnedReadyIsNotTrustedDuringInitialization() {
    List<Pod> pods = pods(1, "1");
    // started 2 min ago (within the 5 min initialization), ready 10 s ago: the 15 s sample that
    // ended 5 s ago began before it turned ready
    pods.add(pod("p1", "Running", "True", NOW.minusSeconds(120), NOW.minusSeconds(10), "1"));
    // p0: 1000/1000 = 100 %, ratio 2; p1 at 0: 1000/2000 = 50 %, ratio 1 -> within tolerance
    assertThat(cpu(2, 50, pods, usage(1000, 2000)).replicas()).isEqualTo(2);
    // ready 60 s ago: its sample is trusted: 3000/2000 = 150 %, ratio 3 -> 6
    pods.set(1, pod("p1", "Running", "True", NOW.minusSeconds(120), NOW.minusSeconds(60), "1"));
    assertThat(cpu(2, 50, pods, usage(1000, 2000)).replicas()).isEqualTo(6);
  }

  @Test
  void afterInitializationOnlyAPodThatWasNeverReadyIsUnready() {
    List<Pod> pods = pods(1, "1");
    // started 10 min ago, unready since 20 s after its start: never was ready
    pods.add(pod("p1", "Running", "False", NOW.minusSeconds(600), NOW.minusSeconds(580), "1"));
    // p1 left out and filled with 0: 1000/2000 = 50 %, ratio 1 -> 2
    assertThat(cpu(2, 50, pods, usage(1000, 1000)).replicas()).isEqualTo(2);
    // unready since 60 s after its start: it was ready once, its sample counts:
    // 2000/2000 = 100 %, ratio 2 -> 4
    pods.set(1, pod("p1", "Running", "False", NOW.minusSeconds(600), NOW.minusSeconds(540), "1"));
    assertThat(cpu(2, 50, pods, usage(1000, 1000)).replicas()).isEqualTo(4);
  }

  @Test
  void readinessDoesNotMatterForMemory() {
    List<Pod> pods = pods(1, "1");
    pods.add(pod("p1", "Running", "False", NOW.minusSeconds(60), NOW.minusSeconds(60), "1"));
    long mi = 1024L * 1024 * 1000; // 1Mi in millibytes
    // 150Mi + 150Mi of 200Mi requested = 150 %, target 50 %: ratio 3 -> ceil(3 * 2) = 6
    Proposal p = calc.resourceReplicas(2, 50, "memory", null, pods, usage(150 * mi, 150 * mi), NOW);
    assertThat(p.replicas()).isEqualTo(6);
  }

  @Test
  void aContainerResourceCountsOnlyThatContainersRequest() {
    Pod p0 = pod("p0", "1");
    p0.getSpec()
        .getContainers()
        .add(
            new io.fabric8.kubernetes.api.model.ContainerBuilder()
                .withName("sidecar")
                .withNewResources()
                .addToRequests("cpu", new Quantity("3"))
                .endResources()
                .build());
    // the metric is app's alone (the source sums that container): 1000m of app's 1000m = 100 %,
    // ratio 2 -> 2; counted against the pod's 4000m it would have been 25 % -> 1
    Proposal p = calc.resourceReplicas(1, 50, "cpu", "app", List.of(p0), usage(1000), NOW);
    assertThat(p.replicas()).isEqualTo(2);
    assertThat(p.utilization()).isEqualTo(100);
  }

  @Test
  void aMissingRequestIsAnError() {
    Pod p0 = pod("p0", "1");
    p0.getSpec().getContainers().get(0).getResources().getRequests().remove("cpu");
    assertThat(cpu(1, 50, List.of(p0), usage(100)).error())
        .isEqualTo("missing request for cpu in container app of Pod p0");
  }

  @Test
  void noPodsOrNoMetricsAreErrors() {
    assertThat(cpu(1, 50, List.of(), usage()).error())
        .isEqualTo("no pods returned by selector while calculating replica count");
    assertThat(cpu(1, 50, pods(2, "1"), usage()).error())
        .isEqualTo("did not receive metrics for targeted pods (pods might be unready)");
  }

  @Test
  void anAverageValueTargetScalesOnTheAverageUsagePerPod() {
    long mi = 1024L * 1024 * 1000;
    // (300Mi + 300Mi) / 2 = 300Mi, target 200Mi: ratio 1.5 -> ceil(1.5 * 2) = 3
    Proposal p =
        calc.averageValueReplicas(
            2, 200 * mi, "memory", pods(2, "1"), usage(300 * mi, 300 * mi), NOW);
    assertThat(p.replicas()).isEqualTo(3);
    assertThat(p.rawAverage()).isEqualTo(300 * mi);
    // 210Mi: ratio 1.05, within tolerance
    assertThat(
            calc.averageValueReplicas(
                    2, 200 * mi, "memory", pods(2, "1"), usage(210 * mi, 210 * mi), NOW)
                .replicas())
        .isEqualTo(2);
    // scale-down with a missing pod, filled in at the target: (50 + 50 + 200) / 3 = 100Mi,
    // ratio 0.5 -> ceil(1.5) = 2
    assertThat(
            calc.averageValueReplicas(
                    3, 200 * mi, "memory", pods(3, "1"), usage(50 * mi, 50 * mi, -1), NOW)
                .replicas())
        .isEqualTo(2);
  }

  @Test
  void milliValuesRoundUp() {
    assertThat(ReplicaCalculator.milli(new Quantity("100m"))).isEqualTo(100);
    assertThat(ReplicaCalculator.milli(new Quantity("1.5"))).isEqualTo(1500);
    assertThat(ReplicaCalculator.milli(new Quantity("1Mi"))).isEqualTo(1048576000L);
  }
}
