package io.nauta.api.resourcemetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.nauta.api.it.Kubectl;
import io.nauta.api.support.AgentStandIn;
import io.nauta.api.support.TestApiServer;
import io.nauta.api.support.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;

/**
 * {@code kubectl top} against the API server, whose nodes point at small HTTPS servers standing in
 * for their agents' {@code /stats/summary} (the agent's side is another piece of work): served as
 * metrics-server serves it, authorized as every resource, nothing of it stored in Redis.
 */
class ResourceMetricsIT {

  private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  private static TestApiServer server;
  private static Kubectl kubectl;
  private static DisposableServer agent1;
  private static DisposableServer agent2;
  private static final AtomicInteger scrapes = new AtomicInteger();
  private static final AtomicInteger hungScrapes = new AtomicInteger();
  private static final java.util.concurrent.atomic.AtomicBoolean n2Hangs =
      new java.util.concurrent.atomic.AtomicBoolean();

  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    server =
        TestApiServer.startOnEmptyRedis(
            TestApiServer.RESOURCE_METRICS + "true",
            "nauta.metrics.resolution=1s",
            "nauta.metrics.timeout=400ms");
    kubectl = new Kubectl(server.kubeconfig(dir));
    Path pki = server.pkiDir();
    agent1 = agent(pki, () -> Mono.fromSupplier(ResourceMetricsIT::summaryOfN1));
    agent2 =
        agent(
            pki,
            () -> {
              if (n2Hangs.get()) {
                hungScrapes.incrementAndGet();
                return Mono.delay(Duration.ofSeconds(3)).map(x -> summaryOfN2());
              }
              return Mono.fromSupplier(ResourceMetricsIT::summaryOfN2);
            });
    ok(
        kubectl.runWithInput(
            """
            apiVersion: v1
            kind: Namespace
            metadata: {name: demo}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: other}
            ---
            apiVersion: v1
            kind: Node
            metadata: {name: n1}
            ---
            apiVersion: v1
            kind: Node
            metadata: {name: n2}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: demo, labels: {app: web}}
            spec:
              containers:
              - {name: app, image: nauta/busybox:local}
              - {name: side, image: nauta/busybox:local}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: partial, namespace: demo, labels: {app: partial}}
            spec:
              containers:
              - {name: a, image: nauta/busybox:local}
              - {name: b, image: nauta/busybox:local}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: db, namespace: other, labels: {app: db}}
            spec:
              containers:
              - {name: db, image: nauta/busybox:local}
            """,
            "create",
            "-f",
            "-"));
    nodeStatus("n1", agent1.port(), "True");
    nodeStatus("n2", agent2.port(), "True");
  }

  @AfterAll
  static void stop() {
    agent1.disposeNow();
    agent2.disposeNow();
    server.close();
  }

  private static DisposableServer agent(Path pki, java.util.function.Supplier<Mono<String>> body) {
    return AgentStandIn.statsSummary(
        pki,
        () -> {
          scrapes.incrementAndGet();
          return body.get();
        });
  }

  private static void nodeStatus(String node, int port, String ready) {
    ok(
        kubectl.run(
            "patch",
            "node",
            node,
            "--subresource=status",
            "--type=merge",
            "-p",
            """
            {"status": {"addresses": [{"type": "InternalIP", "address": "127.0.0.1"}],
              "daemonEndpoints": {"kubeletEndpoint": {"Port": %d}},
              "allocatable": {"cpu": "2", "memory": "2Gi", "pods": "110"},
              "capacity": {"cpu": "2", "memory": "2Gi", "pods": "110"},
              "conditions": [{"type": "Ready", "status": "%s", "reason": "KubeletReady",
                "lastHeartbeatTime": "2026-01-01T00:00:00Z",
                "lastTransitionTime": "2026-01-01T00:00:00Z"}]}}
            """
                .formatted(port, ready)));
  }

  /** A container (or node) running at {@code millicores} since T0, its working set fixed. */
  private static String stats(String name, long millicores, long workingSet, Instant now) {
    long elapsedMillis = Duration.between(T0, now).toMillis();
    String named = name == null ? "" : "\"name\": \"" + name + "\", ";
    return """
        {%s"startTime": "%s",
         "cpu": {"time": "%s", "usageNanoCores": %d, "usageCoreNanoSeconds": %d},
         "memory": {"time": "%s", "workingSetBytes": %d}}"""
        .formatted(
            named,
            T0,
            now,
            millicores * 1_000_000,
            1_000_000_000L + millicores * 1_000 * elapsedMillis,
            now,
            workingSet);
  }

  private static String pod(String namespace, String name, String... containers) {
    return """
        {"podRef": {"name": "%s", "namespace": "%s", "uid": "%s"}, "containers": [%s]}"""
        .formatted(name, namespace, namespace + "-" + name, String.join(",", containers));
  }

  private static final long MI = 1024 * 1024;

  private static String summaryOfN1() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return """
        {"node": %s, "pods": [%s, %s]}"""
        .formatted(
            stats("n1", 500, 256 * MI, now),
            pod("demo", "web", stats("app", 100, 64 * MI, now), stats("side", 20, 16 * MI, now)),
            // b has no CPU figures yet: metrics-server leaves the whole pod out.
            pod(
                "demo",
                "partial",
                stats("a", 10, MI, now),
                "{\"name\": \"b\", \"memory\": {\"time\": \""
                    + now
                    + "\", \"workingSetBytes\": 1}}"));
  }

  private static String summaryOfN2() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return """
        {"node": %s, "pods": [%s]}"""
        .formatted(
            stats("n2", 250, 128 * MI, now), pod("other", "db", stats("db", 250, 128 * MI, now)));
  }

  private static Kubectl.Result ok(Kubectl.Result r) {
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }

  private static List<String> rows(Kubectl.Result r) {
    return r.stdout().lines().skip(1).map(l -> String.join(" ", l.trim().split("\\s+"))).toList();
  }

  @Test
  void kubectlTopShowsNodesAndPodsAsMetricsServerReportsThem() {
    // The first answer waits for two scrapes of each node (or the agents' own rates before).
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () ->
                assertThat(rows(kubectl.run("top", "pods", "-A")))
                    .containsExactly("demo web 120m 80Mi", "other db 250m 128Mi"));
    // Two scrapes each: CPU now comes from the cumulative counters.
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> scrapes.get() >= 4);

    for (String version : List.of("1.27", "1.33")) {
      Kubectl old = new Kubectl(server.kubeconfig(dir), Kubectl.versioned(version).toString());
      assertThat(rows(ok(old.run("top", "nodes"))))
          .as(version)
          .containsExactly("n1 500m 25% 256Mi 12%", "n2 250m 12% 128Mi 6%");
    }
    assertThat(rows(ok(kubectl.run("top", "nodes"))))
        .containsExactly("n1 500m 25% 256Mi 12%", "n2 250m 12% 128Mi 6%");
    assertThat(rows(ok(kubectl.run("top", "node", "n2")))).containsExactly("n2 250m 12% 128Mi 6%");
    assertThat(rows(ok(kubectl.run("top", "pods", "-n", "demo", "--containers"))))
        .containsExactly("web app 100m 64Mi", "web side 20m 16Mi");
    assertThat(rows(ok(kubectl.run("top", "pods", "-A", "-l", "app in (db,partial)"))))
        .containsExactly("other db 250m 128Mi");
    assertThat(rows(ok(kubectl.run("top", "pod", "web", "-n", "demo"))))
        .containsExactly("web 120m 80Mi");

    // kubectl get asks for a Table: metrics-server's NAME CPU MEMORY WINDOW, a pod's summed.
    Kubectl.Result table = ok(kubectl.run("get", "podmetrics", "-n", "demo"));
    assertThat(table.stdout()).startsWith("NAME").contains("CPU", "MEMORY", "WINDOW");
    assertThat(rows(table))
        .singleElement()
        .asString()
        .matches("web 1(1999999[89]n|20m) 80Mi [0-9.]+m?s");
    assertThat(rows(ok(kubectl.run("get", "nodes.metrics.k8s.io", "n2"))))
        .singleElement()
        .asString()
        .matches("n2 (249999999n|250m) 128Mi [0-9.]+m?s");

    // The wire form: metrics-server's fields, canonical quantities, a Go duration as window.
    String raw =
        ok(kubectl.run("get", "--raw", "/apis/metrics.k8s.io/v1beta1/namespaces/other/pods/db"))
            .stdout();
    assertThat(raw)
        .contains("\"kind\":\"PodMetrics\"", "\"apiVersion\":\"metrics.k8s.io/v1beta1\"")
        .contains("\"labels\":{\"app\":\"db\"}")
        .containsPattern("\"timestamp\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\"")
        .containsPattern("\"window\":\"[0-9.]+m?s\"")
        .containsPattern(
            "\"containers\":\\[\\{\"name\":\"db\",\"usage\":\\{\"cpu\":\"2\\d{8}n|250m");

    Kubectl.Result unknown = kubectl.run("top", "pod", "nosuch", "-n", "demo");
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.stderr()).contains("(NotFound): pods \"nosuch\" not found");
    Kubectl.Result partial = kubectl.run("top", "pod", "partial", "-n", "demo");
    assertThat(partial.exitCode()).isNotZero();
    assertThat(partial.stderr())
        .contains("(NotFound): podmetrics.metrics.k8s.io \"demo/partial\" not found");
    Kubectl.Result node = kubectl.run("top", "node", "n9");
    assertThat(node.stderr()).contains("(NotFound): nodes \"n9\" not found");
  }

  @Test
  void discoveryAndAuthorizationAreThoseOfAnyResourceAndNothingIsStored() {
    assertThat(rows(ok(kubectl.run("api-resources", "--api-group=metrics.k8s.io", "-o", "wide"))))
        .containsExactly(
            "nodes metrics.k8s.io/v1beta1 false NodeMetrics get,list",
            "pods metrics.k8s.io/v1beta1 true PodMetrics get,list");
    // A watch is refused as the aggregated metrics-server refuses it.
    server
        .client()
        .get()
        .uri("/apis/metrics.k8s.io/v1beta1/pods?watch=true")
        .exchange()
        .expectStatus()
        .isEqualTo(405);

    Kubectl nobody = new Kubectl(server.kubeconfigAs("nobody"));
    Kubectl.Result refused = nobody.run("top", "pods", "-n", "demo");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr())
        .contains(
            "pods.metrics.k8s.io is forbidden: User \"nobody\" cannot list resource \"pods\" in"
                + " API group \"metrics.k8s.io\" in the namespace \"demo\"");
    // view aggregates system:aggregated-metrics-reader, as with metrics-server installed.
    ok(
        kubectl.run(
            "create",
            "rolebinding",
            "viewer",
            "--clusterrole=view",
            "--user=viewer",
            "-n",
            "demo"));
    Kubectl viewer = new Kubectl(server.kubeconfigAs("viewer"));
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () ->
                assertThat(rows(viewer.run("top", "pods", "-n", "demo")))
                    .contains("web 120m 80Mi"));

    RedisClient redis = RedisClient.create(TestRedis.url());
    try (StatefulRedisConnection<String, String> c = redis.connect()) {
      assertThat(c.sync().keys("*metrics.k8s.io*")).isEmpty();
    } finally {
      redis.shutdown();
    }
  }

  @Test
  void aNodeNoLongerReadyDropsOutWithItsPods() {
    awaitDbMetrics();
    nodeStatus("n2", agent2.port(), "False");
    try {
      awaitN2WithoutMetrics();
    } finally {
      nodeStatus("n2", agent2.port(), "True");
    }
  }

  @Test
  void aNodeThatStopsAnsweringKeepsItsLastPointsForTwoResolutions() {
    awaitDbMetrics();
    n2Hangs.set(true);
    try {
      // One scrape of n2 has timed out (400 ms): its last points still answer.
      await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> hungScrapes.get() >= 1);
      Instant hung = Instant.now();
      await().pollDelay(Duration.ofMillis(450)).until(() -> true);
      assertThat(rows(ok(kubectl.run("top", "pods", "-n", "other"))))
          .containsExactly("db 250m 128Mi");
      // Two resolutions (2 s) after its last good scrape, n2 and its pods are gone.
      awaitN2WithoutMetrics();
      assertThat(Duration.between(hung, Instant.now())).isGreaterThan(Duration.ofMillis(900));
    } finally {
      n2Hangs.set(false);
    }
  }

  private static void awaitDbMetrics() {
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () ->
                assertThat(rows(kubectl.run("top", "pods", "-n", "other")))
                    .containsExactly("db 250m 128Mi"));
  }

  private static void awaitN2WithoutMetrics() {
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              // kubectl lists the nodes and marks one without metrics.
              assertThat(rows(kubectl.run("top", "nodes")))
                  .containsExactly(
                      "n1 500m 25% 256Mi 12%", "n2 <unknown> <unknown> <unknown> <unknown>");
              assertThat(kubectl.run("top", "pods", "-n", "other").stderr())
                  .contains("metrics not available yet");
            });
  }
}
