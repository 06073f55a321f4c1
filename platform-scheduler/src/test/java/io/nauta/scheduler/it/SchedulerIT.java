package io.nauta.scheduler.it;

import static io.nauta.scheduler.it.Cluster.T;
import static io.nauta.scheduler.it.Cluster.pod;
import static io.nauta.scheduler.it.Cluster.taint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.ListOptions;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler against a real API server on real Redis, with three nodes of different sizes,
 * labels and taints: each pod lands where Kubernetes' scheduler would put it, or stays Pending with
 * Kubernetes' condition, message and FailedScheduling event.
 */
class SchedulerIT {

  private static final String NS = "sched";

  private TestApiServer api;
  private TestScheduler scheduler;
  private Cluster cluster;

  @BeforeEach
  void start() {
    api = TestApiServer.startOnEmptyRedis("server.shutdown=immediate");
    cluster = new Cluster(api);
    // Its pods book host ports, which Pod Security's default (baseline) refuses.
    cluster.privilegedNamespace(NS);
    // small: zone-a, hdd; large: zone-b, ssd; gpu: zone-b, 2 GPUs, tainted for GPU work only.
    cluster.node(
        "small",
        Map.of("cpu", "2", "memory", "4Gi"),
        Map.of("topology.kubernetes.io/zone", "zone-a", "disk", "hdd"));
    cluster.node(
        "large",
        Map.of("cpu", "8", "memory", "16Gi"),
        Map.of("topology.kubernetes.io/zone", "zone-b", "disk", "ssd"));
    cluster.node(
        "gpu",
        Map.of("cpu", "4", "memory", "8Gi", "nvidia.com/gpu", "2"),
        Map.of("topology.kubernetes.io/zone", "zone-b", "accelerator", "nvidia"),
        taint("dedicated", "gpu", "NoSchedule"));
    scheduler = TestScheduler.start(api);
  }

  @AfterEach
  void stop() {
    if (scheduler != null) {
      scheduler.close();
    }
    api.close();
  }

  @Test
  void placesAPodOnTheLeastAllocatedNodeItTolerates() {
    cluster.create(pod(NS, "web", Map.of("cpu", "1", "memory", "1Gi")));

    assertThat(awaitNode("web")).isEqualTo("large");
    PodCondition scheduled = condition(cluster.get(NS, "web"));
    assertThat(scheduled.getStatus()).isEqualTo("True");
    await()
        .atMost(T)
        .untilAsserted(
            () ->
                assertThat(events("web"))
                    .anySatisfy(
                        e -> {
                          assertThat(e.getReason()).isEqualTo("Scheduled");
                          assertThat(e.getMessage())
                              .isEqualTo("Successfully assigned sched/web to large");
                          assertThat(e.getSource().getComponent()).isEqualTo("default-scheduler");
                        }));
  }

  @Test
  void followsNodeSelectorsAndRequiredNodeAffinity() {
    cluster.create(
        pod(NS, "by-selector", Map.of())
            .editSpec()
            .withNodeSelector(Map.of("disk", "hdd"))
            .endSpec());
    cluster.create(
        pod(NS, "by-affinity", Map.of())
            .editSpec()
            .withNewAffinity()
            .withNewNodeAffinity()
            .withNewRequiredDuringSchedulingIgnoredDuringExecution()
            .addNewNodeSelectorTerm()
            .addNewMatchExpression()
            .withKey("topology.kubernetes.io/zone")
            .withOperator("NotIn")
            .withValues("zone-a")
            .endMatchExpression()
            .addNewMatchExpression()
            .withKey("disk")
            .withOperator("Exists")
            .endMatchExpression()
            .endNodeSelectorTerm()
            .endRequiredDuringSchedulingIgnoredDuringExecution()
            .endNodeAffinity()
            .endAffinity()
            .endSpec());
    cluster.create(
        pod(NS, "nowhere", Map.of()).editSpec().withNodeSelector(Map.of("disk", "nvme")).endSpec());

    assertThat(awaitNode("by-selector")).isEqualTo("small");
    assertThat(awaitNode("by-affinity")).isEqualTo("large");
    assertPending(
        "nowhere",
        "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, "
            + "2 node(s) didn't match Pod's node affinity/selector.");
  }

