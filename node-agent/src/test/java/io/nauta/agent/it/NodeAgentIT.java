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
import io.nauta.agent.app.KubeletPort;
import io.nauta.agent.netpol.Allow;
import io.nauta.agent.netpol.NetworkPolicyAgent;
import io.nauta.agent.netpol.PodFirewall;
import io.nauta.agent.netpol.PolicyEnforcement;
import io.nauta.agent.netpol.RecordedPolicies;
import io.nauta.agent.stats.UsageModel;
import io.nauta.api.it.Kubectl;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.ClientTransport;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.pki.ClusterPki;
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
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--server.port=0",
                api.simulatedNodesAgentArg(),
                "--nauta.agent.nodes=3",
                "--nauta.agent.node-name-prefix=sim",
                "--nauta.agent.runtime=simulated",
                "--nauta.agent.lease-renew-interval=1s",
                "--nauta.agent.status-check-interval=1s",
                "--nauta.agent.stats.interval=1s"));
    // HTTPS asking for client certificates, as deploy/nauta serves the agent's port.
    args.addAll(api.agentServingArgs());
    agent = NautaAgent.application().run(args.toArray(String[]::new));
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

  /**
   * A GET on the agent's port at {@code ip} (each simulated node has its own loopback address)
   * presenting a client certificate of {@code user}; the agent's certificate is not checked here.
   */
  private static reactor.util.function.Tuple2<Integer, String> agentGet(
      String ip, String user, String path) {
    ClientConfig as = ClientConfig.fromKubeconfig(api.kubeconfigAs(user));
    int port = agent.getBean(KubeletPort.class).getAsInt();
    ClientConfig config =
        new ClientConfig(
            "https://" + ip + ":" + port,
            null,
            null,
            null,
            as.clientCertificate(),
            as.clientKey(),
            true);
    return ClientTransport.httpClient(config)
        .get()
        .uri(config.server() + path)
        .responseSingle(
            (response, body) ->
                body.asString()
                    .defaultIfEmpty("")
                    .map(b -> reactor.util.function.Tuples.of(response.status().code(), b)))
        .block(T);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> summary(String ip) {
    var answer = agentGet(ip, ClusterPki.KUBELET_CLIENT_USER, "/stats/summary");
    assertThat(answer.getT1()).as(answer.getT2()).isEqualTo(200);
    return JSON.readValue(answer.getT2(), Map.class);
  }

  private static final tools.jackson.databind.json.JsonMapper JSON =
      tools.jackson.databind.json.JsonMapper.builder().build();

  private static Pod statsPod(String name, String node, String usage) {
    return new io.fabric8.kubernetes.api.model.PodBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .addToAnnotations(UsageModel.ANNOTATION, usage)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .addNewContainer()
        .withName("app")
        .withImage("busybox")
        .endContainer()
        .addNewContainer()
        .withName("side")
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .build();
  }

  @Test
  @SuppressWarnings("unchecked")
  void eachSimulatedNodeServesItsOwnPodsUsageToTheKubeletClientAndOnlyToIt() {
    pods.create(
            statsPod("stats-a", "sim-0", "{\"app\": {\"cpu\": \"250m\", \"memory\": \"64Mi\"}}"))
        .block(T);
    pods.create(statsPod("stats-b", "sim-1", "{\"app\": {\"cpu\": \"1500m\"}}")).block(T);

    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              for (String[] c :
                  new String[][] {
                    {"127.1.0.1", "sim-0", "stats-a", "250000000", "67108864"},
                    {"127.1.0.2", "sim-1", "stats-b", "1500000000", "4194304"}
                  }) {
                Map<String, Object> s = summary(c[0]);
                Map<String, Object> node = (Map<String, Object>) s.get("node");
                assertThat(node).containsEntry("nodeName", c[1]).containsKey("startTime");
                List<Map<String, Object>> own =
                    ((List<Map<String, Object>>) s.get("pods"))
                        .stream()
                            .filter(
                                p ->
                                    ((Map<String, Object>) p.get("podRef"))
                                        .get("name")
                                        .toString()
                                        .startsWith("stats-"))
                            .toList();
                assertThat(own).hasSize(1);
                Map<String, Object> pod = own.get(0);
                assertThat((Map<String, Object>) pod.get("podRef"))
                    .containsEntry("name", c[2])
                    .containsEntry("namespace", "default")
                    .containsKey("uid");
                Map<String, Object> app =
                    ((List<Map<String, Object>>) pod.get("containers"))
                        .stream()
                            .filter(x -> x.get("name").equals("app"))
                            .findFirst()
                            .orElseThrow();
                Map<String, Object> cpu = (Map<String, Object>) app.get("cpu");
                assertThat(((Number) cpu.get("usageNanoCores")).longValue())
                    .isEqualTo(Long.parseLong(c[3]));
                assertThat(((Number) cpu.get("usageCoreNanoSeconds")).longValue()).isPositive();
                assertThat(cpu).containsKey("time");
                Map<String, Object> memory = (Map<String, Object>) app.get("memory");
                assertThat(((Number) memory.get("workingSetBytes")).longValue())
                    .isEqualTo(Long.parseLong(c[4]));
                assertThat(memory).containsKeys("usageBytes", "time");
                // The pod's and the node's figures include the unannotated sidecar's default.
                long podRate =
                    ((Number) ((Map<String, Object>) pod.get("cpu")).get("usageNanoCores"))
                        .longValue();
                assertThat(podRate)
                    .isEqualTo(Long.parseLong(c[3]) + UsageModel.DEFAULT.nanoCores());
                long nodeRate =
                    ((Number) ((Map<String, Object>) node.get("cpu")).get("usageNanoCores"))
                        .longValue();
                assertThat(nodeRate).isGreaterThanOrEqualTo(podRate);
                assertThat((Map<String, Object>) node.get("memory")).containsKey("workingSetBytes");
              }
            });

    // A caller without nodes/stats gets the kubelet's 403; none at all, 401.
    var denied = agentGet("127.1.0.1", "stats-nobody", "/stats/summary");
    assertThat(denied.getT1()).isEqualTo(403);
    assertThat(denied.getT2())
        .isEqualTo("Forbidden (user=stats-nobody, verb=get, resource=nodes, subresource=stats)");
  }

  @Test
  void theSimulatedRuntimeRecordsWhatItsNetworkPoliciesWouldEnforce() {
    client
        .resource(BuiltInResources.NAMESPACES, io.fabric8.kubernetes.api.model.Namespace.class)
        .create(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName("np-sim")
                .endMetadata()
                .build())
        .block(T);
    for (String[] p : new String[][] {{"db", "sim-2"}, {"api", "sim-1"}}) {
      pods.create(
              new io.fabric8.kubernetes.api.model.PodBuilder()
                  .withNewMetadata()
                  .withNamespace("np-sim")
                  .withName(p[0])
                  .addToLabels("app", p[0])
                  .endMetadata()
                  .withNewSpec()
                  .withNodeName(p[1])
                  .addNewContainer()
                  .withName("app")
                  .withImage("busybox")
                  .endContainer()
                  .endSpec()
                  .build())
          .block(T);
    }
    client
        .resource(
            BuiltInResources.NETWORK_POLICIES,
            io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class)
        .create(
            JSON.readValue(
                """
                {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                 "metadata": {"name": "db-from-api", "namespace": "np-sim"},
                 "spec": {"podSelector": {"matchLabels": {"app": "db"}},
                          "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "api"}}}],
                                       "ports": [{"port": 5432}]}]}}
                """,
                io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class))
        .block(T);
    PolicyEnforcement enforcement = agent.getBean(NetworkPolicyAgent.class).enforcement();
    assertThat(enforcement).isInstanceOf(RecordedPolicies.class);
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              String db = pods.get("np-sim", "db").block(T).getStatus().getPodIP();
              String api = pods.get("np-sim", "api").block(T).getStatus().getPodIP();
              assertThat(db).isNotNull();
              assertThat(api).isNotNull();
              assertThat(enforcement.current())
                  .containsExactly(
                      new PodFirewall(
                          "np-sim/db",
                          db,
                          List.of(new Allow(api + "/32", "TCP", 5432, null)),
                          null));
            });
  }
}
