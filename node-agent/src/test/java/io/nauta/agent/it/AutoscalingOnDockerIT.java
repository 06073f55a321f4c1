package io.nauta.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import io.nauta.agent.runtime.docker.DockerClients;
import io.nauta.agent.runtime.docker.EgressGuard;
import io.nauta.agent.runtime.docker.TestDockerNode;
import io.nauta.api.it.Kubectl;
import io.nauta.api.support.TestApiServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 19's acceptance on the Docker runtime: the agent samples a real container burning CPU, the
 * API server scrapes it as metrics-server does, {@code kubectl top} shows it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoscalingOnDockerIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Pattern MILLICORES = Pattern.compile("(?m)^burner-\\S+\\s+(\\d+)m\\s");

  @TempDir static Path dir;

  private static TestDockerNode node;
  private static DockerClient docker;
  private static ControlPlane plane;
  private static ConfigurableApplicationContext agent;
  private static Kubectl kubectl;

  @BeforeAll
  static void startCluster() {
    EgressGuard.install();
    docker = DockerClients.connect("", System.getProperty("api.version", ""));
    node = TestDockerNode.reserve(docker, "it-hpa");
    plane =
        ControlPlane.start(TestApiServer.RESOURCE_METRICS + "true", "nauta.metrics.resolution=2s");
    agent =
        plane.startDockerAgent(
            "--nauta.agent.node-name=" + node.name(),
            "--nauta.agent.first-node-index=" + node.index(),
            "--nauta.agent.status-check-interval=1s",
            "--nauta.agent.stats.interval=1s");
    kubectl = new Kubectl(plane.api.kubeconfig(dir));
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(ok("get", "nodes", "-o", "name").stdout()).isNotBlank());
  }

  @AfterAll
  static void stopCluster() {
    if (kubectl != null) {
      kubectl.run("delete", "deployment", "--all", "--wait=false");
    }
    if (agent != null) {
      agent.close();
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
  void kubectlTopShowsWhatARealContainerBurns() {
    apply(
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: burner}
        spec:
          replicas: 1
          selector: {matchLabels: {app: burner}}
          template:
            metadata: {labels: {app: burner}}
            spec:
              terminationGracePeriodSeconds: 0
              containers:
              - name: app
                image: nauta/busybox:local
                imagePullPolicy: Never
                resources: {requests: {cpu: 100m}, limits: {cpu: 200m}}
                command: [sh, -c, 'while :; do :; done']
        """);
    ok("rollout", "status", "deployment/burner", "--timeout=60s");
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              Kubectl.Result top = kubectl.run("top", "pods", "-l", "app=burner");
              assertThat(top.exitCode()).as(top.toString()).isZero();
              Matcher m = MILLICORES.matcher(top.stdout());
              assertThat(m.find()).as(top.stdout()).isTrue();
              // A busy loop takes all its limit allows, twice its request (the machine is
              // shared: well above the request is enough).
              assertThat(Integer.parseInt(m.group(1))).as(top.stdout()).isGreaterThan(120);
            });
    assertThat(ok("top", "nodes").stdout()).contains(node.name());
    assertThat(ok("top", "pods", "-l", "app=burner", "--containers").stdout()).contains(" app ");
  }

  @Test
  @Order(2)
  void theAutoscalerScalesUpUnderLoadAndDownOnceItStops() {
    ok("autoscale", "deployment", "burner", "--cpu-percent=50", "--min=1", "--max=4");
    // Kubernetes' default scale-up policies; a short scale-down window instead of 300 s.
    ok(
        "patch",
        "hpa",
        "burner",
        "--type=merge",
        "-p",
        "{\"spec\":{\"behavior\":{\"scaleDown\":{\"stabilizationWindowSeconds\":5}}}}");
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () ->
                assertThat(jsonpath("hpa/burner", "{.status.desiredReplicas}/{.spec.maxReplicas}"))
                    .isEqualTo("4/4"));
    ok("rollout", "status", "deployment/burner", "--timeout=60s");
    assertThat(ok("get", "hpa", "burner").stdout())
        .containsPattern("burner +Deployment/burner +cpu: \\d+%/50% +1 +4 +4 ");
    assertThat(ok("get", "events", "--field-selector", "involvedObject.name=burner").stdout())
        .contains("SuccessfulRescale");

    // The load stops: the pods now sleep, and after the window the autoscaler takes them to 1.
    ok(
        "patch",
        "deployment",
        "burner",
        "--type=json",
        "-p",
        "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/command\","
            + "\"value\":[\"sleep\",\"600\"]}]");
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> assertThat(jsonpath("deployment/burner", "{.spec.replicas}")).isEqualTo("1"));
    assertThat(ok("describe", "hpa", "burner").stdout()).contains("ScalingActive");
  }

  private static String jsonpath(String object, String path) {
    return ok("get", object, "-o", "jsonpath=" + path).stdout();
  }

  private static void apply(String yaml) {
    Kubectl.Result r = kubectl.runWithInput(yaml, "apply", "-f", "-");
    assertThat(r.exitCode()).as(r.toString()).isZero();
  }

  private static Kubectl.Result ok(String... args) {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }
}
