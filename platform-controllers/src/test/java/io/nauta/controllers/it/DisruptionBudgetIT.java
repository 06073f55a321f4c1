package io.nauta.controllers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.nauta.api.it.Kubectl;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.registry.BuiltInResources;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * PodDisruptionBudgets end to end (API server, scheduler, simulated kubelets, controller manager):
 * the disruption controller's status for a Deployment's pods, evictions through {@code
 * pods/eviction} spending the budget and then refused with 429, {@code kubectl drain} evicting a
 * finished pod whatever the budget says, kubectl's {@code create pdb}/{@code get pdb}, and an
 * invalid budget refused with 422.
 */
class DisruptionBudgetIT {

  private static final Duration T = Duration.ofSeconds(10);
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path dir;

  private static TestCluster cluster;
  private static Kubectl kubectl;
  private static ResourceClient<Pod> pods;
  private static ResourceClient<PodDisruptionBudget> budgets;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1, "8");
    kubectl = new Kubectl(cluster.api.kubeconfig(dir));
    pods = cluster.client.resource(BuiltInResources.PODS, Pod.class);
    budgets =
        cluster.client.resource(BuiltInResources.POD_DISRUPTION_BUDGETS, PodDisruptionBudget.class);
    http = cluster.api.httpClient();
    cluster.kubelet.exits(p -> p.getMetadata().getName().equals("finished") ? 0 : null);
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

  private static List<Pod> podsOf(String namespace, String selector) {
    return pods.list(namespace, ListOptions.none().withLabelSelector(selector)).block(T).items();
  }

  private static boolean ready(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static HttpResponse<String> evict(String namespace, String pod) throws Exception {
    return evict(namespace, pod, "policy/v1", "");
  }

  private static HttpResponse<String> evict(
      String namespace, String pod, String apiVersion, String query) throws Exception {
    String body =
        """
        {"apiVersion":"%s","kind":"Eviction","metadata":{"name":"%s","namespace":"%s"}}
        """
            .formatted(apiVersion, pod, namespace);
    return http.send(
        HttpRequest.newBuilder(
                URI.create(
                    cluster.api.url()
                        + "/api/v1/namespaces/"
                        + namespace
                        + "/pods/"
                        + pod
                        + "/eviction"
                        + query))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void evictionsSpendTheBudgetTheControllerComputedAndAreRefusedWhenItIsSpent() throws Exception {
    String ns = "budgets";
    ok("create", "namespace", ns);
    ok(
        "-n",
        ns,
        "create",
        "deployment",
        "web",
        "--image=nauta/busybox:local",
        "--replicas=3",
        "--",
        "sleep",
        "3600");
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> podsOf(ns, "app=web").stream().filter(DisruptionBudgetIT::ready).count() == 3);
    List<String> original =
        podsOf(ns, "app=web").stream().map(p -> p.getMetadata().getName()).toList();
    // Replacements never turn Ready, so that what the evictions spent is not given back meanwhile.
    Set<String> first = Set.copyOf(original);
    cluster.kubelet.neverReady(
        p ->
            ns.equals(p.getMetadata().getNamespace())
                && !first.contains(p.getMetadata().getName()));
    ok("-n", ns, "create", "pdb", "web", "--selector=app=web", "--min-available=2");
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              PodDisruptionBudget pdb = budgets.get(ns, "web").block(T);
              assertThat(pdb.getStatus().getObservedGeneration()).isEqualTo(1L);
              assertThat(pdb.getStatus().getExpectedPods()).isEqualTo(3);
              assertThat(pdb.getStatus().getCurrentHealthy()).isEqualTo(3);
              assertThat(pdb.getStatus().getDesiredHealthy()).isEqualTo(2);
              assertThat(pdb.getStatus().getDisruptionsAllowed()).isEqualTo(1);
              assertThat(pdb.getStatus().getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("DisruptionAllowed");
                        assertThat(c.getReason()).isEqualTo("SufficientPods");
                      });
            });
    assertThat(ok("-n", ns, "get", "pdb").stdout())
        .containsPattern("NAME\\s+MIN AVAILABLE\\s+MAX UNAVAILABLE\\s+ALLOWED DISRUPTIONS\\s+AGE")
        .containsPattern("web\\s+2\\s+N/A\\s+1\\s+");

    // A dry run spends nothing and deletes nothing.
    HttpResponse<String> dryRun = evict(ns, original.get(0), "policy/v1", "?dryRun=All");
    assertThat(dryRun.statusCode()).as(dryRun.body()).isEqualTo(201);
    assertThat(budgets.get(ns, "web").block(T).getStatus().getDisruptionsAllowed()).isEqualTo(1);
    assertThat(pods.get(ns, original.get(0)).block(T).getMetadata().getDeletionTimestamp())
        .isNull();

    // The body of older clients (policy/v1beta1) is an eviction too.
    HttpResponse<String> allowed = evict(ns, original.get(0), "policy/v1beta1", "");
    assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(201);
    assertThat(JSON.readTree(allowed.body()).path("status").asString()).isEqualTo("Success");
    // The controller counts the evicted pod out before the next eviction reads the budget.
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> budgets.get(ns, "web").block(T).getStatus().getCurrentHealthy() == 2);
    HttpResponse<String> refused = evict(ns, original.get(1));
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
    JsonNode status = JSON.readTree(refused.body());
    assertThat(status.path("reason").asString()).isEqualTo("TooManyRequests");
    assertThat(status.path("message").asString())
        .isEqualTo("Cannot evict pod as it would violate the pod's disruption budget.");
    assertThat(status.path("details").path("causes").get(0).path("reason").asString())
        .isEqualTo("DisruptionBudget");
    assertThat(status.path("details").path("causes").get(0).path("message").asString())
        .isEqualTo("The disruption budget web needs 2 healthy pods and has 2 currently");

    // The evicted pod went (the kubelet finished it); the refused one is still there.
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> gone(ns, original.get(0)));
    assertThat(pods.get(ns, original.get(1)).block(T).getMetadata().getDeletionTimestamp())
        .isNull();
    PodDisruptionBudget spent = budgets.get(ns, "web").block(T);
    assertThat(spent.getStatus().getDisruptionsAllowed()).isZero();
    assertThat(spent.getStatus().getConditions())
        .anySatisfy(c -> assertThat(c.getReason()).isEqualTo("InsufficientPods"));

    // A pod under two budgets cannot be evicted at all.
    ok("-n", ns, "create", "pdb", "web-too", "--selector=app=web", "--max-unavailable=1");
    HttpResponse<String> ambiguous = evict(ns, original.get(1));
    assertThat(ambiguous.statusCode()).as(ambiguous.body()).isEqualTo(500);
    assertThat(JSON.readTree(ambiguous.body()).path("message").asString())
        .isEqualTo(
            "This pod has more than one PodDisruptionBudget, which the eviction subresource does"
                + " not support.");
  }

  @Test
  void drainEvictsAFinishedPodWhateverTheBudgetSays() {
    String ns = "drained";
    ok("create", "namespace", ns);
    Kubectl.Result created =
        kubectl.runWithInput(
            """
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: none}
            spec:
              maxUnavailable: 0
              selector: {matchLabels: {app: batch}}
            """,
            "-n",
            ns,
            "create",
            "-f",
            "-");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    ok(
        "-n",
        ns,
        "run",
        "finished",
        "--image=nauta/busybox:local",
        "--labels=app=batch",
        "--restart=Never",
        "--",
        "true");
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              Pod p = pods.get(ns, "finished").block(T);
              return p.getStatus() != null && "Succeeded".equals(p.getStatus().getPhase());
            });
    String node = pods.get(ns, "finished").block(T).getSpec().getNodeName();
    try {
      Kubectl.Result drained =
          kubectl.run(
              "drain",
              node,
              "--pod-selector=app=batch",
              "--force",
              "--ignore-daemonsets",
              "--timeout=15s");
      assertThat(drained.exitCode()).as(drained.toString()).isZero();
      assertThat(drained.stdout()).contains("pod/finished evicted");
      assertThat(gone(ns, "finished")).isTrue();
    } finally {
      ok("uncordon", node);
    }
  }

  /**
   * Upstream's {@code getExpectedPodCount}: a {@code maxUnavailable} budget expects its pods'
   * controllers' scale (here a Deployment of 3 whose quota lets only 2 pods exist, so nothing may
   * go), counts pods without a controller as nothing (with the {@code UnmanagedPods} warning), and
   * over a Job's pods (no {@code scale}) fails safe: no disruption, {@code SyncFailed} saying why.
   */
  @Test
  void maxUnavailableCountsTheControllersScaleAndFailsSafeWithoutOne() throws Exception {
    String ns = "scales";
    ok("create", "namespace", ns);
    ok("-n", ns, "create", "quota", "two-pods", "--hard=pods=2");
    ok(
        "-n",
        ns,
        "create",
        "deployment",
        "web",
        "--image=nauta/busybox:local",
        "--replicas=3",
        "--",
        "sleep",
        "3600");
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> podsOf(ns, "app=web").stream().filter(DisruptionBudgetIT::ready).count() == 2);
    ok("-n", ns, "create", "pdb", "web", "--selector=app=web", "--max-unavailable=1");
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              PodDisruptionBudget pdb = budgets.get(ns, "web").block(T);
              assertThat(pdb.getStatus().getExpectedPods()).isEqualTo(3);
              assertThat(pdb.getStatus().getCurrentHealthy()).isEqualTo(2);
              assertThat(pdb.getStatus().getDesiredHealthy()).isEqualTo(2);
              assertThat(pdb.getStatus().getDisruptionsAllowed()).isZero();
            });
    String webPod = podsOf(ns, "app=web").get(0).getMetadata().getName();
    assertThat(evict(ns, webPod).statusCode()).isEqualTo(429);

    ok("-n", ns, "delete", "quota", "two-pods");
    ok(
        "-n",
        ns,
        "run",
        "bare",
        "--image=nauta/busybox:local",
        "--labels=app=bare",
        "--",
        "sleep",
        "3600");
    ok("-n", ns, "create", "pdb", "bare", "--selector=app=bare", "--max-unavailable=1");
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                ok(
                        "-n",
                        ns,
                        "get",
                        "events",
                        "--field-selector=reason=UnmanagedPods",
                        "-o",
                        "jsonpath={.items[*].message}")
                    .stdout()
                    .contains(
                        "Pods selected by this PodDisruptionBudget (selector:"
                            + " &LabelSelector{MatchLabels:map[string]string{app: bare,},"
                            + "MatchExpressions:[]LabelSelectorRequirement{},}) were found to be"
                            + " unmanaged."));
    PodDisruptionBudget bare = budgets.get(ns, "bare").block(T);
    assertThat(bare.getStatus().getExpectedPods()).isZero();
    assertThat(bare.getStatus().getDisruptionsAllowed()).isZero();

    ok("-n", ns, "create", "job", "work", "--image=nauta/busybox:local", "--", "sleep", "3600");
    ok("-n", ns, "create", "pdb", "work", "--selector=job-name=work", "--max-unavailable=1");
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              PodDisruptionBudget pdb = budgets.get(ns, "work").block(T);
              assertThat(pdb.getStatus()).isNotNull();
              assertThat(pdb.getStatus().getDisruptionsAllowed()).isZero();
              assertThat(pdb.getStatus().getConditions())
                  .singleElement()
                  .satisfies(
                      c -> {
                        assertThat(c.getType()).isEqualTo("DisruptionAllowed");
                        assertThat(c.getStatus()).isEqualTo("False");
                        assertThat(c.getReason()).isEqualTo("SyncFailed");
                        assertThat(c.getMessage())
                            .isEqualTo("jobs.batch does not implement the scale subresource");
                      });
            });
    assertThat(
            ok(
                    "-n",
                    ns,
                    "get",
                    "events",
                    "--field-selector=reason=CalculateExpectedPodCountFailed",
                    "-o",
                    "jsonpath={.items[*].message}")
                .stdout())
        .contains(
            "Failed to calculate the number of expected pods: jobs.batch does not implement the"
                + " scale subresource");
    String jobPod = podsOf(ns, "job-name=work").get(0).getMetadata().getName();
    assertThat(evict(ns, jobPod).statusCode()).isEqualTo(429);
  }

  @Test
  void aBudgetWithBothBoundsIsInvalidAndOneOverNoPodsAllowsNothing() {
    Kubectl.Result r =
        kubectl.runWithInput(
            """
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: bad, namespace: default}
            spec:
              minAvailable: 1
              maxUnavailable: 1
              selector: {matchLabels: {app: web}}
            """,
            "create",
            "-f",
            "-");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr())
        .contains("The PodDisruptionBudget \"bad\" is invalid")
        .contains("minAvailable and maxUnavailable cannot be both set");
    assertThat(budgets.list("default", ListOptions.none()).block(T).items()).isEmpty();

    // A valid budget over no pod: the controller says so, and allows nothing.
    ok("create", "pdb", "empty", "--selector=app=nothing", "--min-available=0");
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                ok("get", "events", "--field-selector=reason=NoPods", "-o", "name")
                    .stdout()
                    .contains("event/empty."));
    PodDisruptionBudget empty = budgets.get("default", "empty").block(T);
    assertThat(empty.getStatus().getExpectedPods()).isZero();
    assertThat(empty.getStatus().getDisruptionsAllowed()).isZero();
    ok("delete", "pdb", "empty");
  }

  private static boolean gone(String namespace, String pod) {
    try {
      pods.get(namespace, pod).block(T);
      return false;
    } catch (NotFoundException e) {
      return true;
    }
  }
}
