package io.nauta.federation.scheduling;

import static io.nauta.federation.scheduling.Fixtures.cluster;
import static io.nauta.federation.scheduling.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.nauta.core.informer.InformerEvent;
import io.nauta.federation.api.Cluster;
import io.nauta.federation.api.GracefulEvictionTask;
import io.nauta.federation.api.ResourceBinding;
import io.nauta.federation.api.ResourceBindingSpec;
import io.nauta.federation.api.ResourceBindingStatus;
import io.nauta.federation.api.TargetCluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulingControllerTest {

  private static TargetCluster target(String name, Integer replicas) {
    return new TargetCluster(name, replicas, null);
  }

  @Test
  void describesResultsAndMovesAsEventsSayThem() {
    List<TargetCluster> before = List.of(target("asia-2", 6), target("usa-3", 3));
    List<TargetCluster> after = List.of(target("europe-1", 2), target("usa-3", 4));
    assertThat(SchedulingController.describe(after)).isEqualTo("europe-1:2, usa-3:4");
    assertThat(SchedulingController.moves(before, after))
        .isEqualTo(" (asia-2 6->removed, europe-1 added:2, usa-3 3->4)");
    assertThat(SchedulingController.moves(null, after)).isEmpty();
  }

  @Test
  void theDecidedSpecKeepsAnEqualDecisionAndAddsEvictions() {
    ResourceBindingSpec spec =
        spec(
            """
            resource: {kind: Deployment, name: web}
            replicas: 9
            clusters: [{name: usa-3, replicas: 3}, {name: asia-2, replicas: 6}]
            """);
    ScheduleResult same =
        new ScheduleResult(
            true, "Success", "", List.of(target("asia-2", 6), target("usa-3", 3)), List.of(), null);
    // Same decision in another order: the spec stays equal, so nothing is written.
    assertThat(SchedulingController.decidedSpec(spec, same)).isEqualTo(spec);

    GracefulEvictionTask task =
        new GracefulEvictionTask(
            "asia-2",
            null,
            6,
            "TaintUntolerated",
            "m",
            "TaintManager",
            null,
            null,
            null,
            "t",
            null);
    ScheduleResult evicted =
        new ScheduleResult(
            true, "Success", "", List.of(target("usa-3", 9)), List.of(task), Duration.ZERO);
    ResourceBindingSpec decided = SchedulingController.decidedSpec(spec, evicted);
    assertThat(decided.clusters()).containsExactly(target("usa-3", 9));
    assertThat(decided.gracefulEvictionTasks()).containsExactly(task);
    assertThat(decided.replicas()).isEqualTo(9);
  }

  @Test
  void aBindingWithoutClustersThatFitsNoneKeepsNone() {
    ResourceBindingSpec spec = spec("resource: {kind: ConfigMap, name: settings}");
    ScheduleResult none =
        new ScheduleResult(false, "NoClusterFit", "0/0 clusters", List.of(), List.of(), null);
    assertThat(SchedulingController.decidedSpec(spec, none).clusters()).isNull();
    ScheduleResult failed =
        new ScheduleResult(false, "SchedulerError", "boom", null, List.of(), null);
    assertThat(SchedulingController.decidedSpec(spec, failed).clusters()).isNull();
  }

  @Test
  void aBindingsStatusWriteDoesNotWakeTheScheduler() {
    ResourceBinding before = binding(1L, null);
    ResourceBinding aggregated =
        binding(1L, new ResourceBindingStatus(1L, null, null, List.of(), List.of()));
    assertThat(relevant(InformerEvent.Type.UPDATED, before, aggregated)).isFalse();
    assertThat(relevant(InformerEvent.Type.UPDATED, before, binding(2L, null))).isTrue();
    assertThat(relevant(InformerEvent.Type.ADDED, null, before)).isTrue();
    assertThat(relevant(InformerEvent.Type.DELETED, before, before)).isTrue();
  }

  private static boolean relevant(
      InformerEvent.Type type, ResourceBinding before, ResourceBinding after) {
    return SchedulingController.relevantBindingChange(new InformerEvent<>(type, before, after));
  }

  private static ResourceBinding binding(Long generation, ResourceBindingStatus status) {
    return new ResourceBinding(
        new ObjectMetaBuilder()
            .withName("web")
            .withNamespace("shop")
            .withGeneration(generation)
            .build(),
        spec("resource: {kind: Deployment, name: web}"),
        status);
  }

  @Test
  void onlyClusterChangesBeyondStatusReexamineBindings() {
    Cluster before = cluster("usa-3", "us", 10);
    Cluster roomier = cluster("usa-3", "us", 20);
    Cluster moved = cluster("usa-3", "eu", 10);
    assertThat(
            SchedulingController.relevantClusterChange(
                new InformerEvent<>(InformerEvent.Type.UPDATED, before, roomier)))
        .isFalse();
    assertThat(
            SchedulingController.relevantClusterChange(
                new InformerEvent<>(InformerEvent.Type.UPDATED, before, moved)))
        .isTrue();
    assertThat(
            SchedulingController.relevantClusterChange(
                new InformerEvent<>(InformerEvent.Type.ADDED, null, before)))
        .isTrue();
    assertThat(
            SchedulingController.relevantClusterChange(
                new InformerEvent<>(InformerEvent.Type.DELETED, before, before)))
        .isTrue();
  }
}
