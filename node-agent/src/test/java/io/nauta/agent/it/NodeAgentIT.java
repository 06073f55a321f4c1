package io.nauta.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.nauta.agent.NautaAgent;
import io.nauta.api.it.Kubectl;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.registry.BuiltInResources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The node agent against a real control plane in the test JVM: an API server on Redis in Docker,
 * the scheduler, the controller manager, and one agent process running three simulated nodes.
 */
class NodeAgentIT {

  private static final Duration T = Duration.ofSeconds(10);

  private static TestApiServer api;
  private static KubeClient client;
  private static ControlPlane plane;
  private static ConfigurableApplicationContext agent;
  private static ResourceClient<Pod> pods;
  private static ResourceClient<Node> nodes;
  private static ResourceClient<Lease> leases;

  @BeforeAll
  static void startCluster() {
    plane = ControlPlane.start();
    api = plane.api;
    client = plane.client;
    pods = client.resource(BuiltInResources.PODS, Pod.class);
    nodes = client.resource(BuiltInResources.NODES, Node.class);
    leases = client.resource(BuiltInResources.LEASES, Lease.class);
    agent =
        NautaAgent.application()
            .run(
                "--server.port=0",
                api.simulatedNodesAgentArg(),
                "--nauta.agent.nodes=3",
                "--nauta.agent.node-name-prefix=sim",
                "--nauta.agent.runtime=simulated",
                "--nauta.agent.lease-renew-interval=1s",
                "--nauta.agent.status-check-interval=1s");
  }

