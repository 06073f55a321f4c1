package io.nauta.controllers.it;

import static io.nauta.controllers.it.NodeLifecycleIT.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Kubernetes' disruption mode on ten simulated nodes in two zones: one silent node has its pods
 * evicted, but when every node goes silent at once (an agent process that stalls, a partition
 * between the nodes and the control plane) no pod is evicted.
 */
class NodeDisruptionIT {

  private static final Duration T = Duration.ofSeconds(10);
  private static final String UNREACHABLE = "node.kubernetes.io/unreachable";

  private static TestCluster cluster;
  private static ResourceClient<Pod> pods;
  private static ResourceClient<Node> nodes;

  @BeforeAll
  static void start() {
    cluster =
        TestCluster.start(
            10,
            "8",
            "nauta.controllers.node-monitor-grace-period=5s",
            "nauta.controllers.node-monitor-period=1s");
    pods = cluster.client.resource(BuiltInResources.PODS, Pod.class);
    nodes = cluster.client.resource(BuiltInResources.NODES, Node.class);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Every node heard from again and Ready, untainted; the test pods gone. */
  @AfterEach
  void heal() {
    cluster.kubelet.nodeNames().forEach(cluster.kubelet::resumeRenewing);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                allNodes().stream()
                    .allMatch(
                        n -> condition(n, "Ready").startsWith("True") && taints(n).isEmpty()));
    for (Pod p : pods.list("default", ListOptions.none()).block(T).items()) {
      pods.delete("default", p.getMetadata().getName())
          .onErrorResume(NotFoundException.class, e -> Mono.empty())
          .block(T);
    }
  }

  private static List<Node> allNodes() {
    return nodes.list(null, ListOptions.none()).block(T).items();
  }

  private static List<String> taints(Node n) {
    return n.getSpec() == null || n.getSpec().getTaints() == null
        ? List.of()
        : n.getSpec().getTaints().stream()
            .filter(t -> UNREACHABLE.equals(t.getKey()))
            .map(t -> t.getEffect())
            .sorted()
            .toList();
  }

  /** Marked for deletion, or already gone. */
  private static boolean evicted(String name) {
    Pod p =
        pods.get("default", name)
            .onErrorResume(NotFoundException.class, e -> Mono.empty())
            .block(T);
    return p == null || p.getMetadata().getDeletionTimestamp() != null;
  }

  private static void podOn(String name, String node, long tolerationSeconds) {
    pods.create(NodeLifecycleIT.pod(name, node, tolerationSeconds)).block(T);
  }

  @Test
  void theSilentNodeOfTenHasItsPodsEvicted() {
    podOn("down-a", "node-3", 2);
    podOn("down-b", "node-3", 2);
    podOn("up", "node-4", 2);

    cluster.kubelet.stopRenewing("node-3");

    await().atMost(Duration.ofSeconds(30)).until(() -> evicted("down-a") && evicted("down-b"));
    assertThat(evicted("up")).isFalse();
    assertThat(taints(nodes.get(null, "node-3").block(T)))
        .containsExactly("NoExecute", "NoSchedule");
  }

  @Test
  void whenEveryNodeGoesSilentAtOnceNoPodIsEvicted() {
    List<String> names = cluster.kubelet.nodeNames();
    for (String node : names) {
      podOn("on-" + node, node, 15);
    }

    names.forEach(cluster.kubelet::stopRenewing);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                allNodes().stream()
                    .allMatch(n -> condition(n, "Ready").equals("Unknown/NodeStatusUnknown")));
    // Past every toleration (15 s from any taint placed before the last node went silent), the
    // pods are all still there and no node keeps a NoExecute taint.
    await()
        .during(Duration.ofSeconds(25))
        .atMost(Duration.ofSeconds(30))
        .until(() -> names.stream().noneMatch(n -> evicted("on-" + n)));
    assertThat(allNodes()).allSatisfy(n -> assertThat(taints(n)).containsExactly("NoSchedule"));
  }
}