  @Test
  void gpuPodsTolerateTheTaintAndCountDevices() {
    for (String name : List.of("train-1", "train-2", "train-3")) {
      cluster.create(
          pod(NS, name, Map.of("nvidia.com/gpu", "1"))
              .editSpec()
              .addToTolerations(
                  new TolerationBuilder()
                      .withKey("dedicated")
                      .withOperator("Equal")
                      .withValue("gpu")
                      .withEffect("NoSchedule")
                      .build())
              .endSpec());
    }
    await().atMost(T).until(() -> boundCount(List.of("train-1", "train-2", "train-3")) == 2);
    String pending =
        List.of("train-1", "train-2", "train-3").stream()
            .filter(n -> cluster.nodeOf(NS, n) == null)
            .findFirst()
            .orElseThrow();
    assertPending(pending, "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.");
    for (String name : List.of("train-1", "train-2", "train-3")) {
      if (!name.equals(pending)) {
        assertThat(cluster.nodeOf(NS, name)).isEqualTo("gpu");
      }
    }
  }

  @Test
  void aPodThatFitsNowhereWaitsWithKubernetesMessageAndLandsWhenANodeArrives() {
    cluster.create(pod(NS, "big", Map.of("cpu", "10")));

    String message =
        "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, "
            + "2 Insufficient cpu.";
    assertPending("big", message);
    await()
        .atMost(T)
        .untilAsserted(
            () ->
                assertThat(events("big"))
                    .anySatisfy(
                        e -> {
                          assertThat(e.getType()).isEqualTo("Warning");
                          assertThat(e.getReason()).isEqualTo("FailedScheduling");
                          assertThat(e.getMessage()).isEqualTo(message);
                        }));

    cluster.node("huge", Map.of("cpu", "16", "memory", "64Gi"), Map.of());
    // Retried because a node was added, not after its back-off (which is up to 2 s here).
    assertThat(awaitNode("big")).isEqualTo("huge");
  }

