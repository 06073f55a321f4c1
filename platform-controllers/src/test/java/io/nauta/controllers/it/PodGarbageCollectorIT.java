package io.nauta.controllers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.client.WatchEvent;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The pod garbage collector against a real API server: no scheduler and no kubelet, so nothing but
 * the collector deletes or changes these pods.
 */
class PodGarbageCollectorIT {

  static final Duration T = Duration.ofSeconds(10);
  static TestCluster cluster;
  static ResourceClient<Pod> pods;
  static ResourceClient<Node> nodes;

  @BeforeAll
  static void start() {
    cluster =
        TestCluster.start(
            0,
            "8",
            "nauta.controllers.terminated-pod-gc-threshold=3",
            "nauta.controllers.pod-gc-check-period=1s",
            "nauta.controllers.pod-gc-orphan-quarantine=2s");
    pods = cluster.client.resource(BuiltInResources.PODS, Pod.class);
    nodes = cluster.client.resource(BuiltInResources.NODES, Node.class);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static void namespace(String name) {
    cluster
        .client
        .resource(BuiltInResources.NAMESPACES, Namespace.class)
        .create(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .block(T);
  }

  static Pod pod(String ns, String name, String node) {
    return pods.create(podBuilder(ns, name, node).build()).block(T);
  }

  static PodBuilder podBuilder(String ns, String name, String node) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .addNewContainer()
        .withName("c")
        .withImage("busybox")
        .endContainer()
        .endSpec();
  }

  static void node(String name) {
    nodes.create(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build()).block(T);
  }

  static boolean exists(String ns, String name) {
    return pods.get(ns, name)
        .map(p -> true)
        .onErrorResume(NotFoundException.class, e -> Mono.just(false))
        .block(T);
  }

  @Test
  void podsOfADeletedNodeAreFailedThenDeletedAfterTheQuarantine() {
    namespace("gc-orphans");
    node("gone-1");
    node("stays-1");
    pod("gc-orphans", "on-gone", "gone-1");
    pod("gc-orphans", "on-stays", "stays-1");
    // Bound to a node that does not exist yet: the node arrives within the quarantine.
    pod("gc-orphans", "on-late", "late-1");
    node("late-1");
    String rv = pods.list("gc-orphans", ListOptions.none()).block(T).resourceVersion();
    List<WatchEvent<Pod>> seen = new CopyOnWriteArrayList<>();
    Disposable watch =
        pods.watch("gc-orphans", ListOptions.none().withResourceVersion(rv)).subscribe(seen::add);
    try {
      nodes.delete(null, "gone-1").block(T);
      await().atMost(Duration.ofSeconds(20)).until(() -> !exists("gc-orphans", "on-gone"));
      // Made Failed with upstream's condition before it went, so its owner learns why.
      await()
          .atMost(T)
          .untilAsserted(
              () ->
                  assertThat(seen)
                      .anySatisfy(
                          e -> {
                            assertThat(e.object().getMetadata().getName()).isEqualTo("on-gone");
                            assertThat(e.object().getStatus().getPhase()).isEqualTo("Failed");
                            assertThat(e.object().getStatus().getConditions())
                                .anySatisfy(
                                    c -> {
                                      assertThat(c.getType()).isEqualTo("DisruptionTarget");
                                      assertThat(c.getReason()).isEqualTo("DeletionByPodGC");
                                      assertThat(c.getMessage())
                                          .isEqualTo("PodGC: node no longer exists");
                                    });
                          }));
    } finally {
      watch.dispose();
    }
    assertThat(exists("gc-orphans", "on-stays")).isTrue();
    assertThat(exists("gc-orphans", "on-late")).isTrue();
    assertThat(pods.get("gc-orphans", "on-late").block(T).getStatus().getPhase())
        .isNotEqualTo("Failed");
  }

  @Test
  void terminatedPodsBeyondTheThresholdGoEvictedFirstThenOldest() {
    namespace("gc-done");
    for (int i = 0; i < 5; i++) {
      Pod p = pod("gc-done", "done-" + i, null);
      boolean evicted = i == 4;
      p.setStatus(
          new io.fabric8.kubernetes.api.model.PodStatusBuilder()
              .withPhase(evicted ? "Failed" : "Succeeded")
              .withReason(evicted ? "Evicted" : null)
              .build());
      pods.updateStatus(p).block(T);
    }
    // Threshold 3 of 5: the evicted pod goes first although it is the newest, then the oldest.
    await()
        .atMost(T)
        .untilAsserted(
            () ->
                assertThat(
                        pods.list("gc-done", ListOptions.none()).block(T).items().stream()
                            .map(p -> p.getMetadata().getName())
                            .sorted()
                            .toList())
                    .containsExactly("done-1", "done-2", "done-3"));
  }

  @Test
  void anUnscheduledTerminatingPodIsFailedAndForceDeleted() {
    namespace("gc-unscheduled");
    Pod held =
        pods.create(
                podBuilder("gc-unscheduled", "held", null)
                    .editMetadata()
                    .withFinalizers("example.com/hold")
                    .endMetadata()
                    .build())
            .block(T);
    assertThat(held.getSpec().getNodeName()).isNull();
    pods.delete("gc-unscheduled", "held").block(T);
    // The finalizer keeps the object; the collector's mark shows it acted on it.
    await()
        .atMost(T)
        .untilAsserted(
            () ->
                assertThat(pods.get("gc-unscheduled", "held").block(T).getStatus().getPhase())
                    .isEqualTo("Failed"));
    Pod marked = pods.get("gc-unscheduled", "held").block(T);
    marked.getMetadata().setFinalizers(List.of());
    pods.update(marked).block(T);
    await().atMost(T).until(() -> !exists("gc-unscheduled", "held"));
  }
}
