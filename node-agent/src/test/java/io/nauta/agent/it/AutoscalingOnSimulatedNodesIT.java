package io.nauta.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;
import io.nauta.agent.NautaAgent;
import io.nauta.agent.stats.UsageModel;
import io.nauta.api.it.Kubectl;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.registry.BuiltInResources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 19's acceptance on simulated nodes: one agent runs 20 of them, each pod's CPU comes from
 * its {@value UsageModel#ANNOTATION} annotation, the API server scrapes every node's {@code
 * /stats/summary} as metrics-server does, and the autoscaler reads {@code metrics.k8s.io} — the
 * whole path, nothing faked. Each step's outcome is computed by hand from Kubernetes' algorithm
 * (pkg/controller/podautoscaler: replica_calculator.go and horizontal.go) in the comments beside
 * it.
 *
 * <p>The autoscaler: target 50% of a 100m request (50m a pod), min 1, max 10, no stabilization,
 * scale-down at most 50% and scale-up at most 2 pods per 600 s (longer than the test, so every
 * rescale stays in every period).
 */
class AutoscalingOnSimulatedNodesIT {

  private static final Duration T = Duration.ofSeconds(10);
  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final String NS = "hpa-sim";

  @TempDir static Path dir;

  private static ControlPlane plane;
  private static ConfigurableApplicationContext agent;
  private static Kubectl kubectl;
  private static ResourceClient<Pod> pods;
  private static ResourceClient<HorizontalPodAutoscaler> hpas;

