package io.nauta.controllers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.nauta.api.it.Kubectl;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.registry.BuiltInResources;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The horizontal pod autoscaler in a whole control plane, driven with kubectl: {@code kubectl
 * autoscale}, {@code kubectl get hpa}'s columns before and after a measurement, a scale-up the
 * metrics drive (capped by maxReplicas), then a scale-down once a behavior without stabilization is
 * patched in. Pod usage comes from {@link TestPodMetrics}, not metrics.k8s.io.
 */
class HorizontalPodAutoscalerIT {

  private static final Duration T = Duration.ofSeconds(10);
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String NS = "hpa";

  @TempDir static Path dir;

  private static TestCluster cluster;
  private static Kubectl kubectl;
  private static ResourceClient<Deployment> deployments;
  private static ResourceClient<HorizontalPodAutoscaler> hpas;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1, "8", "nauta.controllers.hpa-sync-period=1s");
    kubectl = new Kubectl(cluster.api.kubeconfig(dir));
    deployments = cluster.client.resource(BuiltInResources.DEPLOYMENTS, Deployment.class);
    hpas =
        cluster.client.resource(
            BuiltInResources.HORIZONTAL_POD_AUTOSCALERS, HorizontalPodAutoscaler.class);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Kubectl.Result ok(String... args) {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }

  private static int replicas() {
    Deployment d = deployments.get(NS, "web").block(T);
    return d.getSpec().getReplicas();
  }

  @Test
  void aPodsMetricIsReportedAsNotSupported() {
    ok("create", "namespace", "hpa-custom");
    Kubectl.Result created =
        kubectl.runWithInput(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api}
            spec:
              replicas: 1
              selector: {matchLabels: {app: api}}
              template:
                metadata: {labels: {app: api}}
                spec:
                  containers: [{name: app, image: nauta/busybox:local}]
            ---
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: api}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
              maxReplicas: 3
              metrics:
              - type: Pods
                pods:
                  metric: {name: requests_per_second}
                  target: {type: AverageValue, averageValue: "10"}
            """,
            "-n",
            "hpa-custom",
            "create",
            "-f",
            "-");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              HorizontalPodAutoscaler hpa = hpas.get("hpa-custom", "api").block(T);
              assertThat(hpa.getStatus()).isNotNull();
              assertThat(hpa.getStatus().getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("ScalingActive");
                        assertThat(c.getStatus()).isEqualTo("False");
                        assertThat(c.getReason()).isEqualTo("FailedGetPodsMetric");
                        assertThat(c.getMessage()).contains("Pods metrics are not supported");
                      });
            });
    assertThat(ok("-n", "hpa-custom", "get", "hpa", "api").stdout())
        .containsPattern("api\\s+Deployment/api\\s+<unknown>/10\\s+1\\s+3\\s+1\\s");
  }

  @Test
  void scalesADeploymentOnItsPodsCpuUsage() {
    ok("create", "namespace", NS);
    Kubectl.Result created =
        kubectl.runWithInput(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 1
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: app
                    image: nauta/busybox:local
                    resources: {requests: {cpu: 100m}}
            """,
            "-n",
            NS,
            "create",
            "-f",
            "-");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    ok("-n", NS, "autoscale", "deployment", "web", "--cpu-percent=50", "--min=1", "--max=4");

    // kubectl autoscale posted autoscaling/v1: stored as v2 with its Resource cpu metric, and
    // read back through v1 as it was sent.
    HorizontalPodAutoscaler posted = hpas.get(NS, "web").block(T);
    assertThat(
            posted.getSpec().getMetrics().get(0).getResource().getTarget().getAverageUtilization())
        .isEqualTo(50);
    assertThat(
            ok(
                    "-n",
                    NS,
                    "get",
                    "horizontalpodautoscalers.v1.autoscaling",
                    "web",
                    "-o",
                    "jsonpath={.apiVersion} {.spec.targetCPUUtilizationPercentage}")
                .stdout())
        .isEqualTo("autoscaling/v1 50");

    // Before any metric: the target is known, the current value is not.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              String out = ok("-n", NS, "get", "hpa").stdout();
              assertThat(out)
                  .containsPattern(
                      "NAME\\s+REFERENCE\\s+TARGETS\\s+MINPODS\\s+MAXPODS\\s+REPLICAS\\s+AGE")
                  .containsPattern("web\\s+Deployment/web\\s+cpu: <unknown>/50%\\s+1\\s+4\\s+1\\s");
            });

    // 200m of a 100m request = 200 %, 4 times the target: ceil(1 * 4) = 4, which is also the
    // first step's limit (max(2 * 1, 4)) and maxReplicas.
    cluster.podMetrics.setCpu(NS, 200);
    await().atMost(WAIT).until(() -> replicas() == 4);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(ok("-n", NS, "get", "hpa", "web").stdout())
                  .containsPattern("web\\s+Deployment/web\\s+cpu: 200%/50%\\s+1\\s+4\\s+4\\s");
              assertThat(
                      ok("-n", NS, "get", "events", "--field-selector=reason=SuccessfulRescale")
                          .stdout())
                  .contains(
                      "New size: 4; reason: cpu resource utilization (percentage of request) above"
                          + " target");
            });
    // The controller writes the target's scale before its own status: wait for the status.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              HorizontalPodAutoscaler hpa = hpas.get(NS, "web").block(T);
              assertThat(hpa.getStatus().getDesiredReplicas()).isEqualTo(4);
              assertThat(hpa.getStatus().getLastScaleTime()).isNotNull();
              assertThat(hpa.getStatus().getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("ScalingLimited");
                        assertThat(c.getStatus()).isEqualTo("True");
                        assertThat(c.getReason()).isEqualTo("TooManyReplicas");
                      })
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("ScalingActive");
                        assertThat(c.getReason()).isEqualTo("ValidMetricFound");
                      });
            });
    assertThat(ok("-n", NS, "describe", "hpa", "web").stdout())
        .contains("Reference:")
        .contains("Deployment/web")
        .contains("SuccessfulRescale");

    // Idle, with the default 300 s down-stabilization nothing happens; patched to none with at
    // most 50 % per 15 s: 10 % -> ceil(0.2 * 4) = 1, limited to 4 * 0.5 = 2 first.
    cluster.podMetrics.setCpu(NS, 10);
    ok(
        "-n",
        NS,
        "patch",
        "hpa",
        "web",
        "--type=merge",
        "-p",
        "{\"spec\":{\"behavior\":{\"scaleDown\":{\"stabilizationWindowSeconds\":0,"
            + "\"policies\":[{\"type\":\"Percent\",\"value\":50,\"periodSeconds\":15}]}}}}");
    await().atMost(WAIT).until(() -> replicas() == 2);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              HorizontalPodAutoscaler limited = hpas.get(NS, "web").block(T);
              assertThat(limited.getSpec().getBehavior().getScaleUp().getPolicies()).hasSize(2);
              assertThat(limited.getStatus().getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("ScalingLimited");
                        assertThat(c.getReason()).isEqualTo("ScaleDownLimit");
                      });
            });
  }
}
