package io.nauta.controllers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The node lifecycle controller against a real API server and simulated kubelets. */
class NodeLifecycleIT {

  static final Duration T = Duration.ofSeconds(10);
  static TestCluster cluster;
  static ResourceClient<Pod> pods;
  static ResourceClient<Node> nodes;
  static ResourceClient<Event> events;

  @BeforeAll
  static void start() {
    cluster =
        TestCluster.start(
            2,
            "8",
            "nauta.controllers.node-monitor-grace-period=5s",
            "nauta.controllers.node-monitor-period=1s");
    pods = cluster.client.resource(BuiltInResources.PODS, Pod.class);
    nodes = cluster.client.resource(BuiltInResources.NODES, Node.class);
    events = cluster.client.resource(BuiltInResources.EVENTS, Event.class);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A pod on {@code node} tolerating unreachable nodes for {@code seconds} (null: forever). */
  static Pod pod(String name, String node, Long seconds) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .addNewContainer()
        .withName("c")
        .withImage("busybox")
        .endContainer()
        .addNewToleration()
        .withKey("node.kubernetes.io/unreachable")
        .withOperator("Exists")
        .withEffect("NoExecute")
        .withTolerationSeconds(seconds)
        .endToleration()
        .endSpec()
        .build();
  }

  static Node node(String name) {
    return nodes.get(null, name).block(T);
  }

  static String condition(Node n, String type) {
    return n.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .map(c -> c.getStatus() + "/" + c.getReason())
        .findFirst()
        .orElse("absent");
  }

  static List<String> unreachableTaints(Node n) {
    return n.getSpec() == null || n.getSpec().getTaints() == null
        ? List.of()
        : n.getSpec().getTaints().stream()
            .filter(t -> t.getKey().equals("node.kubernetes.io/unreachable"))
            .map(Taint::getEffect)
            .sorted()
            .toList();
  }

  /** Marked for deletion, or already gone. */
  static boolean evicted(String name) {
    Pod p =
        pods.get("default", name)
            .onErrorResume(NotFoundException.class, e -> Mono.empty())
            .block(T);
    return p == null || p.getMetadata().getDeletionTimestamp() != null;
  }

  static boolean hasEvent(String reason, String involvedName) {
    return events.list(null, ListOptions.none()).block(T).items().stream()
        .anyMatch(
            e ->
                reason.equals(e.getReason())
                    && involvedName.equals(e.getInvolvedObject().getName()));
  }

  @Test
  void aSilentNodeIsMarkedUnknownTaintedAndDrainedAndUntaintedWhenItComesBack() {
    pods.create(pod("short", "node-1", 2L)).block(T);
    pods.create(pod("forever", "node-1", null)).block(T);
    pods.create(pod("elsewhere", "node-0", 2L)).block(T);
    await()
        .atMost(T)
        .until(
            () ->
                pods.list("default", ListOptions.none()).block(T).items().stream()
                        .filter(p -> "Running".equals(p.getStatus().getPhase()))
                        .count()
                    == 3);
    assertThat(condition(node("node-1"), "Ready")).isEqualTo("True/KubeletReady");

    Instant silentFrom = Instant.now();
    cluster.kubelet.stopRenewing("node-1");
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              Node n = node("node-1");
              assertThat(condition(n, "Ready")).isEqualTo("Unknown/NodeStatusUnknown");
              assertThat(condition(n, "MemoryPressure")).isEqualTo("Unknown/NodeStatusUnknown");
              assertThat(condition(n, "DiskPressure")).isEqualTo("Unknown/NodeStatusUnknown");
              assertThat(condition(n, "PIDPressure")).isEqualTo("Unknown/NodeStatusUnknown");
              assertThat(unreachableTaints(n)).containsExactly("NoExecute", "NoSchedule");
            });
    // Not before the grace period (5 s, minus the up to 2 s since the last renewal).
    assertThat(Duration.between(silentFrom, Instant.now())).isGreaterThan(Duration.ofSeconds(2));
    NodeCondition ready =
        node("node-1").getStatus().getConditions().stream()
            .filter(c -> c.getType().equals("Ready"))
            .findFirst()
            .orElseThrow();
    assertThat(ready.getMessage()).isEqualTo("Kubelet stopped posting node status.");
    Instant taintedAt =
        Instant.parse(
            node("node-1").getSpec().getTaints().stream()
                .filter(t -> t.getEffect().equals("NoExecute"))
                .findFirst()
                .orElseThrow()
                .getTimeAdded());

    // The pod tolerating the taint for 2 s goes; the one tolerating it forever stays, and so does
    // the pod on the healthy node.
    await().atMost(T).until(() -> evicted("short"));
    assertThat(Instant.now()).isAfterOrEqualTo(taintedAt.plusSeconds(2));
    assertThat(evicted("forever")).isFalse();
    assertThat(evicted("elsewhere")).isFalse();
    await().atMost(T).until(() -> hasEvent("NodeNotReady", "node-1"));
    await().atMost(T).until(() -> hasEvent("TaintManagerEviction", "short"));
    assertThat(unreachableTaints(node("node-0"))).isEmpty();

    // New pods go to the healthy node only.
    pods.create(
            new PodBuilder(pod("new", null, null))
                .editSpec()
                .withNodeName(null)
                .withTolerations(List.of())
                .endSpec()
                .build())
        .block(T);
    await()
        .atMost(T)
        .untilAsserted(
            () ->
                assertThat(pods.get("default", "new").block(T).getSpec().getNodeName())
                    .isEqualTo("node-0"));

    // The node's Lease is renewed again: untainted and Ready.
    cluster.kubelet.resumeRenewing("node-1");
    await()
        .atMost(T)
        .untilAsserted(
            () -> {
              Node n = node("node-1");
              assertThat(unreachableTaints(n)).isEmpty();
              assertThat(condition(n, "Ready")).isEqualTo("True/KubeletReady");
            });
    assertThat(evicted("forever")).isFalse();
  }
}
