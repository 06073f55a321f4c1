package io.nauta.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Creates nodes and pods through the API, as a user or a node agent would. */
final class Cluster {

  static final Duration T = Duration.ofSeconds(10);

  final KubeClient client;
  final ResourceClient<Node> nodes;
  final ResourceClient<Pod> pods;

  Cluster(io.nauta.api.support.TestApiServer api) {
    this.client = api.kubeClient();
    this.nodes = client.resource(BuiltInResources.NODES, Node.class);
    this.pods = client.resource(BuiltInResources.PODS, Pod.class);
  }

  void namespace(String name) {
    namespace(name, Map.of());
  }

  /**
   * A namespace whose pods may use the host (host ports, hostPath): Pod Security's {@code
   * privileged} level, where the API server enforces {@code baseline} by default.
   */
  void privilegedNamespace(String name) {
    namespace(
        name,
        Map.of(
            "pod-security.kubernetes.io/enforce", "privileged",
            "pod-security.kubernetes.io/warn", "privileged",
            "pod-security.kubernetes.io/audit", "privileged"));
  }

  private void namespace(String name, Map<String, String> labels) {
    Namespace ns =
        new NamespaceBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(labels)
            .endMetadata()
            .build();
    client.resource(BuiltInResources.NAMESPACES, Namespace.class).create(ns).block(T);
  }

  /**
   * A Ready node with {@code capacity} (e.g. cpu=4, memory=8Gi, nvidia.com/gpu=2), its hostname
   * label plus {@code labels}, and {@code taints}; status is written as a node agent would.
   */
  Node node(
      String name, Map<String, String> capacity, Map<String, String> labels, Taint... taints) {
    Map<String, String> allLabels = new HashMap<>(labels);
    allLabels.put("kubernetes.io/hostname", name);
    Map<String, Quantity> resources = new HashMap<>();
    capacity.forEach((k, v) -> resources.put(k, new Quantity(v)));
    resources.putIfAbsent("pods", new Quantity("110"));
    Node node =
        new NodeBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(allLabels)
            .endMetadata()
            .withNewSpec()
            .withTaints(List.of(taints))
            .endSpec()
            .build();
    Node created = nodes.create(node).block(T);
    Node withStatus =
        new NodeBuilder(created)
            .withNewStatus()
            .withCapacity(resources)
            .withAllocatable(resources)
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .withReason("KubeletReady")
            .endCondition()
            .endStatus()
            .build();
    return nodes.updateStatus(withStatus).block(T);
  }

  static Taint taint(String key, String value, String effect) {
    Taint t = new Taint();
    t.setKey(key);
    t.setValue(value);
    t.setEffect(effect);
    return t;
  }

  /** A pod builder with one container requesting {@code requests} (e.g. cpu=1). */
  static PodBuilder pod(String ns, String name, Map<String, String> requests) {
    Map<String, Quantity> q = new HashMap<>();
    requests.forEach((k, v) -> q.put(k, new Quantity(v)));
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("busybox")
        .withNewResources()
        .withRequests(q)
        .endResources()
        .endContainer()
        .endSpec();
  }

  Pod create(PodBuilder pod) {
    return pods.create(pod.build()).block(T);
  }

  Pod get(String ns, String name) {
    return pods.get(ns, name).block(T);
  }

  String nodeOf(String ns, String name) {
    Pod pod = get(ns, name);
    return pod.getSpec().getNodeName();
  }

  /** Waits until the pod is bound and returns its node. */
  String awaitNode(String ns, String name) {
    await().atMost(T).until(() -> nodeOf(ns, name) != null);
    return nodeOf(ns, name);
  }

  /** Waits until the pod is Pending, unbound, with PodScheduled=False, {@code reason}, message. */
  void assertPending(String ns, String name, String reason, String message) {
    await()
        .atMost(T)
        .untilAsserted(
            () -> {
              Pod pod = get(ns, name);
              assertThat(pod.getSpec().getNodeName()).isNull();
              assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
              PodCondition c = podScheduled(pod);
              assertThat(c).isNotNull();
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo(reason);
              assertThat(c.getMessage()).isEqualTo(message);
            });
  }

  /** The pod's PodScheduled condition, or {@code null}. */
  static PodCondition podScheduled(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return null;
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> "PodScheduled".equals(c.getType()))
        .findFirst()
        .orElse(null);
  }
}
