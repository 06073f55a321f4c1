package io.nauta.controllers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.registry.BuiltInResources;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two controller managers: the leader is a separate JVM that gets killed with SIGKILL (no chance to
 * release its Lease); the standby in this JVM takes over within the lease duration and nothing is
 * done twice.
 */
class ControllerManagerHaIT {

  private static final Duration T = Duration.ofSeconds(20);

  private TestCluster cluster;
  private Process leader;
  private Path leaderLog;

  @BeforeEach
  void start() throws Exception {
    cluster = TestCluster.startWithoutControllers(2, "16");
    leaderLog = Files.createTempFile("controllers-leader", ".log");
    List<String> command =
        new ArrayList<>(
            List.of(
                javaBinary(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                "io.nauta.controllers.NautaControllers",
                "--server.port=0"));
    command.addAll(cluster.api.controllerManagerArgs());
    command.addAll(
        List.of(
            // Long enough that a loaded machine does not make it miss a renewal: a leader that
            // loses its lease exits.
            "--nauta.controllers.leader-election.lease-duration=8s",
            "--nauta.controllers.leader-election.renew-deadline=6s",
            "--nauta.controllers.leader-election.retry-period=500ms"));
    leader =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(leaderLog.toFile())
            .start();
  }

  @AfterEach
  void stop() {
    if (leader != null) {
      leader.destroyForcibly();
    }
    cluster.close();
  }

  @Test
  void theStandbyTakesOverFromAKilledLeaderAndNothingIsDoneTwice() throws Exception {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(holder()).as("leader log: %s", leaderLog).isNotEmpty());
    String firstHolder = holder();
    ConfigurableApplicationContext standby = cluster.startControllerManager();
    ResourceClient<Deployment> deployments =
        cluster.client.resource(BuiltInResources.DEPLOYMENTS, Deployment.class);
    deployments.create(deployment("before", 3)).block(T);
    await().atMost(T).until(() -> readyPods("before") == 3);
    assertThat(holder()).isEqualTo(firstHolder);
    assertThat(leaderGauge(standby)).isZero();

    leader.destroyForcibly().waitFor();
    long killed = System.nanoTime();
    deployments.create(deployment("after", 3)).block(T);
    await().atMost(T.multipliedBy(2)).until(() -> readyPods("after") == 3);
    Duration handover = Duration.ofNanos(System.nanoTime() - killed);
    // The lease lasts 8 s; taking over and rolling out 3 pods fits well inside the wait.
    assertThat(holder()).isNotEqualTo(firstHolder);
    assertThat(leaderGauge(standby)).isEqualTo(1.0);
    assertThat(handover).isGreaterThan(Duration.ofSeconds(2));

    // Nothing twice: one replica set per deployment, exactly the replicas asked for.
    await()
        .during(Duration.ofSeconds(2))
        .atMost(T)
        .untilAsserted(
            () -> {
              assertThat(replicaSets("before")).isEqualTo(1);
              assertThat(replicaSets("after")).isEqualTo(1);
              assertThat(pods("before")).isEqualTo(3);
              assertThat(pods("after")).isEqualTo(3);
            });
    assertThat(lease().getSpec().getLeaseTransitions()).isEqualTo(1);
  }

  private Lease lease() {
    return cluster
        .client
        .resource(BuiltInResources.LEASES, Lease.class)
        .get("kube-system", "kube-controller-manager")
        .onErrorComplete()
        .block(T);
  }

  private String holder() {
    Lease lease = lease();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static double leaderGauge(ConfigurableApplicationContext ctx) {
    return ctx.getBean(MeterRegistry.class).get("nauta.leader_election.leader").gauge().value();
  }

  private long replicaSets(String app) {
    return cluster
        .client
        .resource(BuiltInResources.REPLICASETS, ReplicaSet.class)
        .list("default", ListOptions.labels("app=" + app))
        .block(T)
        .items()
        .size();
  }

  private List<Pod> podList(String app) {
    return cluster
        .client
        .resource(BuiltInResources.PODS, Pod.class)
        .list("default", ListOptions.labels("app=" + app))
        .block(T)
        .items();
  }

  private long pods(String app) {
    return podList(app).stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .count();
  }

  private long readyPods(String app) {
    return podList(app).stream()
        .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
        .count();
  }

  private static Deployment deployment(String name, int replicas) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString()
        + (File.separatorChar == '\\' ? ".exe" : "");
  }
}
