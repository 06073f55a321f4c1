package io.nauta.federation.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.nauta.api.it.Kubectl;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.federation.api.Cluster;
import io.nauta.federation.api.ClusterSpec;
import io.nauta.federation.api.ClusterStatus;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.api.KarmadaResources;
import io.nauta.federation.api.LocalSecretReference;
import io.nauta.federation.support.TestGateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real member clusters (API servers on their own Redis databases) registered with a real
 * gateway the way Karmada registers Push members: one by a kubeconfig Secret, one by Karmada's
 * {@code token}/{@code caBundle} Secret. The gateway reports them ready with their version and
 * resources, turns one it cannot reach {@code Ready=Unknown} and taints it, and takes that back
 * when it returns.
 */
class ClusterHealthIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String TOKEN = "member2-admin-token";

  @TempDir static Path dir;

  private static TestApiServer member1;
  private static TestApiServer member2;
  private static int member2Port;
  private static Path tokens;
  private static TestGateway gateway;
  private static ResourceClient<Cluster> clusters;

  @BeforeAll
  static void start() throws IOException {
    for (int db = 1; db <= 3; db++) {
      TestGateway.flushDatabase(db);
    }
    tokens = dir.resolve("tokens.csv");
    Files.writeString(tokens, TOKEN + ",member2-admin,uid-1,\"system:masters\"\n");
    member1 = TestApiServer.start("nauta.redis.url=" + TestGateway.redisUrl(2));
    member2 = startMember2();
    member2Port = member2.port();
    gateway =
        TestGateway.start(
            "nauta.federation.cluster.probe-interval=1s",
            "nauta.federation.cluster.probe-timeout=1s",
            "nauta.federation.cluster.failure-threshold=2",
            "nauta.federation.cluster.summary-interval=1s");
    KubeClient admin = gateway.kubeClient();
    clusters = admin.resource(KarmadaResources.CLUSTERS, Cluster.class);
    admin
        .resource(BuiltInResources.NAMESPACES, Namespace.class)
        .create(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("karmada-cluster")
                .endMetadata()
                .build())
        .block(WAIT);
    ResourceClient<Secret> secrets = admin.resource(BuiltInResources.SECRETS, Secret.class);
    secrets
        .create(
            secret(
                "member1",
                Map.of(Karmada.SECRET_KUBECONFIG_KEY, Files.readString(member1.kubeconfig(dir)))))
        .block(WAIT);
    secrets
        .create(
            secret(
                "member2",
                Map.of(
                    Karmada.SECRET_TOKEN_KEY,
                    TOKEN,
                    Karmada.SECRET_CA_DATA_KEY,
                    Files.readString(member2.pkiDir().resolve("server-ca.crt")))))
        .block(WAIT);
    clusters.create(cluster("member1", member1.url(), "us-east")).block(WAIT);
    clusters.create(cluster("member2", member2.url(), "eu-west")).block(WAIT);
  }

  /** Member 2, with a static admin token; {@code more}: e.g. the port it had before. */
  private static TestApiServer startMember2(String... more) {
    List<String> props = new java.util.ArrayList<>();
    props.add("nauta.redis.url=" + TestGateway.redisUrl(3));
    props.add("nauta.security.token-auth-file=" + tokens);
    props.addAll(List.of(more));
    return TestApiServer.start(props.toArray(String[]::new));
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {gateway, member1, member2}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // already stopped
      }
    }
  }

  private static Secret secret(String name, Map<String, String> data) {
    Map<String, String> encoded = new java.util.HashMap<>();
    data.forEach(
        (k, v) ->
            encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace("karmada-cluster")
        .withName(name)
        .endMetadata()
        .withData(encoded)
        .build();
  }

  private static Cluster cluster(String name, String endpoint, String region) {
    return new Cluster(
        new ObjectMetaBuilder().withName(name).build(),
        new ClusterSpec(
            null,
            Karmada.SYNC_MODE_PUSH,
            endpoint,
            new LocalSecretReference("karmada-cluster", name),
            null,
            null,
            null,
            null,
            null,
            region,
            null,
            null,
            null,
            null),
        null);
  }

  private static Cluster get(String name) {
    return clusters.get(null, name).block(WAIT);
  }

  private static Condition ready(Cluster c) {
    return c.status() == null ? null : ClusterStatusController.readyCondition(c.status());
  }

  private static List<String> taintKeys(Cluster c) {
    return c.spec().taints() == null
        ? List.of()
        : c.spec().taints().stream().map(Taint::getKey).toList();
  }

  @Test
  void reportsMembersReadyWithVersionAndResources() {
    KubeClient m1 = member1.kubeClient();
    ResourceClient<Node> nodes = m1.resource(BuiltInResources.NODES, Node.class);
    nodes.create(node("n1", "4", "8Gi", true)).block(WAIT);
    nodes.create(node("n2", "4", "8Gi", true)).block(WAIT);
    nodes.create(node("n3", "16", "64Gi", false)).block(WAIT);
    ResourceClient<Pod> pods = m1.resource(BuiltInResources.PODS, Pod.class);
    pods.create(pod("bound", "n1", "500m", "1Gi")).block(WAIT);
    pods.create(pod("pending", null, "250m", "256Mi")).block(WAIT);

    for (String name : List.of("member1", "member2")) {
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                Cluster c = get(name);
                assertThat(ready(c)).isNotNull();
                assertThat(ready(c).getStatus()).isEqualTo("True");
                assertThat(ready(c).getReason()).isEqualTo(Karmada.REASON_CLUSTER_READY);
                assertThat(ready(c).getLastTransitionTime()).isNotBlank();
                assertThat(c.status().kubernetesVersion()).startsWith("v1.");
                assertThat(taintKeys(c)).isEmpty();
              });
    }
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              ClusterStatus s = get("member1").status();
              assertThat(s.nodeSummary().totalNum()).isEqualTo(3);
              assertThat(s.nodeSummary().readyNum()).isEqualTo(2);
              // Only the ready nodes count.
              assertThat(s.resourceSummary().allocatable())
                  .containsEntry("cpu", new Quantity("8"))
                  .containsEntry("memory", new Quantity("16Gi"))
                  .containsEntry("pods", new Quantity("220"));
              assertThat(s.resourceSummary().allocated())
                  .containsEntry("cpu", new Quantity("500m"))
                  .containsEntry("memory", new Quantity("1Gi"))
                  .containsEntry("pods", new Quantity("1"));
              assertThat(s.resourceSummary().allocating())
                  .containsEntry("cpu", new Quantity("250m"))
                  .containsEntry("pods", new Quantity("1"));
            });
    assertThat(gateway.bean(MemberClusters.class).readyClusters())
        .extracting(c -> c.getMetadata().getName())
        .contains("member1");

    Kubectl.Result table = new Kubectl(gateway.kubeconfig()).run("get", "clusters");
    assertThat(table.stdout()).containsPattern("member1\\s+v1\\.\\S+\\s+Push\\s+True\\s+");
  }

  @Test
  void taintsAMemberItCannotReachAndUntaintsItWhenItReturns() throws Exception {
    await()
        .atMost(WAIT)
        .until(
            () ->
                ready(get("member2")) != null && "True".equals(ready(get("member2")).getStatus()));

    member2.close();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Cluster c = get("member2");
              assertThat(ready(c).getStatus()).isEqualTo("Unknown");
              assertThat(ready(c).getReason()).isEqualTo(Karmada.REASON_CLUSTER_NOT_REACHABLE);
              assertThat(c.spec().taints())
                  .anySatisfy(
                      t -> {
                        assertThat(t.getKey()).isEqualTo(Karmada.TAINT_CLUSTER_UNREACHABLE);
                        assertThat(t.getEffect()).isEqualTo(Karmada.TAINT_EFFECT_NO_SCHEDULE);
                      });
            });
    assertThat(gateway.bean(MemberClusters.class).readyClusters())
        .extracting(c -> c.getMetadata().getName())
        .doesNotContain("member2");
    assertThat(
            gateway
                .bean(io.micrometer.core.instrument.MeterRegistry.class)
                .get(ClusterStatusController.READY_METRIC)
                .tag("cluster", "member2")
                .gauge()
                .value())
        .isZero();
    // The other member is not affected.
    assertThat(ready(get("member1")).getStatus()).isEqualTo("True");

    member2 = startMember2("server.port=" + member2Port);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Cluster c = get("member2");
              assertThat(ready(c).getStatus()).isEqualTo("True");
              assertThat(taintKeys(c)).isEmpty();
            });
  }

  @Test
  void aMemberThatAnswersButRefusesIsNotReadyAndTaintedSo() throws IOException {
    await()
        .atMost(WAIT)
        .until(
            () ->
                ready(get("member1")) != null && "True".equals(ready(get("member1")).getStatus()));
    ResourceClient<Secret> secrets =
        gateway.kubeClient().resource(BuiltInResources.SECRETS, Secret.class);
    Secret good = secrets.get("karmada-cluster", "member1").block(WAIT);
    // Credentials the member refuses (401) over TLS it accepts: the client is made again from
    // the changed Secret, and the member answers, but not ok.
    secrets
        .update(
            new SecretBuilder(good)
                .withData(
                    Map.of(
                        Karmada.SECRET_TOKEN_KEY,
                        base64("wrong"),
                        Karmada.SECRET_CA_DATA_KEY,
                        base64(serverCa(member1))))
                .build())
        .block(WAIT);
    try {
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                Cluster c = get("member1");
                assertThat(ready(c).getStatus()).isEqualTo("False");
                assertThat(ready(c).getReason()).isEqualTo(Karmada.REASON_CLUSTER_NOT_READY);
                assertThat(taintKeys(c)).containsExactly(Karmada.TAINT_CLUSTER_NOT_READY);
              });
    } finally {
      Secret now = secrets.get("karmada-cluster", "member1").block(WAIT);
      secrets.update(new SecretBuilder(now).withData(good.getData()).build()).block(WAIT);
    }
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Cluster c = get("member1");
              assertThat(ready(c).getStatus()).isEqualTo("True");
              assertThat(taintKeys(c)).isEmpty();
            });
  }

  private static String serverCa(TestApiServer member) throws IOException {
    return Files.readString(member.pkiDir().resolve("server-ca.crt"));
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static Node node(String name, String cpu, String memory, boolean ready) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .addToAllocatable("cpu", new Quantity(cpu))
        .addToAllocatable("memory", new Quantity(memory))
        .addToAllocatable("pods", new Quantity("110"))
        .addToCapacity("cpu", new Quantity(cpu))
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .withReason(ready ? "KubeletReady" : "KubeletNotReady")
        .endCondition()
        .endStatus()
        .build();
  }

  private static Pod pod(String name, String node, String cpu, String memory) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .addNewContainer()
        .withName("app")
        .withImage("busybox")
        .withNewResources()
        .addToRequests("cpu", new Quantity(cpu))
        .addToRequests("memory", new Quantity(memory))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }
}
