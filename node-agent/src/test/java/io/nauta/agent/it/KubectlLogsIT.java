package io.nauta.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.nauta.agent.runtime.docker.DockerClients;
import io.nauta.agent.runtime.docker.EgressGuard;
import io.nauta.agent.runtime.docker.TestDockerNode;
import io.nauta.api.it.Kubectl;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.registry.BuiltInResources;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code kubectl logs} end to end: real kubectl against the API server (Redis in Docker), which
 * streams {@code pods/log} from the node agent's {@code /containerLogs}, which reads Docker's logs
 * of real containers. The agent serves HTTPS and the API server calls it with its kubelet-client
 * certificate, as {@code deploy/nauta up} sets them up.
 */
class KubectlLogsIT {

  private static final String IMAGE = "nauta/busybox:local";
  private static final Duration T = Duration.ofSeconds(10);

  @TempDir static Path dir;

  private static TestDockerNode node;
  private static DockerClient docker;
  private static TestApiServer api;
  private static ControlPlane plane;
  private static ConfigurableApplicationContext agent;
  private static ResourceClient<Pod> pods;
  private static KubeClient client;
  private static Kubectl kubectl;

  /**
   * The admin (client certificate, trusting the cluster's server CA): on the API server and agent.
   */
  private static HttpClient http;

  /** Trusts the cluster's server CA (the agent's certificate too), presents no certificate. */
  private static HttpClient anonymous;