  @AfterAll
  static void stopCluster() {
    for (ConfigurableApplicationContext ctx : new ConfigurableApplicationContext[] {agent}) {
      if (ctx != null) {
        ctx.close();
      }
    }
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void registersThreeReadyNodesWithLeasesAndPodCidrs() {
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              List<Node> all = nodes.list(null, ListOptions.none()).block(T).items();
              assertThat(all)
                  .extracting(n -> n.getMetadata().getName())
                  .contains("sim-0", "sim-1", "sim-2");
              for (int i = 0; i < 3; i++) {
                Node node = nodes.get(null, "sim-" + i).block(T);
                assertThat(node.getSpec().getPodCIDR()).isEqualTo("10.244." + i + ".0/24");
                assertThat(node.getMetadata().getLabels())
                    .containsEntry("kubernetes.io/hostname", "sim-" + i)
                    .containsEntry("kubernetes.io/os", "linux")
                    .containsKey("kubernetes.io/arch");
                assertThat(node.getStatus().getCapacity()).containsKeys("cpu", "memory", "pods");
                assertThat(node.getStatus().getAllocatable()).containsKeys("cpu", "memory", "pods");
                assertThat(node.getStatus().getAddresses())
                    .anyMatch(a -> a.getType().equals("InternalIP"));
                Map<String, NodeCondition> conditions =
                    node.getStatus().getConditions().stream()
                        .collect(Collectors.toMap(NodeCondition::getType, c -> c));
                assertThat(conditions.get("Ready").getStatus()).isEqualTo("True");
                assertThat(conditions.get("Ready").getReason()).isEqualTo("KubeletReady");
                assertThat(conditions.get("MemoryPressure").getStatus()).isEqualTo("False");
                assertThat(conditions.get("DiskPressure").getStatus()).isEqualTo("False");
                assertThat(conditions.get("PIDPressure").getStatus()).isEqualTo("False");
                Lease lease = leases.get("kube-node-lease", "sim-" + i).block(T);
                assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("sim-" + i);
                assertThat(lease.getSpec().getRenewTime()).isNotNull();
              }
            });
  }

  @Test
  void renewsLeasesAndPutsBackAReadyConditionSomethingElseChanged() {
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> leases.get("kube-node-lease", "sim-1").block(T) != null);
    var first = leases.get("kube-node-lease", "sim-1").block(T).getSpec().getRenewTime();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                leases
                    .get("kube-node-lease", "sim-1")
                    .block(T)
                    .getSpec()
                    .getRenewTime()
                    .isAfter(first));

    // What the node lifecycle controller does to a node it has not heard from.
    Node node = nodes.get(null, "sim-1").block(T);
    Node unknown =
        new io.fabric8.kubernetes.api.model.NodeBuilder(node)
            .editStatus()
            .withConditions(
                node.getStatus().getConditions().stream()
                    .map(
                        c ->
                            c.getType().equals("Ready")
                                ? new io.fabric8.kubernetes.api.model.NodeConditionBuilder(c)
                                    .withStatus("Unknown")
                                    .withReason("NodeStatusUnknown")
                                    .build()
                                : c)
                    .toList())
            .endStatus()
            .build();
    nodes.updateStatus(unknown).block(T);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(nodes.get(null, "sim-1").block(T).getStatus().getConditions())
                    .anyMatch(
                        c ->
                            c.getType().equals("Ready")
                                && c.getStatus().equals("True")
                                && c.getReason().equals("KubeletReady")));
  }

  @Test
  void runsADeploymentsPodsAndReplacesADeletedOne(@TempDir Path dir) {
    ResourceClient<Deployment> deployments =
        client.resource(BuiltInResources.DEPLOYMENTS, Deployment.class);
    deployments
        .create(
            new DeploymentBuilder()
                .withNewMetadata()
                .withNamespace("default")
                .withName("web")
                .endMetadata()
                .withNewSpec()
                .withReplicas(10)
                .withNewSelector()
                .addToMatchLabels("app", "web")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "web")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("httpd")
                .withImage("busybox")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .block(T);

    List<Pod> running = awaitRunningReady(10);
    Set<String> ips =
        running.stream().map(p -> p.getStatus().getPodIP()).collect(Collectors.toSet());
    assertThat(ips).hasSize(10);
    for (Pod p : running) {
      String node = p.getSpec().getNodeName();
      assertThat(node).matches("sim-[0-2]");
      String index = node.substring("sim-".length());
      assertThat(p.getStatus().getPodIP()).startsWith("10.244." + index + ".");
      assertThat(p.getStatus().getPodIPs()).hasSize(1);
      assertThat(p.getStatus().getHostIP()).isNotBlank();
      assertThat(p.getStatus().getStartTime()).isNotBlank();
      Map<String, PodCondition> conditions =
          p.getStatus().getConditions().stream()
              .collect(Collectors.toMap(PodCondition::getType, c -> c));
      for (String type : List.of("PodScheduled", "Initialized", "ContainersReady", "Ready")) {
        assertThat(conditions.get(type).getStatus()).as(type).isEqualTo("True");
        assertThat(conditions.get(type).getLastTransitionTime()).as(type).isNotBlank();
      }
      var cs = p.getStatus().getContainerStatuses().get(0);
      assertThat(cs.getName()).isEqualTo("httpd");
      assertThat(cs.getImage()).isEqualTo("busybox");
      assertThat(cs.getImageID()).isNotBlank();
      assertThat(cs.getContainerID()).startsWith("simulated://");
      assertThat(cs.getReady()).isTrue();
      assertThat(cs.getStarted()).isTrue();
      assertThat(cs.getRestartCount()).isZero();
      assertThat(cs.getState().getRunning().getStartedAt()).isNotBlank();
    }

    // The status is written once it is right, not again and again.
    Map<String, String> versions =
        running.stream()
            .collect(
                Collectors.toMap(
                    p -> p.getMetadata().getName(), p -> p.getMetadata().getResourceVersion()));
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(
                        webPods().stream()
                            .collect(
                                Collectors.toMap(
                                    p -> p.getMetadata().getName(),
                                    p -> p.getMetadata().getResourceVersion())))
                    .isEqualTo(versions));

    Kubectl kubectl = new Kubectl(api.kubeconfig(dir));
    Kubectl.Result wide = kubectl.run("get", "pods", "-o", "wide", "-l", "app=web");
    assertThat(wide.exitCode()).as(wide.toString()).isZero();
    List<String> lines = wide.stdout().lines().toList();
    assertThat(lines.get(0)).contains("READY", "STATUS", "IP", "NODE");
    assertThat(lines).hasSize(11);
    for (String line : lines.subList(1, lines.size())) {
      assertThat(line)
          .contains("1/1", "Running")
          .containsPattern("10\\.244\\.[0-2]\\.\\d+")
          .containsPattern("sim-[0-2]");
    }

    Pod victim = running.get(0);
    Kubectl.Result deleted = kubectl.run("delete", "pod", victim.getMetadata().getName());
    assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              List<Pod> now = webPods();
              assertThat(now)
                  .extracting(p -> p.getMetadata().getName())
                  .doesNotContain(victim.getMetadata().getName());
              assertThat(now.stream().filter(NodeAgentIT::runningAndReady)).hasSize(10);
            });
    Set<String> after = new HashSet<>();
    webPods().forEach(p -> after.add(p.getStatus().getPodIP()));
    assertThat(after).hasSize(10);
  }

  private static List<Pod> awaitRunningReady(int count) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(webPods().stream().filter(NodeAgentIT::runningAndReady)).hasSize(count));
    return webPods();
  }

  private static List<Pod> webPods() {
    return pods.list("default", ListOptions.labels("app=web")).block(T).items();
  }

  private static boolean runningAndReady(Pod p) {
    return p.getStatus() != null
        && "Running".equals(p.getStatus().getPhase())
        && p.getMetadata().getDeletionTimestamp() == null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
