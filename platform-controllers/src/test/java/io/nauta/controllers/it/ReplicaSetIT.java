package io.nauta.controllers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.nauta.api.it.Kubectl;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.controller.OwnerReferences;
import io.nauta.core.registry.BuiltInResources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replica set controller in a whole control plane, driven through the API and kubectl. */
class ReplicaSetIT {

  private static final Duration T = Duration.ofSeconds(10);
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dir;

  private static TestCluster cluster;
  private static Kubectl kubectl;
  private static ResourceClient<Pod> pods;
  private static ResourceClient<ReplicaSet> replicaSets;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(3, "8");
    kubectl = new Kubectl(cluster.api.kubeconfig(dir));
    pods = cluster.client.resource(BuiltInResources.PODS, Pod.class);
    replicaSets = cluster.client.resource(BuiltInResources.REPLICASETS, ReplicaSet.class);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static void namespace(KubeClient client, String name) {
    client
        .resource(BuiltInResources.NAMESPACES, Namespace.class)
        .create(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .block(T);
  }

  static ReplicaSet replicaSet(String namespace, String name, String app, int replicas) {
    return new ReplicaSetBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .addToMatchLabels("app", app)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", app)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("main")
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  static List<Pod> podsIn(String namespace) {
    return pods.list(namespace, ListOptions.none()).block(T).items();
  }

  static List<Pod> controlledBy(String namespace, ReplicaSet rs) {
    return podsIn(namespace).stream().filter(p -> OwnerReferences.isControlledBy(p, rs)).toList();
  }

  static ReplicaSet get(String namespace, String name) {
    return replicaSets.get(namespace, name).block(T);
  }

  static boolean running(Pod p) {
    return p.getStatus() != null && "Running".equals(p.getStatus().getPhase());
  }

  static Set<String> names(List<Pod> list) {
    return list.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
  }

  @Test
  void keepsItsReplicasRunningReplacesLostPodsAndScales() {
    namespace(cluster.client, "rs-scale");
    ReplicaSet web = replicaSets.create(replicaSet("rs-scale", "web", "web", 5)).block(T);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              List<Pod> owned = controlledBy("rs-scale", web);
              assertThat(owned).hasSize(5).allMatch(ReplicaSetIT::running);
              assertThat(owned)
                  .allSatisfy(p -> assertThat(p.getMetadata().getName()).startsWith("web-"));
              assertThat(podsIn("rs-scale")).hasSize(5);
            });
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var status = get("rs-scale", "web").getStatus();
              assertThat(status.getReplicas()).isEqualTo(5);
              assertThat(status.getFullyLabeledReplicas()).isEqualTo(5);
              assertThat(status.getReadyReplicas()).isEqualTo(5);
              assertThat(status.getAvailableReplicas()).isEqualTo(5);
              assertThat(status.getObservedGeneration()).isEqualTo(1L);
            });

    Set<String> before = names(controlledBy("rs-scale", web));
    String lost = before.iterator().next();
    pods.delete("rs-scale", lost).block(T);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              List<Pod> owned = controlledBy("rs-scale", web);
              assertThat(names(owned)).doesNotContain(lost).hasSize(5);
              assertThat(owned).allMatch(ReplicaSetIT::running);
              assertThat(podsIn("rs-scale")).hasSize(5);
            });

    Kubectl.Result scaled = kubectl.run("-n", "rs-scale", "scale", "rs/web", "--replicas=2");
    assertThat(scaled.exitCode()).as(scaled.toString()).isZero();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(podsIn("rs-scale")).hasSize(2);
              var rs = get("rs-scale", "web");
              assertThat(rs.getStatus().getReplicas()).isEqualTo(2);
              assertThat(rs.getStatus().getObservedGeneration()).isEqualTo(2L);
            });

    Kubectl.Result described = kubectl.run("-n", "rs-scale", "describe", "rs", "web");
    assertThat(described.exitCode()).as(described.toString()).isZero();
    assertThat(described.stdout())
        .contains("SuccessfulCreate")
        .contains("Created pod: web-")
        .contains("SuccessfulDelete")
        .contains("Deleted pod: web-");
  }

  @Test
  void adoptsMatchingOrphansAndKeepsTheCount() {
    namespace(cluster.client, "rs-adopt");
    Pod orphan =
        pods.create(
                new PodBuilder()
                    .withNewMetadata()
                    .withName("orphan")
                    .withNamespace("rs-adopt")
                    .addToLabels("app", "db")
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("main")
                    .withImage("busybox")
                    .endContainer()
                    .endSpec()
                    .build())
            .block(T);
    await().atMost(WAIT).until(() -> running(pods.get("rs-adopt", "orphan").block(T)));

    ReplicaSet db = replicaSets.create(replicaSet("rs-adopt", "db", "db", 1)).block(T);

    // The running orphan is adopted and counts as the one replica: nothing else is created.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Pod adopted = pods.get("rs-adopt", "orphan").block(T);
              assertThat(OwnerReferences.isControlledBy(adopted, db)).isTrue();
              assertThat(
                      OwnerReferences.controllerOf(adopted).orElseThrow().getBlockOwnerDeletion())
                  .isTrue();
              assertThat(adopted.getMetadata().getUid()).isEqualTo(orphan.getMetadata().getUid());
              assertThat(get("rs-adopt", "db").getStatus().getReplicas()).isEqualTo(1);
            });
    assertThat(names(podsIn("rs-adopt"))).containsExactly("orphan");

    // A second orphan is adopted too, and the surplus deleted: one pod remains, owned.
    pods.create(
            new PodBuilder(orphan)
                .editMetadata()
                .withName("orphan-2")
                .withUid(null)
                .withResourceVersion(null)
                .withCreationTimestamp(null)
                .endMetadata()
                .withStatus(null)
                .editSpec()
                .withNodeName(null)
                .endSpec()
                .build())
        .block(T);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              List<Pod> all = podsIn("rs-adopt");
              assertThat(all).hasSize(1);
              assertThat(OwnerReferences.isControlledBy(all.get(0), db)).isTrue();
            });
  }

  @Test
  void releasesAPodThatNoLongerMatchesAndReplacesIt() {
    namespace(cluster.client, "rs-release");
    ReplicaSet api = replicaSets.create(replicaSet("rs-release", "api", "api", 2)).block(T);
    await()
        .atMost(WAIT)
        .until(
            () ->
                controlledBy("rs-release", api).stream().filter(ReplicaSetIT::running).count()
                    == 2);
    String relabelled = controlledBy("rs-release", api).get(0).getMetadata().getName();

    Kubectl.Result labelled =
        kubectl.run("-n", "rs-release", "label", "pod", relabelled, "app=debug", "--overwrite");
    assertThat(labelled.exitCode()).as(labelled.toString()).isZero();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Pod released = pods.get("rs-release", relabelled).block(T);
              assertThat(released.getMetadata().getOwnerReferences()).isNullOrEmpty();
              List<Pod> owned = controlledBy("rs-release", api);
              assertThat(names(owned)).hasSize(2).doesNotContain(relabelled);
              assertThat(owned).allMatch(ReplicaSetIT::running);
            });
  }

  @Test
  void aPodTheApiServerRefusesShowsAsReplicaFailureAndAWarning() {
    namespace(cluster.client, "rs-failure");
    // The template's metadata is not validated as a pod's: this finalizer is refused only when
    // the pod is created (422).
    ReplicaSet broken =
        new ReplicaSetBuilder(replicaSet("rs-failure", "broken", "broken", 2))
            .editSpec()
            .editTemplate()
            .editMetadata()
            .withFinalizers("not a qualified name!")
            .endMetadata()
            .endTemplate()
            .endSpec()
            .build();
    replicaSets.create(broken).block(T);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var conditions = get("rs-failure", "broken").getStatus().getConditions();
              assertThat(conditions)
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("ReplicaFailure");
                        assertThat(c.getStatus()).isEqualTo("True");
                        assertThat(c.getReason()).isEqualTo("FailedCreate");
                        assertThat(c.getMessage()).contains("finalizers");
                      });
            });
    assertThat(podsIn("rs-failure")).isEmpty();
    Kubectl.Result described = kubectl.run("-n", "rs-failure", "describe", "rs", "broken");
    assertThat(described.stdout())
        .contains("Warning")
        .contains("FailedCreate")
        .contains("Error creating:");
  }
}
