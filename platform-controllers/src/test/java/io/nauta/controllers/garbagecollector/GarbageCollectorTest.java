package io.nauta.controllers.garbagecollector;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class GarbageCollectorTest {

  private static final ResourceType PODS = BuiltInResources.PODS;
  private static final ResourceType RS = BuiltInResources.REPLICASETS;
  private static final ResourceType DEPLOY = BuiltInResources.DEPLOYMENTS;

  private final Map<ResourceType, InformerStore<? extends HasMetadata>> stores =
      new LinkedHashMap<>();
  private final InformerStore<Pod> pods = new InformerStore<>();
  private final InformerStore<ReplicaSet> replicaSets = new InformerStore<>();
  private final InformerStore<Deployment> deployments = new InformerStore<>();
  private final InformerStore<ConfigMap> configMaps = new InformerStore<>();
  private final FakeGcClient client = new FakeGcClient();
  private final List<String> enqueued = new CopyOnWriteArrayList<>();
  private final GarbageCollector gc;

  GarbageCollectorTest() {
    stores.put(PODS, pods);
    stores.put(RS, replicaSets);
    stores.put(DEPLOY, deployments);
    stores.put(BuiltInResources.CONFIGMAPS, configMaps);
    gc = new GarbageCollector(stores, client, (t, k) -> enqueued.add(t.plural() + ":" + k));
  }

  /** Records writes; live reads answer what {@link #live} holds (else not found). */
  static final class FakeGcClient implements GcClient {
    final Map<String, HasMetadata> live = new LinkedHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public Mono<HasMetadata> get(ResourceType type, String namespace, String name) {
      calls.add("get " + type.plural() + " " + name);
      return Mono.justOrEmpty(live.get(type.plural() + "/" + name));
    }

    @Override
    public Mono<Void> delete(
        ResourceType type, String namespace, String name, String uid, String policy) {
      calls.add("delete " + type.plural() + " " + name + " uid=" + uid + " " + policy);
      return Mono.empty();
    }

    @Override
    public Mono<Void> patchOwnerReferences(
        ResourceType type, String namespace, String name, String patch) {
      calls.add("patch " + type.plural() + " " + name + " " + patch);
      return Mono.empty();
    }

    @Override
    public Mono<Void> mergePatchOwnerReferences(
        ResourceType type, String namespace, String name, String patch) {
      calls.add("merge-patch " + type.plural() + " " + name + " " + patch);
      return Mono.empty();
    }

    @Override
    public Mono<Void> removeFinalizer(
        ResourceType type, String namespace, String name, String finalizer) {
      calls.add("unfinalize " + type.plural() + " " + name + " " + finalizer);
      return Mono.empty();
    }

    List<String> writes() {
      return calls.stream().filter(c -> !c.startsWith("get ")).toList();
    }
  }

  private void reconcile(ResourceType type, String name) {
    gc.reconcile(type, "ns/" + name).block(Duration.ofSeconds(5));
  }

  private static OwnerReference ref(String kind, String apiVersion, String name, boolean block) {
    return new OwnerReferenceBuilder()
        .withApiVersion(apiVersion)
        .withKind(kind)
        .withName(name)
        .withUid("uid-" + name)
        .withController(true)
        .withBlockOwnerDeletion(block)
        .build();
  }

  private static OwnerReference rsRef(String name) {
    return ref("ReplicaSet", "apps/v1", name, true);
  }

  private static Pod pod(String name, OwnerReference... owners) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("ns")
        .withUid("uid-" + name)
        .withResourceVersion("1")
        .withOwnerReferences(owners)
        .endMetadata()
        .build();
  }

  private static ReplicaSetBuilder rs(String name) {
    return new ReplicaSetBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("ns")
        .withUid("uid-" + name)
        .withResourceVersion("1")
        .endMetadata();
  }

  private static ReplicaSet deleting(String name, String finalizer) {
    return rs(name)
        .editMetadata()
        .withDeletionTimestamp("2026-01-01T00:00:00Z")
        .withFinalizers(finalizer)
        .endMetadata()
        .build();
  }

  // ---- background

  @Test
  void deletesADependentWhoseOnlyOwnerIsGone() {
    pods.upsert(pod("p", rsRef("web")));

    reconcile(PODS, "p");

    assertThat(client.calls)
        .containsExactly("get replicasets web", "delete pods p uid=uid-p Background");
  }

  @Test
  void keepsADependentWhoseOwnerTheCacheHasNotSeenYet() {
    pods.upsert(pod("p", rsRef("web")));
    client.live.put("replicasets/web", rs("web").build());

    reconcile(PODS, "p");

    assertThat(client.writes()).isEmpty();
  }

  @Test
  void treatsAnOwnerWithTheSameNameButAnotherUidAsGone() {
    pods.upsert(pod("p", rsRef("web")));
    replicaSets.upsert(rs("web").editMetadata().withUid("uid-recreated").endMetadata().build());

    reconcile(PODS, "p");

    assertThat(client.writes()).containsExactly("delete pods p uid=uid-p Background");
  }

  @Test
  void onlyDropsTheDanglingReferenceWhenAnotherOwnerRemains() {
    replicaSets.upsert(rs("alive").build());
    pods.upsert(pod("p", rsRef("alive"), ref("ConfigMap", "v1", "gone", false)));

    reconcile(PODS, "p");

    assertThat(client.writes())
        .singleElement()
        .asString()
        .startsWith("patch pods p ")
        .contains("{\"$patch\":\"delete\",\"uid\":\"uid-gone\"}")
        .doesNotContain("uid-alive");
  }

  @Test
  void leavesObjectsWithLiveOwnersOrOwnersOfKindsItDoesNotFollow() {
    replicaSets.upsert(rs("web").build());
    pods.upsert(pod("owned", rsRef("web")));
    pods.upsert(pod("node-owned", ref("Node", "v1", "node-1", false)));
    pods.upsert(pod("free"));

    reconcile(PODS, "owned");
    reconcile(PODS, "node-owned");
    reconcile(PODS, "free");

    assertThat(client.writes()).isEmpty();
  }

  @Test
  void anOwnerThatGoesAwayQueuesItsDependents() {
    ReplicaSet web = rs("web").build();
    replicaSets.upsert(web);
    pods.upsert(pod("a", rsRef("web")));
    pods.upsert(pod("b", rsRef("web")));
    pods.upsert(pod("other"));
    var deleted = replicaSets.remove(web).orElseThrow();

    gc.onEvent(RS, deleted);

    assertThat(enqueued).contains("replicasets:ns/web", "pods:ns/a", "pods:ns/b");
    assertThat(enqueued).doesNotContain("pods:ns/other");
  }

  // ---- foreground

  @Test
  void deletesTheDependentsOfAnOwnerDeletedInTheForeground() {
    replicaSets.upsert(deleting("web", GarbageCollector.FOREGROUND));
    pods.upsert(pod("p", rsRef("web")));

    reconcile(RS, "web");
    assertThat(client.writes()).isEmpty();
    assertThat(enqueued).containsExactly("pods:ns/p");

    reconcile(PODS, "p");
    assertThat(client.writes()).containsExactly("delete pods p uid=uid-p Background");
  }

  @Test
  void deletesADependentWithDependentsOfItsOwnInTheForeground() {
    deployments.upsert(
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("app")
            .withNamespace("ns")
            .withUid("uid-app")
            .withDeletionTimestamp("2026-01-01T00:00:00Z")
            .withFinalizers(GarbageCollector.FOREGROUND)
            .endMetadata()
            .build());
    replicaSets.upsert(
        rs("web")
            .editMetadata()
            .withOwnerReferences(ref("Deployment", "apps/v1", "app", true))
            .endMetadata()
            .build());
    pods.upsert(pod("p", rsRef("web")));

    reconcile(RS, "web");

    assertThat(client.writes()).containsExactly("delete replicasets web uid=uid-web Foreground");
  }

  @Test
  void letsTheOwnerGoOnceNoDependentBlocksIt() {
    replicaSets.upsert(deleting("web", GarbageCollector.FOREGROUND));
    pods.upsert(pod("not-blocking", ref("ReplicaSet", "apps/v1", "web", false)));

    reconcile(RS, "web");

    assertThat(client.writes()).containsExactly("unfinalize replicasets web foregroundDeletion");
  }

  @Test
  void waitsWhileABlockingDependentIsStillTerminating() {
    replicaSets.upsert(deleting("web", GarbageCollector.FOREGROUND));
    pods.upsert(
        new PodBuilder(pod("p", rsRef("web")))
            .editMetadata()
            .withDeletionTimestamp("2026-01-01T00:00:30Z")
            .endMetadata()
            .build());

    reconcile(RS, "web");
    reconcile(PODS, "p");

    assertThat(client.writes()).isEmpty();
  }

  @Test
  void aDependentThatChangesQueuesItsOwner() {
    Pod p = pod("p", rsRef("web"));
    pods.upsert(p);
    var removed = pods.remove(p).orElseThrow();

    gc.onEvent(PODS, removed);

    assertThat(enqueued).contains("replicasets:ns/web");
  }

  @Test
  void unblocksAnOwnerWaitingForDependentsWhenAnotherOwnerKeepsTheObject() {
    replicaSets.upsert(deleting("web", GarbageCollector.FOREGROUND));
    configMaps.upsert(
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("keeper")
            .withNamespace("ns")
            .withUid("uid-keeper")
            .endMetadata()
            .build());
    pods.upsert(pod("p", rsRef("web"), ref("ConfigMap", "v1", "keeper", false)));

    reconcile(PODS, "p");

    assertThat(client.writes())
        .singleElement()
        .asString()
        .startsWith("patch pods p ")
        .contains("\"uid\":\"uid-web\"")
        .contains("\"blockOwnerDeletion\":false");
  }

  // ---- orphan

  @Test
  void orphansTheDependentsThenRemovesTheOrphanFinalizer() {
    replicaSets.upsert(deleting("web", GarbageCollector.ORPHAN));
    pods.upsert(pod("a", rsRef("web")));
    pods.upsert(pod("b", rsRef("web")));

    reconcile(RS, "web");

    List<String> writes = client.writes();
    assertThat(writes).hasSize(3);
    assertThat(writes.subList(0, 2))
        .allSatisfy(
            w ->
                assertThat(w)
                    .startsWith("patch pods ")
                    .contains("{\"$patch\":\"delete\",\"uid\":\"uid-web\"}"));
    assertThat(writes.get(2)).isEqualTo("unfinalize replicasets web orphan");
  }

  @Test
  void doesNothingForAnObjectBeingDeletedWithoutItsFinalizers() {
    replicaSets.upsert(deleting("web", "example.com/other"));
    pods.upsert(pod("p", rsRef("web")));

    reconcile(RS, "web");
    reconcile(PODS, "p");

    assertThat(client.writes()).isEmpty();
  }

  // ---- custom kinds

  private static final ResourceType WIDGETS =
      new ResourceType(
          "example.com",
          "v1",
          "Widget",
          "widgets",
          "widget",
          true,
          List.of(),
          List.of(),
          java.util.Set.of(),
          GenericKubernetesResource.class);

  private static OwnerReference widgetRef(String name) {
    return ref("Widget", "example.com/v1", name, false);
  }

  private static GenericKubernetesResource widget(String name, OwnerReference... owners) {
    GenericKubernetesResource w = new GenericKubernetesResource();
    w.setApiVersion("example.com/v1");
    w.setKind("Widget");
    w.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(name)
            .withNamespace("ns")
            .withUid("uid-" + name)
            .withResourceVersion("7")
            .withOwnerReferences(owners)
            .build());
    return w;
  }

  @Test
  void presumesAnOwnerOfAnUnfollowedCustomKindAlive() {
    pods.upsert(pod("p", widgetRef("gone")));

    reconcile(PODS, "p");

    assertThat(client.calls).isEmpty();
  }

  @Test
  void deletesTheDependentsOfAGoneOwnerOfAFollowedCustomKind() {
    InformerStore<GenericKubernetesResource> widgets = new InformerStore<>();
    pods.upsert(pod("p", widgetRef("gone")));
    widgets.upsert(widget("child", widgetRef("gone")));

    gc.follow(WIDGETS, widgets);
    // Following a kind looks again at everything it owns.
    assertThat(enqueued).contains("pods:ns/p", "widgets:ns/child");

    reconcile(PODS, "p");
    gc.reconcile(WIDGETS, "ns/child").block(Duration.ofSeconds(5));

    assertThat(client.calls)
        .containsExactly(
            "get widgets gone",
            "delete pods p uid=uid-p Background",
            "get widgets gone",
            "delete widgets child uid=uid-child Background");
  }

  @Test
  void dropsADanglingReferenceFromACustomResourceWithAMergePatch() {
    InformerStore<GenericKubernetesResource> widgets = new InformerStore<>();
    gc.follow(WIDGETS, widgets);
    replicaSets.upsert(rs("alive").build());
    widgets.upsert(widget("child", rsRef("alive"), widgetRef("gone")));

    gc.reconcile(WIDGETS, "ns/child").block(Duration.ofSeconds(5));

    assertThat(client.writes()).hasSize(1);
    assertThat(client.writes().get(0))
        .startsWith("merge-patch widgets child ")
        .contains("\"resourceVersion\":\"7\"", "uid-alive")
        .doesNotContain("uid-gone", "$patch");
  }

  @Test
  void findsADependentOfAFollowedCustomKindForADeletedOwner() {
    InformerStore<GenericKubernetesResource> widgets = new InformerStore<>();
    gc.follow(WIDGETS, widgets);
    configMaps.upsert(
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("settings")
            .withNamespace("ns")
            .withUid("uid-settings")
            .withOwnerReferences(widgetRef("owner"))
            .endMetadata()
            .build());
    enqueued.clear();

    gc.onEvent(
        WIDGETS,
        new io.nauta.core.informer.InformerEvent<>(
            io.nauta.core.informer.InformerEvent.Type.DELETED, null, widget("owner")));

    assertThat(enqueued).contains("widgets:ns/owner", "configmaps:ns/settings");
  }

  @Test
  void mapsOwnerReferencesToTheKindsItFollows() {
    assertThat(GarbageCollector.kindOf(rsRef("x"))).isEqualTo(RS);
    assertThat(GarbageCollector.kindOf(ref("Pod", "v1", "x", false))).isEqualTo(PODS);
    assertThat(GarbageCollector.kindOf(ref("ReplicaSet", "v1", "x", false))).isNull();
    assertThat(GarbageCollector.kindOf(ref("Widget", "example.com/v1", "x", false))).isNull();
  }
}
