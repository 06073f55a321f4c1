package io.nauta.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.agent.runtime.docker.DockerClients;
import io.nauta.agent.runtime.docker.DockerLabels;
import io.nauta.agent.runtime.docker.EgressGuard;
import io.nauta.agent.runtime.docker.TestDockerNode;
import io.nauta.api.it.Kubectl;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.registry.BuiltInResources;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node agent issue's acceptance as a user walks it with kubectl: a whole control plane (API
 * server on Redis, scheduler, controller manager) and one node agent on Docker, the agent in a JVM
 * of its own so that it can be killed with SIGKILL. Steps build on each other in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlOnDockerIT {

  private static final Duration T = Duration.ofSeconds(10);
  private static final String IMAGE = "nauta/busybox:local";

  @TempDir static Path dir;

  private static DockerClient docker;
  private static TestDockerNode node;
  private static TestApiServer api;
  private static KubeClient client;
  private static ResourceClient<Pod> pods;
  private static ControlPlane plane;
  private static Process agent;
  private static Path agentLog;
  private static Kubectl kubectl;
  private static String clusterIp;

  @BeforeAll
  static void startCluster() throws Exception {
    EgressGuard.install();
    docker = DockerClients.connect("", System.getProperty("api.version", ""));
    node = TestDockerNode.reserve(docker, "it-kubectl");
    plane = ControlPlane.start();
    api = plane.api;
    client = plane.client;
    pods = client.resource(BuiltInResources.PODS, Pod.class);
    kubectl = new Kubectl(api.kubeconfig(dir));
    agentLog = Files.createTempFile("nauta-agent", ".log");
    agent = startAgent();
  }

  /** The agent in its own JVM, as deploy/nauta runs it, appending to one log. */
  private static Process startAgent() throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-cp",
                System.getProperty("java.class.path"),
                "io.nauta.agent.NautaAgent",
                "--server.port=0",
                api.agentArg(node.name()),
                "--nauta.agent.runtime=docker",
                "--nauta.agent.docker.api-version=" + System.getProperty("api.version", ""),
                "--nauta.agent.node-name=" + node.name(),
                "--nauta.agent.first-node-index=" + node.index(),
                "--nauta.agent.lease-renew-interval=1s",
                "--nauta.agent.status-check-interval=1s"));
    // HTTPS as deploy/nauta serves it: the API server reads logs there with its certificate.
    command.addAll(api.agentServingArgs());
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(agentLog.toFile()))
        .start();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (agent != null) {
      agent.destroy();
      agent.waitFor();
    }
    if (plane != null) {
      plane.close();
    }
    if (node != null) {
      node.cleanUp(docker);
    }
  }

  @Test
  @Order(1)
  void aDeploymentsReplicasRunAsContainersWithPodIps() {
    ok(
        "create",
        "deployment",
        "web",
        "--image=" + IMAGE,
        "--replicas=3",
        "--",
        "httpd",
        "-f",
        "-p",
        "8080");

    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(() -> assertThat(readyPods("app=web")).hasSize(3));
    String wide = ok("get", "pods", "-l", "app=web", "-o", "wide");
    List<String> rows = wide.lines().skip(1).toList();
    assertThat(rows).as(wide).hasSize(3);
    for (Pod p : readyPods("app=web")) {
      assertThat(rows)
          .as(wide)
          .anySatisfy(
              row ->
                  assertThat(row.split("\\s+"))
                      .startsWith(p.getMetadata().getName(), "1/1", "Running", "0")
                      .contains(p.getStatus().getPodIP(), node.name()));
      assertThat(p.getStatus().getPodIP()).startsWith(node.ipPrefix());
    }
    // docker ps: one running httpd container per replica (kubectl names it after the image),
    // labelled with its pod, beside its sandbox.
    List<Container> httpd =
        running().stream()
            .filter(c -> "busybox".equals(c.getLabels().get(DockerLabels.CONTAINER_NAME)))
            .filter(c -> c.getLabels().get(DockerLabels.POD_NAME).startsWith("web-"))
            .toList();
    assertThat(httpd)
        .extracting(c -> c.getLabels().get(DockerLabels.POD_NAME))
        .containsExactlyInAnyOrderElementsOf(names(readyPods("app=web")));
    // httpd -f writes nothing, but the deployment's logs are there to ask for.
    Kubectl.Result logs = kubectl.run("logs", "deploy/web");
    assertThat(logs.exitCode()).as(logs.toString()).isZero();
    assertThat(logs.stderr()).contains("Found 3 pods, using pod/web-");
  }

  @Test
  @Order(2)
  void theExposedDeploymentAnswersOnItsClusterIpFromTheNodeAndFromAPod() throws Exception {
    ok("expose", "deployment", "web", "--port=80", "--target-port=8080");
    clusterIp = ok("get", "service", "web", "-o", "jsonpath={.spec.clusterIP}").trim();
    assertThat(clusterIp).startsWith("10.97.");
    ok("run", "client", "--image=" + IMAGE, "--", "sleep", "3600");
    await().atMost(Duration.ofSeconds(60)).until(() -> ready("client"));
    Set<String> replicas = Set.copyOf(names(readyPods("app=web")));

    // httpd serves / from the container's root: /etc/hostname is the pod's name.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(hostnamesFromNode(30)).isEqualTo(replicas));
    assertThat(hostnamesFromPod("client", 30)).isEqualTo(replicas);

    // A pod started after the service gets its variables; it completes and its log stays.
    ok(
        "run",
        "env",
        "--image=" + IMAGE,
        "--restart=Never",
        "--",
        "sh",
        "-c",
        "echo web at $WEB_SERVICE_HOST:$WEB_SERVICE_PORT");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> ok("get", "pod", "env").contains("Completed"));
    assertThat(ok("logs", "env")).isEqualTo("web at " + clusterIp + ":80\n");
  }

  @Test
  @Order(3)
  void aDeletedPodIsReplacedAndTheServiceKeepsAnswering() throws Exception {
    List<String> before = names(readyPods("app=web"));
    ok("delete", "pod", before.get(0), "--wait=false");

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              List<String> now = names(readyPods("app=web"));
              assertThat(now).hasSize(3).doesNotContain(before.get(0));
              assertThat(
                      running().stream()
                          .map(c -> c.getLabels().get(DockerLabels.POD_NAME))
                          .collect(Collectors.toSet()))
                  .doesNotContain(before.get(0));
            });
    // Every request answered, by the replicas there are now, the replacement among them.
    Set<String> replicas = Set.copyOf(names(readyPods("app=web")));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(hostnamesFromNode(30)).isEqualTo(replicas));
    assertThat(hostnamesFromPod("client", 30)).isEqualTo(replicas);
  }

  @Test
  @Order(4)
  void aContainerThatExitsOneCrashLoopsWithGrowingBackOff() {
    ok(
        "run",
        "crash",
        "--image=" + IMAGE,
        "--restart=Always",
        "--",
        "sh",
        "-c",
        "echo starting up; exit 1");

    // Restarted at once, then after 10 s: the third run exits about 10 s after the second.
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              ContainerStatus s = status("crash");
              assertThat(s.getRestartCount()).isGreaterThanOrEqualTo(2);
              assertThat(s.getState().getWaiting()).isNotNull();
              assertThat(s.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
              assertThat(s.getState().getWaiting().getMessage()).startsWith("back-off 20s");
              assertThat(s.getLastState().getTerminated().getExitCode()).isEqualTo(1);
            });
    String get = ok("get", "pod", "crash");
    assertThat(get).contains("CrashLoopBackOff");
    // What each run printed, this one's and the one before.
    assertThat(ok("logs", "crash")).isEqualTo("starting up\n");
    assertThat(ok("logs", "crash", "--previous")).isEqualTo("starting up\n");
    ok("delete", "pod", "crash", "--grace-period=0", "--wait=false");
  }

  @Test
  @Order(5)
  void aFailingLivenessProbeRestartsTheContainer() throws Exception {
    apply(
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: alive}
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: app
            image: %s
            command: [sh, -c, "touch /tmp/healthy; exec sleep 3600"]
            livenessProbe:
              exec: {command: [cat, /tmp/healthy]}
              periodSeconds: 1
              failureThreshold: 2
        """
            .formatted(IMAGE));
    await().atMost(Duration.ofSeconds(30)).until(() -> ready("alive"));
    String id = status("alive").getContainerID().substring("docker://".length());

    exec(id, "rm", "/tmp/healthy");

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              ContainerStatus s = status("alive");
              assertThat(s.getRestartCount()).isEqualTo(1);
              assertThat(s.getState().getRunning()).isNotNull();
            });
    String events = ok("get", "events", "--field-selector=involvedObject.name=alive");
    assertThat(events)
        .contains("Unhealthy", "Liveness probe failed:", "Killing")
        .contains("failed liveness probe, will be restarted");
    ok("delete", "pod", "alive", "--grace-period=0", "--wait=false");
  }

  @Test
  @Order(6)
  void aFailingReadinessProbeTakesThePodOutOfTheEndpointsWithoutARestart() throws Exception {
    apply(
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: shy, labels: {app: shy}}
        spec:
          containers:
          - name: app
            image: %s
            command: [sh, -c, "mkdir /www; touch /www/ready; exec httpd -f -p 8080 -h /www"]
            readinessProbe:
              httpGet: {path: /ready, port: 8080}
              periodSeconds: 1
              failureThreshold: 1
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: shy}
        spec:
          selector: {app: shy}
          ports: [{port: 80, targetPort: 8080}]
        """
            .formatted(IMAGE));
    await().atMost(Duration.ofSeconds(30)).until(() -> endpointIps("shy").size() == 1);
    String id = status("shy").getContainerID().substring("docker://".length());

    exec(id, "rm", "/www/ready");

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(endpointIps("shy")).isEmpty();
              assertThat(ok("get", "pod", "shy")).contains("0/1", "Running");
            });
    assertThat(status("shy").getRestartCount()).isZero();

    exec(id, "touch", "/www/ready");
    await().atMost(Duration.ofSeconds(30)).until(() -> endpointIps("shy").size() == 1);
    assertThat(status("shy").getRestartCount()).isZero();
  }

  @Test
  @Order(10)
  void anAgentKilledAndStartedAgainLeavesTheContainersRunning() throws Exception {
    Map<String, String> before = containerIdsByPod();
    Map<String, Integer> restarts = restartCounts();
    assertThat(before).isNotEmpty();

    agent.destroyForcibly().waitFor();
    agent = startAgent();

    // Same containers (none recreated, none stopped), the pods still Running and Ready. The new
    // agent's JVM start is not what is tested: on a busy CI machine it alone can take a minute.
    await()
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              assertThat(containerIdsByPod()).isEqualTo(before);
              assertThat(readyPods("app=web")).hasSize(3);
              assertThat(restartCounts()).isEqualTo(restarts);
            });
    // And the agent is back in charge: a new replica runs.
    ok("scale", "deployment", "web", "--replicas=4");
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(() -> assertThat(readyPods("app=web")).hasSize(4));
  }

  // --- helpers ---

  /** The pod names that answer {@code n} requests to the service from this host. */
  private static Set<String> hostnamesFromNode(int n) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://" + clusterIp + "/etc/hostname"))
                  .timeout(Duration.ofSeconds(3))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      seen.add(r.body().trim());
    }
    return seen;
  }

  /** The pod names that answer {@code n} requests to the service from inside pod {@code from}. */
  private static Set<String> hostnamesFromPod(String from, int n) throws Exception {
    // busybox nc: an HTTP/1.0 request, the body is the response's last line.
    String loop =
        "for i in $(seq "
            + n
            + "); do printf 'GET /etc/hostname HTTP/1.0\\r\\n\\r\\n' | nc -w 3 "
            + clusterIp
            + " 80 | tail -1; done";
    String out = execOutput(status(from).getContainerID().substring("docker://".length()), loop);
    List<String> lines = out.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
    assertThat(lines).as(out).hasSize(n);
    return new HashSet<>(lines);
  }

  private static String execOutput(String containerId, String script) throws Exception {
    String execId =
        docker
            .execCreateCmd(containerId)
            .withAttachStdout(true)
            .withAttachStderr(true)
            .withCmd("sh", "-c", script)
            .exec()
            .getId();
    StringBuilder out = new StringBuilder();
    docker
        .execStartCmd(execId)
        .exec(
            new com.github.dockerjava.api.async.ResultCallback.Adapter<
                com.github.dockerjava.api.model.Frame>() {
              @Override
              public void onNext(com.github.dockerjava.api.model.Frame frame) {
                synchronized (out) {
                  out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
              }
            })
        .awaitCompletion(60, TimeUnit.SECONDS);
    synchronized (out) {
      return out.toString();
    }
  }

  private static String ok(String... args) {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as("kubectl %s: %s", String.join(" ", args), r).isZero();
    return r.stdout();
  }

  private static void apply(String yaml) {
    Kubectl.Result r = kubectl.runWithInput(yaml, "apply", "-f", "-");
    assertThat(r.exitCode()).as(r.toString()).isZero();
  }

  private static List<Pod> readyPods(String selector) {
    return pods.list("default", ListOptions.labels(selector)).block(T).items().stream()
        .filter(KubectlOnDockerIT::isReady)
        .toList();
  }

  private static boolean ready(String name) {
    Pod p = pods.get("default", name).block(T);
    return p != null && isReady(p);
  }

  private static boolean isReady(Pod p) {
    return p.getMetadata().getDeletionTimestamp() == null
        && p.getStatus() != null
        && "Running".equals(p.getStatus().getPhase())
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static ContainerStatus status(String pod) {
    Pod p = pods.get("default", pod).block(T);
    assertThat(p.getStatus().getContainerStatuses()).as("status of %s", pod).isNotEmpty();
    return p.getStatus().getContainerStatuses().get(0);
  }

  private static List<String> names(List<Pod> list) {
    return list.stream().map(p -> p.getMetadata().getName()).toList();
  }

  private static List<String> endpointIps(String service) {
    Endpoints e =
        client
            .resource(BuiltInResources.ENDPOINTS, Endpoints.class)
            .get("default", service)
            .block(T);
    List<String> ips = new ArrayList<>();
    if (e != null && e.getSubsets() != null) {
      e.getSubsets()
          .forEach(
              s -> {
                if (s.getAddresses() != null) {
                  s.getAddresses().forEach(a -> ips.add(a.getIp()));
                }
              });
    }
    return ips;
  }

  private static List<Container> running() {
    return node.containers(docker).stream().filter(c -> "running".equals(c.getState())).toList();
  }

  /** Running app containers by pod name and container name. */
  private static Map<String, String> containerIdsByPod() {
    return running().stream()
        .filter(c -> !DockerLabels.SANDBOX.equals(c.getLabels().get(DockerLabels.CONTAINER_NAME)))
        .collect(
            Collectors.toMap(
                c ->
                    c.getLabels().get(DockerLabels.POD_NAME)
                        + "/"
                        + c.getLabels().get(DockerLabels.CONTAINER_NAME),
                Container::getId));
  }

  private static Map<String, Integer> restartCounts() {
    return pods.list("default", ListOptions.none()).block(T).items().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null)
        .collect(
            Collectors.toMap(
                p -> p.getMetadata().getName(),
                p -> p.getStatus().getContainerStatuses().get(0).getRestartCount()));
  }

  private static void exec(String containerId, String... command) throws Exception {
    String execId = docker.execCreateCmd(containerId).withCmd(command).exec().getId();
    docker
        .execStartCmd(execId)
        .exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<>())
        .awaitCompletion();
  }
}
