package io.nauta.controllers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.api.it.Kubectl;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.PatchType;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.controller.OwnerReferences;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.registry.BuiltInResources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/** The garbage collector's three propagation policies, as kubectl asks for them. */
class GarbageCollectorIT {

  private static final Duration T = Duration.ofSeconds(10);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String HOLD = "nauta.io/test-hold";

  @TempDir static Path dir;

  private static TestCluster cluster;
  private static Kubectl kubectl;
  private static ResourceClient<Pod> pods;
  private static ResourceClient<ReplicaSet> replicaSets;
  private static ResourceClient<ConfigMap> configMaps;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(3, "8");
    kubectl = new Kubectl(cluster.api.kubeconfig(dir));
    pods = cluster.client.resource(BuiltInResources.PODS, Pod.class);
    replicaSets = cluster.client.resource(BuiltInResources.REPLICASETS, ReplicaSet.class);
    configMaps = cluster.client.resource(BuiltInResources.CONFIGMAPS, ConfigMap.class);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static ReplicaSet runningReplicaSet(String namespace) {
    ReplicaSetIT.namespace(cluster.client, namespace);
    ReplicaSet rs =
        replicaSets.create(ReplicaSetIT.replicaSet(namespace, "web", "web", 3)).block(T);
    await()
        .atMost(WAIT)
        .until(
            () ->
                ownedPods(namespace, rs).stream().filter(ReplicaSetIT::running).count() == 3
                    && podsIn(namespace).size() == 3);
    return rs;
  }

  private static List<Pod> podsIn(String namespace) {
    return pods.list(namespace, ListOptions.none()).block(T).items();
  }

  private static List<Pod> ownedPods(String namespace, ReplicaSet rs) {
    return podsIn(namespace).stream().filter(p -> OwnerReferences.isControlledBy(p, rs)).toList();
  }

  private static boolean gone(String namespace, String name) {
    return replicaSets
        .get(namespace, name)
        .map(x -> false)
        .onErrorResume(NotFoundException.class, e -> Mono.just(true))
        .block(T);
  }

  @Test
  void backgroundDeletionRemovesTheOwnerAndThenItsPods() {
    runningReplicaSet("gc-background");

    Kubectl.Result deleted = kubectl.run("-n", "gc-background", "delete", "rs", "web");

    assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
    await().atMost(WAIT).until(() -> gone("gc-background", "web"));
    await().atMost(WAIT).until(() -> podsIn("gc-background").isEmpty());
  }