  @BeforeAll
  static void startCluster() {
    EgressGuard.install();
    docker = DockerClients.connect("", System.getProperty("api.version", ""));
    node = TestDockerNode.reserve(docker, "it-logs");
    plane = ControlPlane.start();
    api = plane.api;
    http = api.httpClient();
    anonymous = api.anonymousHttpClient();
    client = plane.client;
    pods = client.resource(BuiltInResources.PODS, Pod.class);
    agent =
        plane.startDockerAgent(
            "--nauta.agent.node-name=" + node.name(),
            "--nauta.agent.first-node-index=" + node.index(),
            "--nauta.agent.status-check-interval=1s");
    kubectl = new Kubectl(api.kubeconfig(dir));

    // Every pod at once, so their start-ups overlap.
    create(
        pod(
            "writer",
            "Always",
            sh("app", "echo line 1; echo line 2; echo line 3; exec sleep 600")));
    create(
        pod(
            "pair",
            "Always",
            sh("a", "echo from-a; exec sleep 600"),
            sh("b", "echo from-b >&2; exec sleep 600")));
    create(
        pod(
            "ticker",
            "Always",
            sh("app", "i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.3; done")));
    // Each run writes a line of its own, then fails: the kubelet restarts it (after 10 s back-off).
    create(
        pod(
            "crasher",
            "Always",
            sh("app", "echo run $(cat /proc/sys/kernel/random/uuid); sleep 6; exit 1")));
    client
        .resource(BuiltInResources.DEPLOYMENTS, Deployment.class)
        .create(
            new DeploymentBuilder()
                .withNewMetadata()
                .withNamespace("default")
                .withName("web")
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector()
                .addToMatchLabels("app", "web")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "web")
                .endMetadata()
                .withNewSpec()
                .withTerminationGracePeriodSeconds(0L)
                .withContainers(sh("web", "echo hello from web; exec sleep 600"))
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .block(T);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              for (String name : List.of("writer", "pair", "ticker")) {
                assertThat(pods.get("default", name).block(T).getStatus().getContainerStatuses())
                    .isNotEmpty()
                    .allMatch(s -> s.getState().getRunning() != null);
              }
            });
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
    if (node != null) {
      node.cleanUp(docker);
    }
  }

  private static Container sh(String name, String script) {
    return new ContainerBuilder()
        .withName(name)
        .withImage(IMAGE)
        .withImagePullPolicy("IfNotPresent")
        .withCommand("sh", "-c", script)
        .build();
  }

  private static Pod pod(String name, String restartPolicy, Container... containers) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy(restartPolicy)
        .withTerminationGracePeriodSeconds(0L)
        .withContainers(containers)
        .endSpec()
        .build();
  }

  private static void create(Pod pod) {
    pods.create(pod).block(T);
  }

  private static Kubectl.Result ok(String... args) {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }

  @Test
  void showsAPodsOutputAsWrittenWithTailTimestampsAndLimit() {
    assertThat(ok("logs", "writer").stdout()).isEqualTo("line 1\nline 2\nline 3\n");
    assertThat(ok("logs", "writer", "--tail=2").stdout()).isEqualTo("line 2\nline 3\n");
    assertThat(ok("logs", "writer", "--limit-bytes=8").stdout()).isEqualTo("line 1\nl");
    List<String> stamped = ok("logs", "writer", "--timestamps").stdout().lines().toList();
    assertThat(stamped).hasSize(3);
    for (int i = 0; i < 3; i++) {
      // RFC3339Nano, as the kubelet writes it.
      assertThat(stamped.get(i))
          .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z line " + (i + 1));
    }
    assertThat(ok("logs", "writer", "--since=1h").stdout()).isEqualTo("line 1\nline 2\nline 3\n");
    assertThat(ok("logs", "writer", "--since-time=2037-01-01T00:00:00Z").stdout()).isEmpty();
  }

  @Test
  void aLineLongerThanTheEnginesFramesComesBackWhole() {
    // docker-java hands out each frame in one shared 1 KiB buffer: kept without a copy, later reads
    // overwrote earlier pieces of a long line (one of about 58 KB here, all distinct numbers).
    create(pod("long", "Always", sh("app", "seq -s, 1 12000; exec sleep 600")));
    StringBuilder line = new StringBuilder();
    for (int i = 1; i <= 12000; i++) {
      line.append(i).append(i < 12000 ? "," : "\n");
    }
    String expected = line.toString();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              String logs = ok("logs", "long").stdout();
              // Said briefly: a diff of two 58 KB strings takes AssertJ longer than the wait.
              assertThat(logs.equals(expected))
                  .as(
                      "%d bytes for %d, first difference at %d",
                      logs.length(), expected.length(), firstDifference(logs, expected))
                  .isTrue();
            });
  }

  private static int firstDifference(String a, String b) {
    int i = 0;
    while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    return i;
  }

  @Test
  void choosesAContainerOfAPodWithSeveral() throws Exception {
    assertThat(ok("logs", "pair", "-c", "a").stdout()).isEqualTo("from-a\n");
    // stderr is part of the log, as in Kubernetes.
    assertThat(ok("logs", "pair", "-c", "b").stdout()).isEqualTo("from-b\n");
    // kubectl itself picks the first container when none is named, and says so.
    Kubectl.Result defaulted = ok("logs", "pair");
    assertThat(defaulted.stdout()).isEqualTo("from-a\n");
    assertThat(defaulted.stderr()).contains("Defaulted container \"a\" out of: a, b");
    Kubectl.Result unknown = kubectl.run("logs", "pair", "-c", "x");
    assertThat(unknown.exitCode()).isNotZero();
    // kubectl checks the name itself first, with the server's words.
    assertThat(unknown.stderr()).contains("container x is not valid for pod pair");
    HttpResponse<String> unknownOnServer =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(api.url() + "/api/v1/namespaces/default/pods/pair/log?container=x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(unknownOnServer.statusCode()).isEqualTo(400);
    assertThat(unknownOnServer.body()).contains("container x is not valid for pod pair");
    // The server's answer to a request without a container, as other clients get it.
    HttpResponse<String> noContainer =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(api.url() + "/api/v1/namespaces/default/pods/pair/log"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(noContainer.statusCode()).isEqualTo(400);
    assertThat(noContainer.body())
        .contains("\"reason\":\"BadRequest\"")
        .contains("a container name must be specified for pod pair, choose one of: [a b]");
    HttpResponse<String> negativeTail =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        api.url() + "/api/v1/namespaces/default/pods/writer/log?tailLines=-1"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(negativeTail.statusCode()).isEqualTo(422);
    assertThat(negativeTail.body())
        .contains("PodLogOptions \\\"writer\\\" is invalid: tailLines: Invalid value: -1");
  }

  @Test
  void followReceivesLinesWrittenAfterItStarted() throws Exception {
    Instant started = Instant.now();
    Process follow = kubectl.start("logs", "-f", "--timestamps", "ticker");
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(follow.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<String> later =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  String line;
                  while ((line = out.readLine()) != null) {
                    Instant at = Instant.parse(line.substring(0, line.indexOf(' ')));
                    if (at.isAfter(started.plusSeconds(1))) {
                      return line;
                    }
                  }
                  return null;
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      assertThat(later.get(20, TimeUnit.SECONDS)).matches(".* tick \\d+");
      assertThat(follow.isAlive()).isTrue();
    } finally {
      follow.destroy();
      follow.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void previousShowsTheRunBeforeTheRestart() {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              ContainerStatus s = crasher();
              assertThat(s.getRestartCount()).isGreaterThanOrEqualTo(1);
              assertThat(s.getState().getRunning()).isNotNull();
              String previous = ok("logs", "crasher", "--previous").stdout();
              String current = ok("logs", "crasher").stdout();
              // Both answers belong to the same restart, or the pair proves nothing.
              assertThat(crasher().getRestartCount()).isEqualTo(s.getRestartCount());
              assertThat(previous).matches("run [0-9a-f-]{36}\n");
              assertThat(current).matches("run [0-9a-f-]{36}\n");
              assertThat(previous).isNotEqualTo(current);
            });
    Kubectl.Result none = kubectl.run("logs", "writer", "--previous");
    assertThat(none.exitCode()).isNotZero();
    assertThat(none.stderr())
        .contains("previous terminated container \"app\" in pod \"writer\" not found");
  }

  private static ContainerStatus crasher() {
    return pods.get("default", "crasher").block(T).getStatus().getContainerStatuses().get(0);
  }

  @Test
  void showsTheLogsOfADeploymentsPod() {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(ok("logs", "deploy/web").stdout()).isEqualTo("hello from web\n"));
  }

  @Test
  void theAgentServesLogsOnlyToCallersItCanAuthenticate() throws Exception {
    int port = Integer.parseInt(agent.getEnvironment().getProperty("local.server.port"));
    Node registered =
        client.resource(BuiltInResources.NODES, Node.class).get(null, node.name()).block(T);
    assertThat(registered.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort())
        .isEqualTo(port);
    URI uri = URI.create("https://127.0.0.1:" + port + "/containerLogs/default/writer/app");
    // HTTPS as deploy/nauta serves it: anonymous and unknown tokens are 401 (AgentAuthIT has the
    // rest: 403 for a caller RBAC does not allow, reviews by the API server).
    HttpResponse<String> none =
        anonymous.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(none.statusCode()).isEqualTo(401);
    HttpResponse<String> wrong =
        anonymous.send(
            HttpRequest.newBuilder(uri).header("Authorization", "Bearer not-a-token").build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).doesNotContain("line");
    // The admin's client certificate (system:masters) reads them.
    HttpResponse<String> right =
        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(right.statusCode()).isEqualTo(200);
    assertThat(right.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(right.body()).isEqualTo("line 1\nline 2\nline 3\n");
    HttpResponse<String> unknown =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + port + "/containerLogs/default/nope/app"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).isEqualTo("pod \"nope\" does not exist");
  }
}