  @BeforeAll
  static void startCluster() {
    plane =
        ControlPlane.start(
            List.of("--nauta.controllers.hpa-sync-period=1s"),
            TestApiServer.RESOURCE_METRICS + "true",
            "nauta.metrics.resolution=1s");
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                plane.api.simulatedNodesAgentArg(),
                "--nauta.agent.nodes=20",
                "--nauta.agent.node-name-prefix=hpa",
                "--nauta.agent.runtime=simulated",
                "--nauta.agent.status-check-interval=1s",
                "--nauta.agent.stats.interval=1s"));
    args.addAll(plane.api.agentServingArgs());
    agent = NautaAgent.application().run(args.toArray(String[]::new));
    kubectl = new Kubectl(plane.api.kubeconfig(dir));
    pods = plane.client.resource(BuiltInResources.PODS, Pod.class);
    hpas =
        plane.client.resource(
            BuiltInResources.HORIZONTAL_POD_AUTOSCALERS, HorizontalPodAutoscaler.class);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(ok("get", "nodes", "-o", "name").stdout().lines().count())
                    .isEqualTo(20));
  }

  @AfterAll
  static void stopCluster() {
    if (agent != null) {
      agent.close();
    }
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void scalesByKubernetesAlgorithmWithinItsRateLimitsAndTolerance() {
    ok("create", "namespace", NS);
    apply(
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 6
          selector: {matchLabels: {app: web}}
          template:
            metadata:
              labels: {app: web}
              annotations: {nauta.io/simulated-usage: '{"app": {"cpu": "10m"}}'}
            spec:
              containers:
              - name: app
                image: nauta/busybox:local
                resources: {requests: {cpu: 100m}}
        """);
    ok("-n", NS, "rollout", "status", "deployment/web", "--timeout=30s");
    assertThat(
            pods.list(NS, ListOptions.none()).block(T).items().stream()
                .map(p -> p.getSpec().getNodeName())
                .distinct()
                .count())
        .as("the pods spread over the simulated nodes")
        .isGreaterThan(1);
    // Only once every pod has been scraped: a pod without metrics would count at the target while
    // scaling down (upstream's missing-pods rule), and the first decision would not be the one
    // computed below.
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              Kubectl.Result top = kubectl.run("-n", NS, "top", "pods", "--no-headers");
              assertThat(top.exitCode()).as(top.toString()).isZero();
              assertThat(top.stdout().lines().filter(l -> l.matches("web-\\S+\\s+10m\\s.*")))
                  .as(top.stdout())
                  .hasSize(6);
            });
    apply(
        """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          minReplicas: 1
          maxReplicas: 10
          metrics:
          - type: Resource
            resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
          behavior:
            scaleDown:
              stabilizationWindowSeconds: 0
              policies: [{type: Percent, value: 50, periodSeconds: 600}]
            scaleUp:
              stabilizationWindowSeconds: 0
              policies: [{type: Pods, value: 2, periodSeconds: 600}]
        """);

    // 1. Scale-down, rate-limited. 6 pods at 10m: utilization 10%, ratio 10/50 = 0.2, desired
    // ceil(6 x 0.2) = 2 (at most 2 even if some pods counted as not yet ready: ceil(0.2 x ready)).
    // Limit: 50% of the replicas at the start of the period, int(6 x 0.5) = 3. So 3,
    // ScaleDownLimit.
    awaitReplicas(3);
    HorizontalPodAutoscaler hpa = hpas.get(NS, "web").block(T);
    assertThat(condition(hpa, "ScalingLimited").getReason()).isEqualTo("ScaleDownLimit");
    assertThat(events()).contains("New size: 3; reason: All metrics below target");
    // Later passes want ceil(3 x 0.2) = 1, but the period started at 3 + 3 removed = 6: the limit
    // stays int(6 x 0.5) = 3.
    holds(3, "ScaleDownLimit");

    // 2. Tolerance. Every pod at 54m: ratio 54/50 = 1.08, within Kubernetes' 10%: no change.
    // (While the pods change one at a time the average is below the target: still 3, the limit.)
    annotateAll("54m");
    awaitUtilization(54);
    holds(3, "DesiredWithinRange");

    // 3. Scale-up, rate-limited, counting the removals. At 400m: ratio 8, desired ceil(3 x 8) =
    // 24, capped at 10. The period started at 3 - 0 added + 3 removed = 6 replicas, so the limit is
    // 6 + 2 = 8. (The pods change one at a time, but one pod at 400m and two at 54m already make
    // (400 + 2 x 54) / 3 = 169m, ratio 3.4, desired 11: every step of the change asks for 8.)
    annotateAll("400m");
    awaitReplicas(8);
    hpa = hpas.get(NS, "web").block(T);
    assertThat(condition(hpa, "ScalingLimited").getReason()).isEqualTo("ScaleUpLimit");
    assertThat(events())
        .contains(
            "New size: 8; reason: cpu resource utilization (percentage of request) above target");
    // The five new pods run at the template's 10m: all counted, (3 x 400 + 5 x 10) / 8 = 156m,
    // ratio 3.1, desired 25; any not yet ready count 0 while scaling up, (3 x 400) / (8 x 50) = 3,
    // desired 24. The period now starts at 8 - 5 added + 3 removed = 6 either way: the limit stays
    // 8.
    holds(8, "ScaleUpLimit");
    assertThat(ok("-n", NS, "get", "hpa", "web").stdout())
        .containsPattern("web +Deployment/web +cpu: \\d+%/50% +1 +10 +8 ");
  }

  /** The deployment's replicas reach {@code n} (and its HPA asked for them). */
  private static void awaitReplicas(int n) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () ->
                assertThat(
                        jsonpath(
                            "deployment/web",
                            "{.spec.replicas}/" + jsonpath("hpa/web", "{.status.desiredReplicas}")))
                    .isEqualTo(n + "/" + n));
  }

  /**
   * The autoscaler keeps {@code n}, and says why, for five of its passes (it syncs every second): a
   * rescale it should not make would show within that time.
   */
  private static void holds(int n, String limitedReason) {
    await()
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(8))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              HorizontalPodAutoscaler hpa = hpas.get(NS, "web").block(T);
              assertThat(hpa.getStatus().getDesiredReplicas()).isEqualTo(n);
              assertThat(condition(hpa, "ScalingLimited").getReason()).isEqualTo(limitedReason);
              assertThat(jsonpath("deployment/web", "{.spec.replicas}"))
                  .isEqualTo(String.valueOf(n));
            });
  }

  /** Every pod of the deployment uses {@code cpu} from its next sample on. */
  private static void annotateAll(String cpu) {
    ok(
        "-n",
        NS,
        "annotate",
        "pods",
        "-l",
        "app=web",
        "--overwrite",
        UsageModel.ANNOTATION + "={\"app\": {\"cpu\": \"" + cpu + "\"}}");
  }

  private static void awaitUtilization(int percent) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () ->
                assertThat(
                        jsonpath(
                            "hpa/web",
                            "{.status.currentMetrics[0].resource.current.averageUtilization}"))
                    .isEqualTo(String.valueOf(percent)));
  }

  private static HorizontalPodAutoscalerCondition condition(
      HorizontalPodAutoscaler hpa, String type) {
    return hpa.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }

  private static String events() {
    return ok(
            "-n",
            NS,
            "get",
            "events",
            "--field-selector",
            "involvedObject.kind=HorizontalPodAutoscaler")
        .stdout();
  }

  private static String jsonpath(String object, String path) {
    return ok("-n", NS, "get", object, "-o", "jsonpath=" + path).stdout();
  }

  private static void apply(String yaml) {
    Kubectl.Result r = kubectl.runWithInput(yaml, "-n", NS, "apply", "-f", "-");
    assertThat(r.exitCode()).as(r.toString()).isZero();
  }

  private static Kubectl.Result ok(String... args) {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }
}
