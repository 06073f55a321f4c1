package io.nauta.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.nauta.agent.runtime.docker.DockerClients;
import io.nauta.agent.runtime.docker.DockerLabels;
import io.nauta.agent.runtime.docker.EgressGuard;
import io.nauta.agent.runtime.docker.PrivateDockerEngine;
import io.nauta.agent.runtime.docker.TestDockerNode;
import io.nauta.api.it.Kubectl;
import io.nauta.api.support.BlackHoleProxy;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/**
 * Fault injection (issue 11): the node agent killed with {@code kill -9} and its Docker engine
 * restarted under three running, ready pods of a deployment. The agent runs in its own JVM as
 * {@code deploy/nauta} runs it; its engine is a {@link PrivateDockerEngine} of this test, so the
 * machine's shared engine is never restarted. The outage stays well inside the node lifecycle's
 * eviction window (40 s grace, then 300 s of NoExecute toleration), so Kubernetes would keep the
 * pods: the same three pods must come back Running and Ready, each served by one running sandbox
 * and one running app container (the exited previous run kept once, as the kubelet keeps one dead
 * container for {@code logs --previous}), with restart counts and last states telling what
 * happened, no pod ever added by the ReplicaSet, and an informer and {@code kubectl get -w} ending
 * with what a fresh list says.
 *
 * <p>Then, on the same cluster, the agent loses the API server: it reaches the API server only
 * through a {@link BlackHoleProxy}, which for {@code nauta.it.api-outage} (default 60 s, a duration
 * such as {@code 60s} or {@code PT1M}) forwards nothing either way, on open connections and new
 * ones, as a broken network does; afterwards new connections pass again while the old ones stay
 * silent (the agent has to notice them itself). Meanwhile the pods' containers must keep running
 * untouched (the same ids, no restart), a pod bound to the node and a pod deleted during the outage
 * must each be handled once when it ends, and the node and the pods' statuses must come back Ready
 * (the node lifecycle controller marks them Unknown/not ready while the lease lapses).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentAndEngineRestartIT {

  private static final Duration T = Duration.ofSeconds(10);
  private static final String IMAGE = "nauta/busybox:local";
  private static final String NS = "default";
  private static final int REPLICAS = 3;
  private static final Path LOGS = Path.of("target", "agent-and-engine-restart");
  private static final Duration OUTAGE =
      Duration.parse(
          "PT" + System.getProperty("nauta.it.api-outage", "60s").replaceFirst("^PT", ""));
  private static final String OUTAGE_NS = "partition";

  @TempDir static Path dir;

  private static DockerClient shared;
  private static PrivateDockerEngine engine;
  private static TestDockerNode node;
  private static ControlPlane plane;
  private static BlackHoleProxy apiProxy;
  private static ResourceClient<Pod> pods;
  private static Process agent;
  private static SharedInformer<Pod> informer;
  private static Disposable podCount;
  private static KubectlWatch kubectlWatch;
  private static final AtomicInteger mostPodsSeen = new AtomicInteger();

  @BeforeAll
  static void startCluster() throws Exception {
    Files.createDirectories(LOGS);
    EgressGuard.install();
    shared = DockerClients.connect("", System.getProperty("api.version", ""));
    node = freeNode();
    // The engine's default bridge (unused by pods) takes the /24 after the node's.
    engine =
        PrivateDockerEngine.start(
            LOGS.resolve("dockerd.log"), "10.244." + (node.index() + 1) + ".1/24");
    engine.loadImages(shared, IMAGE);
    plane = ControlPlane.start();
    apiProxy = BlackHoleProxy.to(plane.url());
    pods = plane.client.resource(BuiltInResources.PODS, Pod.class);
    informer =
        new SharedInformer<>(
            pods, NS, ListOptions.none(), Duration.ofMillis(100), Duration.ofSeconds(2));
    informer.start().synced().block(T);
    // The informer's count of pods at every event: the ReplicaSet must never add a fourth.
    podCount =
        informer
            .events()
            .subscribe(e -> mostPodsSeen.accumulateAndGet(informer.store().size(), Math::max));
    kubectlWatch = new KubectlWatch(new Kubectl(plane.api.kubeconfig(dir)), "pods", "-n", NS);
    agent = startAgent();
  }

  /**
   * Two consecutive /24s (the node's pods, the engine's default bridge) that neither the shared
   * engine's networks nor any route of this host (another test's private engine) use: the private
   * engine's bridges sit in this host's network namespace.
   */
  private static TestDockerNode freeNode() throws Exception {
    for (int attempt = 0; attempt < 20; attempt++) {
      TestDockerNode candidate = TestDockerNode.reserve(shared, "it-agent-fault", 2);
      Process p = new ProcessBuilder("ip", "-4", "route", "show").redirectErrorStream(true).start();
      String routes = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      boolean free =
          routes
              .lines()
              .noneMatch(
                  r ->
                      r.startsWith(candidate.ipPrefix())
                          || r.startsWith(candidate.nth(1).ipPrefix()));
      if (p.waitFor() == 0 && free) {
        return candidate;
      }
    }
    throw new IllegalStateException("no free 10.244.x.0/24 for the private engine's node");
  }

  /** The agent in its own JVM with deploy/nauta's settings, on the private engine. */
  private static Process startAgent() throws IOException {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx384m",
            // Starts in a fraction of the time on a busy machine; the agent's work here is small.
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-cp",
            System.getProperty("java.class.path"),
            "io.nauta.agent.NautaAgent",
            "--server.port=0",
            // Through the proxy, which the outage test turns into a black hole.
            "--nauta.agent.kubeconfig="
                + plane.api.kubeconfigVia(
                    apiProxy.url(), "system:node:" + node.name(), "system:nodes"),
            "--nauta.agent.runtime=docker",
            "--nauta.agent.docker.host=" + engine.host(),
            "--nauta.agent.docker.api-version=" + System.getProperty("api.version", ""),
            "--nauta.agent.node-name=" + node.name(),
            "--nauta.agent.first-node-index=" + node.index(),
            "--nauta.agent.root-dir=" + dir.resolve("agent"),
            "--nauta.agent.lease-renew-interval=1s",
            "--nauta.agent.status-check-interval=1s")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(LOGS.resolve("agent.log").toFile()))
        .start();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (agent != null) {
      // SIGTERM: a graceful stop removes the service proxy's iptables chains (the killed agent's
      // chains have the same names, so this one adopted them).
      agent.destroy();
      if (!agent.waitFor(60, TimeUnit.SECONDS)) {
        agent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
    if (kubectlWatch != null) {
      kubectlWatch.close();
    }
    if (podCount != null) {
      podCount.dispose();
    }
    if (informer != null) {
      informer.close();
    }
    if (apiProxy != null) {
      apiProxy.close();
    }
    if (plane != null) {
      plane.close();
    }
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  @Order(1)
  void podsComeBackOnceEachAfterTheAgentIsKilledAndItsEngineRestarted() throws Exception {
    awaitNodeReady();
    plane
        .client
        .resource(BuiltInResources.DEPLOYMENTS, Deployment.class)
        .create(deployment())
        .block(T);
    await()
        .atMost(Duration.ofSeconds(120))
        .ignoreExceptions()
        .untilAsserted(
            () -> assertThat(webPods()).hasSize(REPLICAS).allMatch(this::runningAndReady));
    Map<String, String> before = containerIds();
    assertThat(containers()).hasSize(2 * REPLICAS);
    Set<String> uids = eventually(AgentAndEngineRestartIT::uids);

    long outage = System.nanoTime();
    agent.destroyForcibly(); // SIGKILL
    assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
    engine.restart();
    assertThat(containers())
        .as("no container survives its engine's restart (no live-restore)")
        .hasSize(2 * REPLICAS)
        .noneMatch(c -> "running".equals(c.getState()));
    agent = startAgent();

    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(() -> assertConverged(uids, before));
    long converged = System.nanoTime();
    System.out.printf(
        "AgentAndEngineRestartIT: converged %.1f s after the agent was killed%n",
        (converged - outage) / 1e9);

    // And it stays so: nothing is restarted or created again afterwards.
    Map<String, String> after = containerIds();
    await()
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(15))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(containerIds()).isEqualTo(after);
              assertConverged(uids, before);
            });
    assertServing();
    assertThat(mostPodsSeen.get()).as("pods at any moment").isEqualTo(REPLICAS);
    assertThat(eventually(AgentAndEngineRestartIT::nodeReady)).isEqualTo("True");

    // Every watcher ends with what a fresh list says.
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              Map<String, String> fresh =
                  versions(pods.list(NS, ListOptions.none()).block(T).items());
              assertThat(versions(informer.store().list())).as("informer").isEqualTo(fresh);
              assertThat(kubectlWatch.versions()).as("kubectl get -w").isEqualTo(fresh);
            });
  }

  @Test
  @Order(2)
  void podsKeepRunningAndConvergeOnceWhenTheAgentLosesTheApiServer() throws Exception {
    awaitNodeReady();
    plane
        .client
        .resource(BuiltInResources.NAMESPACES, Namespace.class)
        .create(new NamespaceBuilder().withNewMetadata().withName(OUTAGE_NS).endMetadata().build())
        .block(T);
    for (String name : List.of("steady-0", "steady-1", "doomed")) {
      pods.create(outagePod(name)).block(T);
    }
    await()
        .atMost(Duration.ofSeconds(120))
        .ignoreExceptions()
        .untilAsserted(() -> assertThat(outagePods()).hasSize(3).allMatch(this::runningAndReady));
    Map<String, String> uids = outageUids();
    Map<String, Set<String>> before = outageContainers(true);
    assertThat(before).hasSize(3).allSatisfy((uid, ids) -> assertThat(ids).hasSize(2));
    long requestsBefore = apiProxy.accepted();

    apiProxy.blackHole();
    long start = System.nanoTime();
    // Both bound to the node (the scheduler binds at once: the node is still Ready), neither seen
    // by the agent until the API server is back.
    pods.create(outagePod("newcomer")).block(T);
    pods.delete(OUTAGE_NS, "doomed").block(T);
    // Throughout the outage every container keeps running as it was.
    while (System.nanoTime() - start < OUTAGE.toNanos()) {
      assertThat(outageContainers(true))
          .as("running containers during the outage")
          .isEqualTo(before);
      assertThat(outageContainers(false)).as("every container during the outage").isEqualTo(before);
      Thread.sleep(1000);
    }
    assertThat(nodeReady())
        .as("the node lifecycle controller saw the node's lease lapse")
        .isIn(
            OUTAGE.compareTo(Duration.ofSeconds(45)) > 0
                ? Set.of("Unknown")
                : Set.of("True", "Unknown"));
    apiProxy.forward();
    long back = System.nanoTime();

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(() -> assertOutageConverged(uids, before));
    System.out.printf(
        "AgentAndEngineRestartIT: %d s without the API server; converged %.1f s after it came"
            + " back (%d connections through the proxy before, %d after)%n",
        OUTAGE.toSeconds(), (System.nanoTime() - back) / 1e9, requestsBefore, apiProxy.accepted());
    // And it stays so: nothing is started twice or stopped afterwards.
    Map<String, Set<String>> after = outageContainers(false);
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(outageContainers(false)).isEqualTo(after);
              assertOutageConverged(uids, before);
            });
  }

  /** A JVM starting on a loaded CI machine: its first start is not what these tests measure. */
  private static void awaitNodeReady() {
    await()
        .atMost(Duration.ofMinutes(5))
        .ignoreExceptions()
        .untilAsserted(() -> assertThat(nodeReady()).isEqualTo("True"));
  }

  /**
   * After the outage: the node Ready; steady-0 and steady-1 the same pods on the same two
   * containers, never restarted, Running and Ready again; doomed gone from the API and from Docker;
   * newcomer Running and Ready on one sandbox and one container; nothing else of this namespace on
   * the engine.
   */
  private void assertOutageConverged(Map<String, String> uids, Map<String, Set<String>> before) {
    assertThat(nodeReady()).isEqualTo("True");
    List<Pod> now = outagePods();
    assertThat(now.stream().map(p -> p.getMetadata().getName()))
        .containsExactlyInAnyOrder("steady-0", "steady-1", "newcomer");
    assertThat(now).allMatch(this::runningAndReady, "Running and Ready");
    Map<String, Set<String>> all = outageContainers(false);
    Map<String, Set<String>> running = outageContainers(true);
    assertThat(all).as("every container, by pod uid").isEqualTo(running);
    for (Pod pod : now) {
      String name = pod.getMetadata().getName();
      String uid = pod.getMetadata().getUid();
      assertThat(pod.getStatus().getContainerStatuses().get(0).getRestartCount())
          .as("restartCount of %s", name)
          .isZero();
      if (name.equals("newcomer")) {
        assertThat(running.get(uid)).as("containers of %s", name).hasSize(2);
      } else {
        assertThat(uid).as("uid of %s", name).isEqualTo(uids.get(name));
        assertThat(running.get(uid)).as("containers of %s", name).isEqualTo(before.get(uid));
      }
    }
    assertThat(all.keySet())
        .as("pods with containers")
        .containsExactlyInAnyOrderElementsOf(uids(now));
  }

  private static Pod outagePod(String name) {
    PodSpec spec = deployment().getSpec().getTemplate().getSpec();
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(OUTAGE_NS)
        .withName(name)
        .addToLabels("app", "outage")
        .endMetadata()
        .withSpec(spec)
        .build();
  }

  private static List<Pod> outagePods() {
    return pods.list(OUTAGE_NS, ListOptions.none()).block(T).items();
  }

  private static Map<String, String> outageUids() {
    Map<String, String> uids = new HashMap<>();
    outagePods().forEach(p -> uids.put(p.getMetadata().getName(), p.getMetadata().getUid()));
    return uids;
  }

  /** The engine's containers of the outage test's pods, by pod uid: running ones or all. */
  private static Map<String, Set<String>> outageContainers(boolean runningOnly) {
    Map<String, Set<String>> byPod = new TreeMap<>();
    for (Container c : containers()) {
      if (OUTAGE_NS.equals(c.getLabels().get(DockerLabels.POD_NAMESPACE))
          && (!runningOnly || "running".equals(c.getState()))) {
        byPod
            .computeIfAbsent(c.getLabels().get(DockerLabels.POD_UID), k -> new HashSet<>())
            .add(c.getId());
      }
    }
    return byPod;
  }

  /**
   * The same pods, Running and Ready, each on one running sandbox and one running httpd container
   * (its status naming that container and restart count 1, its last state the run the engine
   * stopped), at most one exited httpd kept per pod and no exited sandbox; the pod IP the
   * sandbox's.
   */
  private void assertConverged(Set<String> uids, Map<String, String> before) {
    List<Pod> now = webPods();
    assertThat(uids(now)).as("the same pods, none replaced").isEqualTo(uids);
    assertThat(now).allMatch(this::runningAndReady, "Running and Ready");
    Map<String, List<Container>> byPod =
        containers().stream()
            .collect(Collectors.groupingBy(c -> c.getLabels().get(DockerLabels.POD_UID)));
    assertThat(byPod.keySet()).isEqualTo(uids);
    for (Pod pod : now) {
      String uid = pod.getMetadata().getUid();
      List<Container> mine = byPod.get(uid);
      List<Container> running = mine.stream().filter(c -> "running".equals(c.getState())).toList();
      List<Container> exited = mine.stream().filter(c -> !"running".equals(c.getState())).toList();
      assertThat(running.stream().map(AgentAndEngineRestartIT::containerName))
          .as("running containers of %s: %s", pod.getMetadata().getName(), mine)
          .containsExactlyInAnyOrder(DockerLabels.SANDBOX, "httpd");
      assertThat(exited.stream().map(AgentAndEngineRestartIT::containerName))
          .as("exited containers kept for %s", pod.getMetadata().getName())
          .containsOnly("httpd")
          .hasSizeLessThanOrEqualTo(1);
      ContainerStatus status = pod.getStatus().getContainerStatuses().get(0);
      Container httpd =
          running.stream().filter(c -> "httpd".equals(containerName(c))).findFirst().orElseThrow();
      Container sandbox =
          running.stream()
              .filter(c -> DockerLabels.SANDBOX.equals(containerName(c)))
              .findFirst()
              .orElseThrow();
      assertThat(status.getContainerID()).isEqualTo("docker://" + httpd.getId());
      assertThat(status.getRestartCount()).as("restartCount").isEqualTo(1);
      assertThat(status.getState().getRunning()).isNotNull();
      assertThat(status.getLastState().getTerminated()).as("lastState.terminated").isNotNull();
      assertThat(status.getLastState().getTerminated().getContainerID())
          .isEqualTo("docker://" + before.get(uid));
      assertThat(pod.getStatus().getPodIP())
          .isEqualTo(
              sandbox.getNetworkSettings().getNetworks().values().iterator().next().getIpAddress());
    }
  }

  /** Each pod answers on its IP, from this host. */
  private void assertServing() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    for (Pod pod : eventually(AgentAndEngineRestartIT::webPods)) {
      URI uri = URI.create("http://" + pod.getStatus().getPodIP() + ":8080/");
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .untilAsserted(
              () ->
                  assertThat(
                          http.send(
                                  HttpRequest.newBuilder(uri)
                                      .timeout(Duration.ofSeconds(3))
                                      .build(),
                                  HttpResponse.BodyHandlers.ofString())
                              .body()
                              .trim())
                      .isEqualTo(pod.getMetadata().getName()));
    }
  }

  private static Deployment deployment() {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withNamespace(NS)
        .withName("web")
        .endMetadata()
        .withNewSpec()
        .withReplicas(REPLICAS)
        .withNewSelector()
        .addToMatchLabels("app", "web")
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "web")
        .endMetadata()
        .withNewSpec()
        .withTerminationGracePeriodSeconds(1L)
        .addNewContainer()
        .withName("httpd")
        .withImage(IMAGE)
        .withImagePullPolicy("IfNotPresent")
        .withCommand("sh", "-c", "hostname > /tmp/index.html; exec httpd -f -p 8080 -h /tmp")
        .withNewReadinessProbe()
        .withNewHttpGet()
        .withPath("/")
        .withPort(new IntOrString(8080))
        .endHttpGet()
        .withPeriodSeconds(1)
        .endReadinessProbe()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * A read of the API, retried: on a loaded machine the API server may answer a consistent list
   * with 504 (its cache did not catch up within 3 s), as Kubernetes does. Every wait of this test
   * ignores exceptions for the same reason.
   */
  private static <V> V eventually(Callable<V> read) {
    return await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(read, v -> v != null);
  }

  private static List<Pod> webPods() {
    return pods.list(NS, ListOptions.labels("app=web")).block(T).items();
  }

  private static Set<String> uids() {
    return uids(webPods());
  }

  private static Set<String> uids(List<Pod> list) {
    return list.stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
  }

  /** The private engine's containers of this node, any state ({@code docker ps -a}). */
  private static List<Container> containers() {
    return node.containers(engine.client());
  }

  /** Pod uid to its running httpd container's id. */
  private static Map<String, String> containerIds() {
    return containers().stream()
        .filter(c -> "httpd".equals(containerName(c)) && "running".equals(c.getState()))
        .collect(
            Collectors.toMap(
                c -> c.getLabels().get(DockerLabels.POD_UID),
                Container::getId,
                (a, b) -> a + "," + b,
                TreeMap::new));
  }

  private static String containerName(Container c) {
    return c.getLabels().get(DockerLabels.CONTAINER_NAME);
  }

  private static Map<String, String> versions(List<Pod> list) {
    return list.stream()
        .collect(
            Collectors.toMap(
                p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(),
                p -> p.getMetadata().getResourceVersion(),
                (a, b) -> a,
                TreeMap::new));
  }

  private static String nodeReady() {
    return plane
        .client
        .resource(BuiltInResources.NODES, Node.class)
        .get(null, node.name())
        .block(T)
        .getStatus()
        .getConditions()
        .stream()
        .filter(c -> "Ready".equals(c.getType()))
        .findFirst()
        .orElseThrow()
        .getStatus();
  }

  private boolean runningAndReady(Pod p) {
    return p.getStatus() != null
        && "Running".equals(p.getStatus().getPhase())
        && p.getStatus().getPodIP() != null
        && p.getMetadata().getDeletionTimestamp() == null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