  @Test
  void neverDoubleBooksANodeAndRetriesWhenAPodLeaves() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String name = "hdd-" + i;
      names.add(name);
      cluster.create(
          pod(NS, name, Map.of("cpu", "1"))
              .editSpec()
              .withNodeSelector(Map.of("disk", "hdd"))
              .endSpec());
    }
    await().atMost(T).until(() -> boundCount(names) == 2);
    String pending =
        names.stream().filter(n -> cluster.nodeOf(NS, n) == null).findFirst().orElseThrow();
    assertPending(
        pending,
        "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node"
            + " affinity/selector, 1 node(s) had untolerated taint {dedicated: gpu}.");
    // Still exactly two after the back-off has come round a few times.
    await().during(Duration.ofSeconds(2)).atMost(T).until(() -> boundCount(names) == 2);

    String bound =
        names.stream().filter(n -> cluster.nodeOf(NS, n) != null).findFirst().orElseThrow();
    // Without a node agent, only a zero grace period removes a bound pod at once.
    cluster
        .pods
        .delete(NS, bound, new DeleteOptionsBuilder().withGracePeriodSeconds(0L).build())
        .block(T);
    List<String> rest = names.stream().filter(n -> !n.equals(bound)).toList();
    await().atMost(T).until(() -> boundCount(rest) == 2);
  }

  @Test
  void requiredAntiAffinityKeepsReplicasApart() {
    PodAffinityTerm apart =
        new PodAffinityTermBuilder()
            .withTopologyKey("kubernetes.io/hostname")
            .withLabelSelector(new LabelSelectorBuilder().addToMatchLabels("app", "cache").build())
            .build();
    List<String> names = List.of("cache-0", "cache-1", "cache-2");
    for (String name : names) {
      cluster.create(
          pod(NS, name, Map.of())
              .editMetadata()
              .addToLabels("app", "cache")
              .endMetadata()
              .editSpec()
              .withNewAffinity()
              .withNewPodAntiAffinity()
              .addToRequiredDuringSchedulingIgnoredDuringExecution(apart)
              .endPodAntiAffinity()
              .endAffinity()
              .endSpec());
    }
    await().atMost(T).until(() -> boundCount(names) == 2);
    List<String> placed =
        names.stream().map(n -> cluster.nodeOf(NS, n)).filter(n -> n != null).toList();
    assertThat(placed).containsExactlyInAnyOrder("small", "large");
    String pending =
        names.stream().filter(n -> cluster.nodeOf(NS, n) == null).findFirst().orElseThrow();
    assertPending(
        pending,
        "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, "
            + "2 node(s) didn't match pod anti-affinity rules.");
  }

  @Test
  void podAffinityAndAntiAffinityFollowZones() {
    cluster.create(
        pod(NS, "db", Map.of())
            .editMetadata()
            .addToLabels("app", "db")
            .endMetadata()
            .editSpec()
            .withNodeSelector(Map.of("disk", "hdd"))
            .endSpec());
    assertThat(awaitNode("db")).isEqualTo("small");
    PodAffinityTerm nearDb =
        new PodAffinityTermBuilder()
            .withTopologyKey("topology.kubernetes.io/zone")
            .withLabelSelector(new LabelSelectorBuilder().addToMatchLabels("app", "db").build())
            .build();
    cluster.create(
        pod(NS, "near", Map.of())
            .editSpec()
            .withNewAffinity()
            .withNewPodAffinity()
            .addToRequiredDuringSchedulingIgnoredDuringExecution(nearDb)
            .endPodAffinity()
            .endAffinity()
            .endSpec());
    cluster.create(
        pod(NS, "far", Map.of())
            .editSpec()
            .withNewAffinity()
            .withNewPodAntiAffinity()
            .addToRequiredDuringSchedulingIgnoredDuringExecution(nearDb)
            .endPodAntiAffinity()
            .endAffinity()
            .endSpec());

    assertThat(awaitNode("near")).isEqualTo("small");
    assertThat(awaitNode("far")).isEqualTo("large");
  }

  @Test
  void hostPortsAreBookedOncePerNode() {
    List<String> names = List.of("port-0", "port-1", "port-2");
    for (String name : names) {
      PodBuilder p = pod(NS, name, Map.of());
      p.editSpec()
          .editFirstContainer()
          .addToPorts(new ContainerPortBuilder().withContainerPort(80).withHostPort(8080).build())
          .endContainer()
          .endSpec();
      cluster.create(p);
    }
    await().atMost(T).until(() -> boundCount(names) == 2);
    String pending =
        names.stream().filter(n -> cluster.nodeOf(NS, n) == null).findFirst().orElseThrow();
    assertPending(
        pending,
        "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, "
            + "2 node(s) didn't have free ports for the requested pod ports.");
  }

  @Test
  void cordonedAndNotReadyNodesAreSkipped() {
    Node large = cluster.nodes.get(null, "large").block(T);
    cluster
        .nodes
        .update(new NodeBuilder(large).editSpec().withUnschedulable(true).endSpec().build())
        .block(T);
    Node small = cluster.nodes.get(null, "small").block(T);
    cluster
        .nodes
        .updateStatus(
            new NodeBuilder(small)
                .editStatus()
                .editFirstCondition()
                .withStatus("False")
                .withReason("KubeletNotReady")
                .endCondition()
                .endStatus()
                .build())
        .block(T);

    cluster.create(pod(NS, "stuck", Map.of()));
    assertPending(
        "stuck",
        "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, "
            + "1 node(s) were not ready, 1 node(s) were unschedulable.");

    Node cordoned = cluster.nodes.get(null, "large").block(T);
    cluster
        .nodes
        .update(new NodeBuilder(cordoned).editSpec().withUnschedulable(false).endSpec().build())
        .block(T);
    assertThat(awaitNode("stuck")).isEqualTo("large");
  }

  @Test
  void podsForAnotherSchedulerAreLeftToIt() {
    cluster.create(pod(NS, "theirs", Map.of()).editSpec().withSchedulerName("batch").endSpec());
    cluster.create(pod(NS, "ours", Map.of()));
    awaitNode("ours");
    Pod theirs = cluster.get(NS, "theirs");
    assertThat(theirs.getSpec().getNodeName()).isNull();
    assertThat(condition(theirs)).isNull();

    try (TestScheduler batch = TestScheduler.start(api, "nauta.scheduler.name=batch")) {
      assertThat(awaitNode("theirs")).isNotNull();
      assertThat(batch.scheduledCount()).isEqualTo(1.0);
    }
  }

  private String awaitNode(String name) {
    return cluster.awaitNode(NS, name);
  }

  private long boundCount(List<String> names) {
    return names.stream().filter(n -> cluster.nodeOf(NS, n) != null).count();
  }

  private void assertPending(String name, String message) {
    cluster.assertPending(NS, name, "Unschedulable", message);
  }

  private static PodCondition condition(Pod pod) {
    return Cluster.podScheduled(pod);
  }

  private List<Event> events(String podName) {
    return cluster
        .client
        .resource(BuiltInResources.EVENTS, Event.class)
        .list(NS, ListOptions.none().withFieldSelector("involvedObject.name=" + podName))
        .block(T)
        .items();
  }
}
