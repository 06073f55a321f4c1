package io.nauta.federation.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.api.support.TestApiServer;
import io.nauta.api.support.TestRedis;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.PatchType;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.federation.api.AggregatedStatusItem;
import io.nauta.federation.api.Cluster;
import io.nauta.federation.api.ClusterStatus;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.api.KarmadaResources;
import io.nauta.federation.api.OverridePolicy;
import io.nauta.federation.api.ResourceBinding;
import io.nauta.federation.support.TestGateway;
import io.nauta.federation.support.TestTemplates;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Propagation and status against real API servers: the gateway and two members, each a Nauta API
 * server on its own Redis database, HTTPS and RBAC on. No controllers run in the members: a test
 * writes a member Deployment's status itself, as the member's deployment controller would.
 */
class PropagationIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static TestApiServer usa;
  private static TestApiServer asia;
  private static TestGateway gateway;
  private static KubeClient gw;
  private static KubeClient usaClient;
  private static KubeClient asiaClient;

  @BeforeAll
  static void start() {
    TestRedis.flush();
    usa = TestApiServer.start("nauta.redis.url=" + TestRedis.url() + "/3");
    asia = TestApiServer.start("nauta.redis.url=" + TestRedis.url() + "/5");
    usaClient = usa.kubeClient();
    asiaClient = asia.kubeClient();
    // europe-1 never answers: nothing listens on port 1.
    Map<String, KubeClient> members =
        Map.of(
            "usa-3",
            usaClient,
            "asia-2",
            asiaClient,
            "europe-1",
            KubeClient.of("https://127.0.0.1:1"));
    gateway =
        TestGateway.start(
            ctx ->
                ctx.registerBean(
                    MemberClients.class,
                    () -> cluster -> Optional.ofNullable(members.get(cluster))),
            "nauta.redis.url=" + TestGateway.redisUrl(4),
            // Bindings are written here by hand: the detector and scheduler would make their own.
            "nauta.federation.controllers=*,-detector,-scheduling,-cluster");
    gw = gateway.kubeClient();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () ->
                bindings().list("default", io.nauta.core.client.ListOptions.none()).block()
                    != null);
    cluster("usa-3", usa.url(), "us");
    cluster("asia-2", asia.url(), "asia");
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {gateway, usa, asia}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  private static ResourceClient<ResourceBinding> bindings() {
    return gw.resource(KarmadaResources.RESOURCE_BINDINGS, ResourceBinding.class);
  }

  private static ResourceClient<Deployment> deployments(KubeClient c) {
    return c.resource(BuiltInResources.DEPLOYMENTS, Deployment.class);
  }

  private static void cluster(String name, String endpoint, String region) {
    Cluster c =
        JSON.readValue(
            """
            {"apiVersion":"cluster.karmada.io/v1alpha1","kind":"Cluster",
             "metadata":{"name":"%s","labels":{"region":"%s"}},
             "spec":{"apiEndpoint":"%s","syncMode":"Push","region":"%s"}}
            """
                .formatted(name, region, endpoint, region),
            Cluster.class);
    ResourceClient<Cluster> clusters = gw.resource(KarmadaResources.CLUSTERS, Cluster.class);
    Cluster created = clusters.create(c).block();
    // The members here are reached through the injected clients, which the health controller
    // (turned off) cannot probe: the test says they are Ready, as propagation writes only to those.
    clusters
        .updateStatus(
            created.withStatus(
                new ClusterStatus(
                    null,
                    null,
                    List.of(
                        new ConditionBuilder()
                            .withType(Karmada.CLUSTER_CONDITION_READY)
                            .withStatus("True")
                            .withReason(Karmada.REASON_CLUSTER_READY)
                            .withMessage("cluster is healthy and ready to accept workloads")
                            .withLastTransitionTime(java.time.Instant.now().toString())
                            .build()),
                    null,
                    null,
                    null)))
        .block();
  }

  private static Deployment template(String name, int replicas) {
    return TestTemplates.deployment("default", name, replicas);
  }

  /** A binding as the scheduler leaves it: the decision in spec.clusters. */
  private static ResourceBinding bind(Deployment template, String clusters, String extra) {
    return bindings()
        .create(
            JSON.readValue(
                """
                {"apiVersion":"work.karmada.io/v1alpha2","kind":"ResourceBinding",
                 "metadata":{"name":"%s-deployment","namespace":"default"},
                 "spec":{"resource":{"apiVersion":"apps/v1","kind":"Deployment",
                   "namespace":"default","name":"%s","uid":"%s"},
                   "replicas":%d,"clusters":%s%s}}
                """
                    .formatted(
                        template.getMetadata().getName(),
                        template.getMetadata().getName(),
                        template.getMetadata().getUid(),
                        template.getSpec().getReplicas(),
                        clusters,
                        extra),
                ResourceBinding.class))
        .block();
  }

  private static Optional<Deployment> member(KubeClient c, String name) {
    try {
      return Optional.ofNullable(deployments(c).get("default", name).block());
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  private static Optional<AggregatedStatusItem> item(String binding, String cluster) {
    ResourceBinding b = bindings().get("default", binding).block();
    if (b.status() == null || b.status().aggregatedStatus() == null) {
      return Optional.empty();
    }
    return b.status().aggregatedStatus().stream()
        .filter(i -> cluster.equals(i.clusterName()))
        .findFirst();
  }

  private static String condition(String binding, String type) {
    ResourceBinding b = bindings().get("default", binding).block();
    if (b.status() == null || b.status().conditions() == null) {
      return "";
    }
    return b.status().conditions().stream()
        .filter(c -> type.equals(c.getType()))
        .map(c -> c.getStatus() + "/" + c.getReason())
        .findFirst()
        .orElse("");
  }

  /** {@code kubectl rollout status} against the gateway; its exit code. */
  private static int rolloutStatus(String name, String timeout) throws Exception {
    Process p =
        new ProcessBuilder(
                "kubectl",
                "--kubeconfig",
                gateway.kubeconfig().toString(),
                "-n",
                "default",
                "rollout",
                "status",
                "deployment/" + name,
                "--timeout=" + timeout)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    int code = p.waitFor();
    System.out.println("kubectl rollout status " + name + ": " + code + ": " + out);
    return code;
  }

  /** What the member's deployment controller would report once all its pods are available. */
  private static void reportAvailable(KubeClient c, String name) {
    Deployment d = member(c, name).orElseThrow();
    int replicas = d.getSpec().getReplicas();
    d.setStatus(
        new DeploymentStatusBuilder()
            .withObservedGeneration(d.getMetadata().getGeneration())
            .withReplicas(replicas)
            .withUpdatedReplicas(replicas)
            .withReadyReplicas(replicas)
            .withAvailableReplicas(replicas)
            .build());
    deployments(c).updateStatus(d).block();
  }

  @Test
  void aDeploymentBoundToTwoClustersLandsInBothWithItsSharesAndItsStatusAddsUpAtTheGateway()
      throws Exception {
    Deployment web = deployments(gw).create(template("web", 9)).block();
    bind(web, "[{\"name\":\"usa-3\",\"replicas\":3},{\"name\":\"asia-2\",\"replicas\":6}]", "");

    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(member(usaClient, "web")).map(d -> d.getSpec().getReplicas()).contains(3);
              assertThat(member(asiaClient, "web")).map(d -> d.getSpec().getReplicas()).contains(6);
            });
    Deployment inUsa = member(usaClient, "web").orElseThrow();
    assertThat(inUsa.getMetadata().getLabels())
        .containsEntry(Karmada.MANAGED_BY_KARMADA_LABEL, "true");
    assertThat(inUsa.getMetadata().getAnnotations())
        .containsEntry(Karmada.RESOURCE_BINDING_NAME_ANNOTATION, "web-deployment")
        .containsEntry(Karmada.RESOURCE_BINDING_NAMESPACE_ANNOTATION, "default")
        .containsEntry(Karmada.RESOURCE_TEMPLATE_UID_ANNOTATION, web.getMetadata().getUid())
        .containsEntry(Karmada.RESOURCE_TEMPLATE_GENERATION_ANNOTATION, "1");
    assertThat(inUsa.getMetadata().getUid()).isNotEqualTo(web.getMetadata().getUid());

    // Nothing available yet: the gateway does not claim the rollout is done.
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(condition("web-deployment", Karmada.CONDITION_FULLY_APPLIED))
                    .isEqualTo("True/" + Karmada.FULLY_APPLIED_SUCCESS_REASON));
    Deployment before = deployments(gw).get("default", "web").block();
    assertThat(before.getStatus() == null ? null : before.getStatus().getAvailableReplicas())
        .isIn(null, 0);

    reportAvailable(usaClient, "web");
    // kubectl waits for asia-2, whose object has not caught up with generation 2.
    assertThat(rolloutStatus("web", "3s")).isNotZero();
    reportAvailable(asiaClient, "web");
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              Deployment d = deployments(gw).get("default", "web").block();
              assertThat(d.getStatus()).isNotNull();
              assertThat(d.getStatus().getReplicas()).isEqualTo(9);
              assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(9);
              assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(9);
              assertThat(d.getStatus().getObservedGeneration())
                  .isEqualTo(d.getMetadata().getGeneration());
              assertThat(d.getStatus().getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("Available");
                        assertThat(c.getStatus()).isEqualTo("True");
                      });
            });
    assertThat(item("web-deployment", "usa-3").orElseThrow().health()).isEqualTo(Karmada.HEALTHY);
    assertThat(
            item("web-deployment", "asia-2")
                .orElseThrow()
                .status()
                .path("availableReplicas")
                .asInt())
        .isEqualTo(6);

    // A new template generation: observedGeneration at the gateway waits for every member.
    deployments(gw)
        .patch("default", "web", PatchType.MERGE, "{\"spec\":{\"minReadySeconds\":1}}")
        .block();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(member(asiaClient, "web").orElseThrow().getSpec().getMinReadySeconds())
                    .isEqualTo(1));
    Deployment changed = deployments(gw).get("default", "web").block();
    assertThat(changed.getMetadata().getGeneration()).isEqualTo(2);
    reportAvailable(usaClient, "web");
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        deployments(gw)
                            .get("default", "web")
                            .block()
                            .getStatus()
                            .getObservedGeneration())
                    .isEqualTo(1));
    reportAvailable(asiaClient, "web");
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(
                        deployments(gw)
                            .get("default", "web")
                            .block()
                            .getStatus()
                            .getObservedGeneration())
                    .isEqualTo(2));
    assertThat(rolloutStatus("web", "30s")).isZero();

    MeterRegistry meters = gateway.bean(MeterRegistry.class);
    assertThat(meters.find("nauta.federation.propagation.latency").tag("cluster", "asia-2").timer())
        .isNotNull()
        .satisfies(t -> assertThat(t.count()).isPositive());
  }

  @Test
  void anOverridePolicyChangesTheImageInOneMemberOnly() {
    gw.resource(KarmadaResources.OVERRIDE_POLICIES, OverridePolicy.class)
        .create(
            JSON.readValue(
                """
                {"apiVersion":"policy.karmada.io/v1alpha1","kind":"OverridePolicy",
                 "metadata":{"name":"asia-tag","namespace":"default"},
                 "spec":{"resourceSelectors":[{"apiVersion":"apps/v1","kind":"Deployment","name":"img"}],
                   "overrideRules":[{"targetCluster":{"clusterNames":["asia-2"]},
                     "overriders":{"imageOverrider":[{"component":"Tag","operator":"replace","value":"1.26"}]}}]}}
                """,
                OverridePolicy.class))
        .block();
    Deployment img = deployments(gw).create(template("img", 2)).block();
    bind(img, "[{\"name\":\"usa-3\",\"replicas\":1},{\"name\":\"asia-2\",\"replicas\":1}]", "");
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(member(asiaClient, "img"))
                  .map(d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                  .contains("nginx:1.26");
              assertThat(member(usaClient, "img"))
                  .map(d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                  .contains("nginx:1.25");
            });
    assertThat(member(asiaClient, "img").orElseThrow().getMetadata().getAnnotations())
        .containsKey(Karmada.APPLIED_OVERRIDES_ANNOTATION);
    assertThat(member(usaClient, "img").orElseThrow().getMetadata().getAnnotations())
        .doesNotContainKey(Karmada.APPLIED_OVERRIDES_ANNOTATION);

    // Drift in a member is put back: a deleted copy is made again, an edited one restored.
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> item("img-deployment", "asia-2").orElseThrow().applied());
    deployments(asiaClient).delete("default", "img").block();
    deployments(usaClient)
        .patch(
            "default",
            "img",
            PatchType.JSON,
            "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"edited:1\"}]")
        .block();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(member(asiaClient, "img"))
                  .map(d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                  .contains("nginx:1.26");
              assertThat(member(usaClient, "img"))
                  .map(d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                  .contains("nginx:1.25");
            });
  }

  @Test
  void anObjectAlreadyInAMemberIsLeftAloneAndTheBindingSaysWhyUntilOverwrite() {
    Deployment own = template("api", 1);
    own.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("theirs:1");
    deployments(usaClient).create(own).block();
    Deployment api = deployments(gw).create(template("api", 1)).block();
    ResourceBinding binding = bind(api, "[{\"name\":\"usa-3\",\"replicas\":1}]", "");

    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              AggregatedStatusItem i = item("api-deployment", "usa-3").orElseThrow();
              assertThat(i.applied()).isFalse();
              assertThat(i.appliedMessage()).contains("already exists in the cluster usa-3");
              assertThat(condition("api-deployment", Karmada.CONDITION_FULLY_APPLIED))
                  .isEqualTo("False/" + Karmada.FULLY_APPLIED_FAILED_REASON);
            });
    assertThat(
            gateway
                .bean(MeterRegistry.class)
                .find("nauta.federation.apply.errors")
                .tags("cluster", "usa-3", "reason", "conflict")
                .counter()
                .count())
        .isPositive();
    Deployment untouched = member(usaClient, "api").orElseThrow();
    assertThat(untouched.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("theirs:1");
    assertThat(untouched.getMetadata().getLabels())
        .doesNotContainKey(Karmada.MANAGED_BY_KARMADA_LABEL);

    bindings()
        .patch(
            "default",
            binding.metadata().getName(),
            PatchType.MERGE,
            "{\"spec\":{\"conflictResolution\":\"Overwrite\"}}")
        .block();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              Deployment d = member(usaClient, "api").orElseThrow();
              assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                  .isEqualTo("nginx:1.25");
              assertThat(d.getMetadata().getLabels())
                  .containsEntry(Karmada.MANAGED_BY_KARMADA_LABEL, "true");
              assertThat(item("api-deployment", "usa-3").orElseThrow().applied()).isTrue();
            });
  }

  @Test
  void deletingTheTemplateRemovesItFromEveryMemberAndLeavesOthersObjectsAlone() {
    Deployment gone = deployments(gw).create(template("gone", 2)).block();
    bind(gone, "[{\"name\":\"usa-3\",\"replicas\":1},{\"name\":\"asia-2\",\"replicas\":1}]", "");
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () -> member(usaClient, "gone").isPresent() && member(asiaClient, "gone").isPresent());
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () ->
                bindings().get("default", "gone-deployment").block().metadata().getFinalizers()
                    != null);

    deployments(gw).delete("default", "gone").block();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(member(usaClient, "gone")).isEmpty();
              assertThat(member(asiaClient, "gone")).isEmpty();
            });
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () -> {
              try {
                bindings().get("default", "gone-deployment").block();
                return false;
              } catch (NotFoundException e) {
                return true;
              }
            });
    assertThat(List.of("usa-3", "asia-2")).hasSize(2);
  }

  @Test
  void propagateDepsBringsTheConfigMapAWorkloadReferencesToItsClusters() {
    ConfigMap settings =
        new ConfigMapBuilder()
            .withMetadata(
                new ObjectMetaBuilder().withName("settings").withNamespace("default").build())
            .addToData("mode", "fast")
            .build();
    gw.resource(BuiltInResources.CONFIGMAPS, ConfigMap.class).create(settings).block();
    Deployment deps = template("deps", 2);
    deps.getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .setEnvFrom(
            List.of(
                new io.fabric8.kubernetes.api.model.EnvFromSourceBuilder()
                    .withNewConfigMapRef()
                    .withName("settings")
                    .endConfigMapRef()
                    .build()));
    Deployment created = deployments(gw).create(deps).block();
    bind(created, "[{\"name\":\"asia-2\",\"replicas\":2}]", ",\"propagateDeps\":true");

    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              ConfigMap there =
                  asiaClient
                      .resource(BuiltInResources.CONFIGMAPS, ConfigMap.class)
                      .get("default", "settings")
                      .block();
              assertThat(there.getData()).containsEntry("mode", "fast");
            });
    ResourceBinding attached = bindings().get("default", "settings-configmap").block();
    assertThat(attached.spec().requiredBy())
        .singleElement()
        .satisfies(s -> assertThat(s.name()).isEqualTo("deps-deployment"));
    assertThat(configMapIn(usaClient, "settings")).isFalse();

    // The workload stops referencing it: the attached binding goes, and the copy with it.
    deployments(gw)
        .patch(
            "default",
            "deps",
            PatchType.JSON,
            "[{\"op\":\"remove\",\"path\":\"/spec/template/spec/containers/0/envFrom\"}]")
        .block();
    await().atMost(WAIT).until(() -> !configMapIn(asiaClient, "settings"));
  }

  private static boolean configMapIn(KubeClient c, String name) {
    try {
      return c.resource(BuiltInResources.CONFIGMAPS, ConfigMap.class).get("default", name).block()
          != null;
    } catch (NotFoundException e) {
      return false;
    }
  }

  @Test
  void anEvictedClusterKeepsItsCopyUntilTheReplacementsAreAvailable() {
    Deployment moving = deployments(gw).create(template("moving", 4)).block();
    ResourceBinding b =
        bind(
            moving,
            "[{\"name\":\"usa-3\",\"replicas\":2},{\"name\":\"asia-2\",\"replicas\":2}]",
            "");
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () ->
                member(usaClient, "moving").isPresent()
                    && member(asiaClient, "moving").isPresent());

    // What the taint manager and scheduler leave: asia-2's replicas moved to usa-3, a task for it.
    bindings()
        .patch(
            "default",
            b.metadata().getName(),
            PatchType.MERGE,
            """
            {"spec":{"clusters":[{"name":"usa-3","replicas":4}],
              "gracefulEvictionTasks":[{"fromCluster":"asia-2","reason":"TaintUntolerated",
                "producer":"TaintManager","creationTimestamp":"%s"}]}}
            """
                .formatted(java.time.Instant.now().toString()))
        .block();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(member(usaClient, "moving"))
                    .map(d -> d.getSpec().getReplicas())
                    .contains(4));
    // Not available yet in usa-3: asia-2 keeps serving.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(() -> member(asiaClient, "moving").isPresent());

    reportAvailable(usaClient, "moving");
    await().atMost(WAIT).until(() -> member(asiaClient, "moving").isEmpty());
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () -> {
              var tasks =
                  bindings()
                      .get("default", "moving-deployment")
                      .block()
                      .spec()
                      .gracefulEvictionTasks();
              return tasks == null || tasks.isEmpty();
            });
  }

  @Test
  void aMemberThatDoesNotAnswerHoldsTheDeletionUntilItsClusterIsRemoved() {
    cluster("europe-1", "https://127.0.0.1:1", "eu");
    Deployment held = deployments(gw).create(template("held", 2)).block();
    bind(held, "[{\"name\":\"usa-3\",\"replicas\":1},{\"name\":\"europe-1\",\"replicas\":1}]", "");
    await().atMost(WAIT).until(() -> member(usaClient, "held").isPresent());
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              AggregatedStatusItem i = item("held-deployment", "europe-1").orElseThrow();
              assertThat(i.applied()).isFalse();
              assertThat(i.appliedMessage()).contains("europe-1");
            });

    deployments(gw).delete("default", "held").block();
    await().atMost(WAIT).until(() -> member(usaClient, "held").isEmpty());
    // europe-1 may still run it: the binding keeps its finalizer.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(() -> bindingExists("held-deployment"));

    gw.resource(KarmadaResources.CLUSTERS, Cluster.class).delete(null, "europe-1").block();
    await().atMost(WAIT).until(() -> !bindingExists("held-deployment"));
  }

  @Test
  void aNamespaceTheMemberLacksIsMadeThere() {
    gw.resource(BuiltInResources.NAMESPACES, io.fabric8.kubernetes.api.model.Namespace.class)
        .create(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName("shop")
                .endMetadata()
                .build())
        .block();
    Deployment cart = template("cart", 1);
    cart.getMetadata().setNamespace("shop");
    Deployment created = deployments(gw).create(cart).block();
    bindings()
        .create(
            JSON.readValue(
                """
                {"apiVersion":"work.karmada.io/v1alpha2","kind":"ResourceBinding",
                 "metadata":{"name":"cart-deployment","namespace":"shop"},
                 "spec":{"resource":{"apiVersion":"apps/v1","kind":"Deployment",
                   "namespace":"shop","name":"cart","uid":"%s"},
                   "replicas":1,"clusters":[{"name":"asia-2","replicas":1}]}}
                """
                    .formatted(created.getMetadata().getUid()),
                ResourceBinding.class))
        .block();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> deployments(asiaClient).get("shop", "cart").block() != null);
  }

  @Test
  void aClusterResourceBindingPropagatesAClusterScopedTemplateAndItsDeletion() {
    var roles =
        gw.resource(
            BuiltInResources.CLUSTER_ROLES,
            io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
    var role =
        roles
            .create(
                JSON.readValue(
                    """
                    {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole",
                     "metadata":{"name":"pod-reader"},
                     "rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get","list"]}]}
                    """,
                    io.fabric8.kubernetes.api.model.GenericKubernetesResource.class))
            .block();
    gw.resource(KarmadaResources.CLUSTER_RESOURCE_BINDINGS, ResourceBinding.class)
        .create(
            JSON.readValue(
                """
                {"apiVersion":"work.karmada.io/v1alpha2","kind":"ClusterResourceBinding",
                 "metadata":{"name":"pod-reader-clusterrole"},
                 "spec":{"resource":{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole",
                   "name":"pod-reader","uid":"%s"},
                   "clusters":[{"name":"usa-3"},{"name":"asia-2"}]}}
                """
                    .formatted(role.getMetadata().getUid()),
                ResourceBinding.class))
        .block();
    await().atMost(WAIT).until(() -> clusterRoleIn(usaClient) && clusterRoleIn(asiaClient));
    var there =
        usaClient
            .resource(
                BuiltInResources.CLUSTER_ROLES,
                io.fabric8.kubernetes.api.model.GenericKubernetesResource.class)
            .get(null, "pod-reader")
            .block();
    assertThat(there.getMetadata().getAnnotations())
        .containsEntry(Karmada.CLUSTER_RESOURCE_BINDING_ANNOTATION, "pod-reader-clusterrole");
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              ResourceBinding b =
                  gw.resource(KarmadaResources.CLUSTER_RESOURCE_BINDINGS, ResourceBinding.class)
                      .get(null, "pod-reader-clusterrole")
                      .block();
              assertThat(b.status().aggregatedStatus())
                  .extracting(AggregatedStatusItem::clusterName)
                  .containsExactly("asia-2", "usa-3");
            });

    roles.delete(null, "pod-reader").block();
    await().atMost(WAIT).until(() -> !clusterRoleIn(usaClient) && !clusterRoleIn(asiaClient));
  }

  private static boolean clusterRoleIn(KubeClient c) {
    try {
      return c.resource(
                  BuiltInResources.CLUSTER_ROLES,
                  io.fabric8.kubernetes.api.model.GenericKubernetesResource.class)
              .get(null, "pod-reader")
              .block()
          != null;
    } catch (NotFoundException e) {
      return false;
    }
  }

  private static boolean bindingExists(String name) {
    try {
      return bindings().get("default", name).block() != null;
    } catch (NotFoundException e) {
      return false;
    }
  }
}
