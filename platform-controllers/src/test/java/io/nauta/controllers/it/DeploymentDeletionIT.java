package io.nauta.controllers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.nauta.api.it.Kubectl;
import io.nauta.core.client.ListOptions;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.registry.BuiltInResources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * Deleting a deployment with kubectl's three cascades, as in Kubernetes: background (default)
 * removes the deployment at once and its replica set and pods after it; foreground keeps the
 * deployment, marked for deletion, until its replica set and pods are gone; orphan leaves the
 * replica set and pods running without an owner.
 */
class DeploymentDeletionIT {

  private static final Duration T = Duration.ofSeconds(10);
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  private static TestCluster cluster;
  private static Kubectl kubectl;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(2, "16");
    kubectl = new Kubectl(cluster.api.kubeconfig(dir));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void backgroundDeletionRemovesTheDeploymentThenItsReplicaSetAndPods() {
    deploy("bg");
    ok("-n", "bg", "delete", "deployment", "web");
    assertThat(deploymentExists("bg")).isFalse();
    await().atMost(WAIT).until(() -> replicaSets("bg").isEmpty() && pods("bg").isEmpty());
  }

  @Test
  void foregroundDeletionKeepsTheDeploymentUntilItsDependentsAreGone() {
    deploy("fg");
    ok("-n", "fg", "delete", "deployment", "web", "--cascade=foreground", "--wait=false");
    Deployment marked = deployment("fg");
    assertThat(marked.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(marked.getMetadata().getFinalizers()).contains("foregroundDeletion");
    await().atMost(WAIT).until(() -> !deploymentExists("fg"));
    // Gone only after everything it owned.
    assertThat(replicaSets("fg")).isEmpty();
    assertThat(pods("fg")).isEmpty();
  }

  @Test
  void orphanDeletionLeavesTheReplicaSetAndPodsWithoutAnOwner() {
    deploy("or");
    List<String> before = pods("or").stream().map(p -> p.getMetadata().getUid()).sorted().toList();
    ok("-n", "or", "delete", "deployment", "web", "--cascade=orphan");
    await().atMost(WAIT).until(() -> !deploymentExists("or"));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              List<ReplicaSet> rs = replicaSets("or");
              assertThat(rs).hasSize(1);
              assertThat(rs.get(0).getMetadata().getOwnerReferences()).isNullOrEmpty();
            });
    await()
        .during(Duration.ofSeconds(2))
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(pods("or").stream().map(p -> p.getMetadata().getUid()).sorted())
                    .containsExactlyElementsOf(before));
  }

  private static void deploy(String ns) {
    ok("create", "namespace", ns);
    ok("-n", ns, "create", "deployment", "web", "--image=nginx", "--replicas=3");
    await()
        .atMost(WAIT)
        .until(
            () ->
                pods(ns).stream()
                        .filter(
                            p ->
                                p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
                        .count()
                    == 3);
  }

  private static void ok(String... args) {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as(r.toString()).isZero();
  }

  private static Deployment deployment(String ns) {
    return cluster
        .client
        .resource(BuiltInResources.DEPLOYMENTS, Deployment.class)
        .get(ns, "web")
        .block(T);
  }

  private static boolean deploymentExists(String ns) {
    return cluster
        .client
        .resource(BuiltInResources.DEPLOYMENTS, Deployment.class)
        .get(ns, "web")
        .map(d -> true)
        .onErrorResume(NotFoundException.class, e -> Mono.just(false))
        .block(T);
  }

  private static List<ReplicaSet> replicaSets(String ns) {
    return cluster
        .client
        .resource(BuiltInResources.REPLICASETS, ReplicaSet.class)
        .list(ns, ListOptions.none())
        .block(T)
        .items();
  }

  private static List<Pod> pods(String ns) {
    return cluster
        .client
        .resource(BuiltInResources.PODS, Pod.class)
        .list(ns, ListOptions.none())
        .block(T)
        .items();
  }
}
