package io.nauta.controllers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.nauta.core.client.ListOptions;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node whose agent stops renewing its Lease is marked unreachable and its pods are evicted once
 * their toleration runs out; the deployment's replica set replaces them on the other node.
 */
class NodeFailureIT {

  private static final Duration T = Duration.ofSeconds(10);
  private static final Duration WAIT = Duration.ofSeconds(60);

  private TestCluster cluster;

  @BeforeEach
  void start() {
    cluster =
        TestCluster.start(
            2,
            "16",
            "nauta.controllers.node-monitor-grace-period=5s",
            "nauta.controllers.node-monitor-period=1s");
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void podsOfASilentNodeAreReplacedOnTheOthers() {
    Deployment web =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("web")
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .withReplicas(4)
            .withNewSelector()
            .addToMatchLabels("app", "web")
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .addToLabels("app", "web")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("web")
            .withImage("nginx")
            .endContainer()
            // Evicted 2 s after the node is tainted unreachable (Kubernetes' default is 300 s).
            .withTolerations(
                new TolerationBuilder()
                    .withKey("node.kubernetes.io/unreachable")
                    .withOperator("Exists")
                    .withEffect("NoExecute")
                    .withTolerationSeconds(2L)
                    .build())
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    cluster.client.resource(BuiltInResources.DEPLOYMENTS, Deployment.class).create(web).block(T);
    await().atMost(WAIT).until(() -> running().size() == 4);
    // The scheduler spreads replicas of one owner: both nodes hold some.
    assertThat(running().stream().map(p -> p.getSpec().getNodeName()).distinct()).hasSize(2);

    cluster.kubelet.stopRenewing("node-0");

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Node node =
                  cluster
                      .client
                      .resource(BuiltInResources.NODES, Node.class)
                      .get(null, "node-0")
                      .block(T);
              assertThat(node.getSpec()).isNotNull();
              assertThat(node.getSpec().getTaints())
                  .anySatisfy(
                      t -> assertThat(t.getKey()).isEqualTo("node.kubernetes.io/unreachable"));
              assertThat(
                      node.getStatus().getConditions().stream()
                          .filter(c -> "Ready".equals(c.getType()))
                          .findFirst()
                          .orElseThrow()
                          .getStatus())
                  .isEqualTo("Unknown");
            });
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              List<Pod> live = running();
              assertThat(live).hasSize(4);
              assertThat(live)
                  .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isEqualTo("node-1"));
            });
  }

  /** Running pods not marked for deletion. */
  private List<Pod> running() {
    return cluster
        .client
        .resource(BuiltInResources.PODS, Pod.class)
        .list("default", ListOptions.labels("app=web"))
        .block(T)
        .items()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
        .toList();
  }
}