  @Test
  void foregroundDeletionKeepsTheOwnerUntilItsPodsAreGone() {
    ReplicaSet rs = runningReplicaSet("gc-foreground");
    // A finalizer of the test's own holds the pods while they terminate, so the owner can be seen
    // waiting for them.
    for (Pod p : ownedPods("gc-foreground", rs)) {
      pods.patch(
              "gc-foreground",
              p.getMetadata().getName(),
              PatchType.MERGE,
              "{\"metadata\":{\"finalizers\":[\"" + HOLD + "\"]}}")
          .block(T);
    }

    Kubectl.Result deleted =
        kubectl.run(
            "-n", "gc-foreground", "delete", "rs", "web", "--cascade=foreground", "--wait=false");
    assertThat(deleted.exitCode()).as(deleted.toString()).isZero();

    await()
        .atMost(WAIT)
        .until(
            () ->
                podsIn("gc-foreground").size() == 3
                    && podsIn("gc-foreground").stream()
                        .allMatch(p -> p.getMetadata().getDeletionTimestamp() != null));
    ReplicaSet waiting = replicaSets.get("gc-foreground", "web").block(T);
    assertThat(waiting.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(waiting.getMetadata().getFinalizers()).contains("foregroundDeletion");

    for (Pod p : podsIn("gc-foreground")) {
      pods.patch(
              "gc-foreground",
              p.getMetadata().getName(),
              PatchType.MERGE,
              "{\"metadata\":{\"finalizers\":null}}")
          .block(T);
    }
    await().atMost(WAIT).until(() -> podsIn("gc-foreground").isEmpty());
    await().atMost(WAIT).until(() -> gone("gc-foreground", "web"));
  }

  @Test
  void orphanDeletionRemovesTheOwnerAndLeavesItsPodsWithoutOwner() {
    ReplicaSet rs = runningReplicaSet("gc-orphan");
    List<String> names =
        ownedPods("gc-orphan", rs).stream().map(p -> p.getMetadata().getName()).toList();

    Kubectl.Result deleted =
        kubectl.run("-n", "gc-orphan", "delete", "rs", "web", "--cascade=orphan");

    assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
    await().atMost(WAIT).until(() -> gone("gc-orphan", "web"));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              List<Pod> left = podsIn("gc-orphan");
              assertThat(left)
                  .extracting(p -> p.getMetadata().getName())
                  .containsExactlyInAnyOrderElementsOf(names);
              assertThat(left)
                  .allSatisfy(
                      p -> assertThat(p.getMetadata().getOwnerReferences()).isNullOrEmpty());
              assertThat(left).allMatch(p -> p.getMetadata().getDeletionTimestamp() == null);
            });
  }

  @Test
  void foregroundDeletionOfOneOfTwoConfigMapsOwningEachOtherDeletesBothAndGoesIdle() {
    String ns = "gc-cycle";
    ReplicaSetIT.namespace(cluster.client, ns);
    ConfigMap a = configMaps.create(configMap(ns, "a")).block(T);
    ConfigMap b = configMaps.create(ownedBy(configMap(ns, "b"), a)).block(T);
    configMaps.update(ownedBy(a, b)).block(T);
    // The collector's queues exist once the controller manager leads.
    await().atMost(WAIT).ignoreExceptions().until(() -> configMapQueueAdds() >= 0);
    double addsBefore = configMapQueueAdds();

    configMaps
        .delete(ns, "a", new DeleteOptionsBuilder().withPropagationPolicy("Foreground").build())
        .block(T);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                // kube-root-ca.crt, which the root-CA publisher puts in every namespace, stays.
                configMaps.list(ns, ListOptions.none()).block(T).items().stream()
                    .noneMatch(cm -> List.of("a", "b").contains(cm.getMetadata().getName())));
    // A collector spinning on the two would keep queueing their keys; it must go quiet.
    AtomicReference<Double> last = new AtomicReference<>(-1.0);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              double now = configMapQueueAdds();
              return now == last.getAndSet(now);
            });
    assertThat(configMapQueueAdds() - addsBefore).isLessThan(50);
  }

  @Test
  void dependentsOfEveryCollectedKindGoWithTheirOwner() {
    String ns = "gc-kinds";
    ReplicaSetIT.namespace(cluster.client, ns);
    ConfigMap owner = configMaps.create(configMap(ns, "app")).block(T);
    OwnerReference ref =
        new OwnerReferenceBuilder()
            .withApiVersion("v1")
            .withKind("ConfigMap")
            .withName("app")
            .withUid(owner.getMetadata().getUid())
            .build();
    ObjectMeta meta =
        new ObjectMetaBuilder().withNamespace(ns).withName("app").withOwnerReferences(ref).build();
    ResourceClient<ServiceAccount> accounts =
        cluster.client.resource(BuiltInResources.SERVICEACCOUNTS, ServiceAccount.class);
    ResourceClient<Role> roles = cluster.client.resource(BuiltInResources.ROLES, Role.class);
    ResourceClient<HorizontalPodAutoscaler> hpas =
        cluster.client.resource(
            BuiltInResources.HORIZONTAL_POD_AUTOSCALERS, HorizontalPodAutoscaler.class);
    accounts.create(new ServiceAccountBuilder().withMetadata(meta).build()).block(T);
    roles.create(new RoleBuilder().withMetadata(meta).build()).block(T);
    hpas.create(
            new HorizontalPodAutoscalerBuilder()
                .withMetadata(meta)
                .withNewSpec()
                .withMaxReplicas(3)
                .withNewScaleTargetRef()
                .withApiVersion("apps/v1")
                .withKind("Deployment")
                .withName("app")
                .endScaleTargetRef()
                .endSpec()
                .build())
        .block(T);

    configMaps.delete(ns, "app").block(T);

    await()
        .atMost(WAIT)
        .until(
            () ->
                absent(accounts.get(ns, "app"))
                    && absent(roles.get(ns, "app"))
                    && absent(hpas.get(ns, "app")));
  }

  private static boolean absent(Mono<?> get) {
    return get.map(x -> false)
        .onErrorResume(NotFoundException.class, e -> Mono.just(true))
        .block(T);
  }

  private static ConfigMap configMap(String namespace, String name) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .endMetadata()
        .addToData("k", "v")
        .build();
  }

  private static ConfigMap ownedBy(ConfigMap object, ConfigMap owner) {
    return new ConfigMapBuilder(object)
        .editMetadata()
        .addToOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion("v1")
                .withKind("ConfigMap")
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withBlockOwnerDeletion(true)
                .build())
        .endMetadata()
        .build();
  }

  /** Keys the collector's config map work queue has taken in (duplicates included). */
  private static double configMapQueueAdds() {
    return cluster
        .controllerManagers()
        .get(0)
        .getBean(MeterRegistry.class)
        .get("workqueue.adds")
        .tag("name", "garbagecollector-configmaps")
        .counter()
        .count();
  }
}
