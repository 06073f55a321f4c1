package io.nauta.controllers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.nauta.api.it.Kubectl;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deployments end to end with real kubectl: create, scale, a rolling update whose every pod event
 * stays within maxSurge and maxUnavailable, rollout status, history, undo, pause and resume, and a
 * rollout that exceeds its progress deadline. The whole controller manager runs: the deployment
 * controller's replica sets are run by the real ReplicaSet controller.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeploymentIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  static TestCluster cluster;
  static Kubectl kubectl;
  static ResourceClient<Deployment> deployments;
  static ResourceClient<ReplicaSet> replicaSets;
  static ResourceClient<Pod> pods;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(4, "16");
    kubectl = new Kubectl(cluster.api.kubeconfig(dir));
    deployments = cluster.client.resource(BuiltInResources.DEPLOYMENTS, Deployment.class);
    replicaSets = cluster.client.resource(BuiltInResources.REPLICASETS, ReplicaSet.class);
    pods = cluster.client.resource(BuiltInResources.PODS, Pod.class);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Kubectl.Result ok(String... args) {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r).isZero();
    return r;
  }

  private static List<Pod> livePods(String app) {
    return pods
        .list("default", ListOptions.none().withLabelSelector("app=" + app))
        .block(WAIT)
        .items()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  private static boolean ready(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static String image(Pod p) {
    return p.getSpec().getContainers().get(0).getImage();
  }

  /** Exactly {@code n} pods of {@code app}, all ready, all running {@code image}, none leaving. */
  private static void awaitSettled(String app, int n, String image) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              List<Pod> all =
                  pods.list("default", ListOptions.none().withLabelSelector("app=" + app))
                      .block(WAIT)
                      .items();
              assertThat(all).hasSize(n);
              assertThat(all).allMatch(p -> p.getMetadata().getDeletionTimestamp() == null);
              assertThat(all).allMatch(DeploymentIT::ready);
              assertThat(all).allMatch(p -> image.equals(image(p)));
            });
  }

  private static DeploymentCondition condition(String name, String type) {
    Deployment d = deployments.get("default", name).block(WAIT);
    if (d.getStatus() == null || d.getStatus().getConditions() == null) {
      return null;
    }
    return d.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  private static List<ReplicaSet> replicaSetsOf(String app) {
    return replicaSets
        .list("default", ListOptions.none().withLabelSelector("app=" + app))
        .block(WAIT)
        .items();
  }

  @Test
  @Order(1)
  void createdDeploymentRunsItsReplicas() {
    ok("create", "deployment", "web", "--image=nginx", "--replicas=5");
    awaitSettled("web", 5, "nginx");
    Kubectl.Result status = ok("rollout", "status", "deployment/web");
    assertThat(status.stdout()).contains("deployment \"web\" successfully rolled out");
    Deployment d = deployments.get("default", "web").block(WAIT);
    assertThat(d.getMetadata().getAnnotations())
        .containsEntry("deployment.kubernetes.io/revision", "1");
    assertThat(d.getStatus().getReplicas()).isEqualTo(5);
    assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(5);
    assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(5);
    assertThat(d.getStatus().getObservedGeneration()).isEqualTo(d.getMetadata().getGeneration());
    List<ReplicaSet> rss = replicaSetsOf("web");
    assertThat(rss).hasSize(1);
    String hash = rss.get(0).getMetadata().getLabels().get("pod-template-hash");
    assertThat(rss.get(0).getMetadata().getName()).isEqualTo("web-" + hash);
    assertThat(rss.get(0).getMetadata().getAnnotations())
        .containsEntry("deployment.kubernetes.io/desired-replicas", "5")
        .containsEntry("deployment.kubernetes.io/max-replicas", "7");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        cluster
                            .client
                            .resource(BuiltInResources.EVENTS, Event.class)
                            .list("default", ListOptions.none())
                            .block(WAIT)
                            .items())
                    .anyMatch(
                        e ->
                            "ScalingReplicaSet".equals(e.getReason())
                                && ("Scaled up replica set web-" + hash + " to 5")
                                    .equals(e.getMessage())));
  }

  @Test
  @Order(2)
  void scalingChangesThePodCount() {
    ok("scale", "deployment", "web", "--replicas=2");
    awaitSettled("web", 2, "nginx");
    await()
        .atMost(WAIT)
        .until(() -> deployments.get("default", "web").block(WAIT).getStatus().getReplicas() == 2);
  }

  @Test
  @Order(3)
  void rollingUpdateStaysWithinSurgeAndAvailability() {
    // 2 replicas, 25%/25%: maxSurge rounds up to 1, maxUnavailable down to 0.
    int max = 3;
    int minAvailable = 2;
    List<String> violations = new CopyOnWriteArrayList<>();
    SharedInformer<Pod> watch =
        new SharedInformer<>(
            pods,
            "default",
            ListOptions.none().withLabelSelector("app=web"),
            Duration.ofMillis(100),
            Duration.ofSeconds(2));
    var sub =
        watch
            .events()
            .subscribe(
                e -> {
                  List<Pod> live =
                      watch.store().list().stream()
                          .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                          .toList();
                  long available = live.stream().filter(DeploymentIT::ready).count();
                  if (live.size() > max || available < minAvailable) {
                    violations.add(
                        e.type()
                            + " "
                            + e.object().getMetadata().getName()
                            + ": "
                            + live.size()
                            + " pods, "
                            + available
                            + " available");
                  }
                });
    try {
      watch.start();
      watch.synced().block(WAIT);
      ok("set", "image", "deployment/web", "nginx=nginx:2");
      Kubectl.Result status = ok("rollout", "status", "deployment/web");
      assertThat(status.stdout()).contains("successfully rolled out");
      awaitSettled("web", 2, "nginx:2");
      assertThat(violations).isEmpty();
    } finally {
      sub.dispose();
      watch.close();
    }
    Deployment d = deployments.get("default", "web").block(WAIT);
    assertThat(d.getMetadata().getAnnotations())
        .containsEntry("deployment.kubernetes.io/revision", "2");
    assertThat(condition("web", "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
    assertThat(condition("web", "Available").getReason()).isEqualTo("MinimumReplicasAvailable");
  }

  @Test
  @Order(4)
  void historyListsBothRevisions() {
    Kubectl.Result history = ok("rollout", "history", "deployment/web");
    assertThat(history.stdout())
        .contains("REVISION")
        .containsPattern("(?m)^1\\s")
        .containsPattern("(?m)^2\\s");
  }

  @Test
  @Order(5)
  void undoReturnsToThePreviousTemplate() {
    Kubectl.Result undo = ok("rollout", "undo", "deployment/web");
    assertThat(undo.stdout()).contains("rolled back");
    ok("rollout", "status", "deployment/web");
    awaitSettled("web", 2, "nginx");
    List<ReplicaSet> rss = replicaSetsOf("web");
    assertThat(rss).as("the old replica set is re-used").hasSize(2);
    ReplicaSet back =
        rss.stream()
            .filter(
                rs ->
                    "nginx"
                        .equals(
                            rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()))
            .findFirst()
            .orElseThrow();
    assertThat(back.getMetadata().getAnnotations())
        .containsEntry("deployment.kubernetes.io/revision", "3")
        .containsEntry("deployment.kubernetes.io/revision-history", "1");
  }

  @Test
  @Order(6)
  void pausedRolloutWaitsForResume() {
    ok("rollout", "pause", "deployment/web");
    await()
        .atMost(WAIT)
        .until(
            () -> {
              DeploymentCondition c = condition("web", "Progressing");
              return c != null && "DeploymentPaused".equals(c.getReason());
            });
    ok("set", "image", "deployment/web", "nginx=nginx:3");
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                replicaSetsOf("web").stream()
                    .noneMatch(
                        rs ->
                            "nginx:3"
                                .equals(
                                    rs.getSpec()
                                        .getTemplate()
                                        .getSpec()
                                        .getContainers()
                                        .get(0)
                                        .getImage())));
    ok("rollout", "resume", "deployment/web");
    ok("rollout", "status", "deployment/web");
    awaitSettled("web", 2, "nginx:3");
  }

  @Test
  @Order(7)
  void rolloutThatNeverGetsReadyExceedsItsDeadline() {
    ok("create", "deployment", "slow", "--image=nginx", "--replicas=2");
    awaitSettled("slow", 2, "nginx");
    ok("patch", "deployment", "slow", "-p", "{\"spec\":{\"progressDeadlineSeconds\":10}}");
    cluster.kubelet.neverReady(p -> "nginx:bad".equals(image(p)));
    ok("set", "image", "deployment/slow", "nginx=nginx:bad");
    await()
        .atMost(WAIT)
        .until(
            () -> {
              DeploymentCondition c = condition("slow", "Progressing");
              return c != null
                  && "ProgressDeadlineExceeded".equals(c.getReason())
                  && "False".equals(c.getStatus());
            });
    Kubectl.Result status = kubectl.run("rollout", "status", "deployment/slow");
    assertThat(status.exitCode()).as(status.toString()).isNotZero();
    assertThat(status.stderr()).contains("exceeded its progress deadline");
    // The old pods keep serving.
    assertThat(
            livePods("slow").stream()
                .filter(p -> "nginx".equals(image(p)))
                .filter(DeploymentIT::ready))
        .hasSize(2);
  }
}
