package io.nauta.scheduler.it;

import static io.nauta.scheduler.it.Cluster.T;
import static io.nauta.scheduler.it.Cluster.pod;
import static io.nauta.scheduler.plugins.Fixtures.withClaims;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.scheduler.engine.PodScheduler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.core.Disposable;

/**
 * The VolumeBinding plugin against a real API server (one for the class, a namespace per test): the
 * scheduler reads claims, volumes and classes with its own identity, keeps pods with missing or
 * unbound claims Pending with Kubernetes' messages, follows a bound volume's node affinity, and for
 * WaitForFirstConsumer claims writes the static volume's claimRef or the selected node before it
 * binds the pod — only once the claims are bound. The test plays the PV controller and provisioner.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VolumeBindingIT {

  private static final String STATIC = "it-static";
  private static final String PROVISIONED = "it-provisioned";

  private TestApiServer api;
  private TestScheduler scheduler;
  private Cluster cluster;
  private ResourceClient<PersistentVolume> volumes;
  private ResourceClient<PersistentVolumeClaim> claims;

  @BeforeAll
  void start() {
    api = TestApiServer.startOnEmptyRedis("server.shutdown=immediate");
    cluster = new Cluster(api);
    volumes = cluster.client.resource(BuiltInResources.PERSISTENT_VOLUMES, PersistentVolume.class);
    claims =
        cluster.client.resource(
            BuiltInResources.PERSISTENT_VOLUME_CLAIMS, PersistentVolumeClaim.class);
    cluster.node("node-1", Map.of("cpu", "4", "memory", "8Gi"), Map.of());
    cluster.node("node-2", Map.of("cpu", "4", "memory", "8Gi"), Map.of());
    ResourceClient<StorageClass> classes =
        cluster.client.resource(BuiltInResources.STORAGE_CLASSES, StorageClass.class);
    classes.create(storageClass(STATIC, "kubernetes.io/no-provisioner")).block(T);
    classes.create(storageClass(PROVISIONED, "nauta.io/local-volume")).block(T);
    // A short bind timeout, so that the test of it is short too.
    scheduler = TestScheduler.start(api, "nauta.scheduler.volume-binding.bind-timeout=3s");
  }

  @AfterAll
  void stop() {
    if (scheduler != null) {
      scheduler.close();
    }
    api.close();
  }

  @Test
  void aPodWaitsForItsMissingClaimAndGoesOnceItIsMadeAndBound() {
    String ns = namespace("missing");
    cluster.create(withClaims(pod(ns, "db", Map.of()), "data"));
    cluster.assertPending(
        ns,
        "db",
        "Unschedulable",
        "0/2 nodes are available: persistentvolumeclaim \"data\" not found.");

    // A claim of no class, not bound yet: the PV controller's to bind.
    PersistentVolumeClaim claim = claims.create(claim(ns, "data", "", "1Gi")).block(T);
    cluster.assertPending(
        ns,
        "db",
        "Unschedulable",
        "0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims.");

    volumes.create(volume("pv-anywhere", "", "1Gi", null)).block(T);
    bind(claim, "pv-anywhere");
    assertThat(cluster.awaitNode(ns, "db")).isIn("node-1", "node-2");
  }

  @Test
  void aBoundClaimsVolumeNodeAffinityPlacesThePod() {
    String ns = namespace("affinity");
    volumes.create(volume("pv-on-node-2", "", "1Gi", "node-2")).block(T);
    bind(claims.create(claim(ns, "data", "", "1Gi")).block(T), "pv-on-node-2");

    for (int i = 0; i < 3; i++) {
      cluster.create(withClaims(pod(ns, "reader-" + i, Map.of()), "data"));
    }
    for (int i = 0; i < 3; i++) {
      assertThat(cluster.awaitNode(ns, "reader-" + i)).isEqualTo("node-2");
    }
  }

  @Test
  void aWaitForFirstConsumerClaimTakesTheStaticVolumeOnItsNodeAndOnlyOnePodGetsIt() {
    String ns = namespace("static");
    PersistentVolume pv = volumes.create(volume("pv-static-1", STATIC, "5Gi", "node-1")).block(T);
    volumes.updateStatus(available(pv)).block(T);
    PersistentVolumeClaim first = claims.create(claim(ns, "first", STATIC, "1Gi")).block(T);
    claims.create(claim(ns, "second", STATIC, "1Gi")).block(T);

    cluster.create(withClaims(pod(ns, "a", Map.of()), "first"));
    await()
        .atMost(T)
        .until(() -> volumes.get(null, "pv-static-1").block(T).getSpec().getClaimRef() != null);
    PersistentVolume taken = volumes.get(null, "pv-static-1").block(T);
    assertThat(taken.getSpec().getClaimRef().getName()).isEqualTo("first");
    assertThat(taken.getSpec().getClaimRef().getNamespace()).isEqualTo(ns);
    assertThat(taken.getSpec().getClaimRef().getUid()).isEqualTo(first.getMetadata().getUid());

    // The second pod finds no volume left; the first is not bound before its claim is.
    cluster.create(withClaims(pod(ns, "b", Map.of()), "second"));
    cluster.assertPending(
        ns,
        "b",
        "Unschedulable",
        "0/2 nodes are available: 2 node(s) didn't find available persistent volumes to bind.");
    assertThat(cluster.nodeOf(ns, "a")).isNull();

    bind(claims.get(ns, "first").block(T), "pv-static-1");
    assertThat(cluster.awaitNode(ns, "a")).isEqualTo("node-1");
  }

  @Test
  void aClaimOfAProvisioningClassGetsTheSelectedNodeAndThePodWaitsForItsVolume() {
    String ns = namespace("provisioned");
    claims.create(claim(ns, "data", PROVISIONED, "2Gi")).block(T);
    cluster.create(withClaims(pod(ns, "db", Map.of()), "data"));

    await().atMost(T).until(() -> selectedNode(claims.get(ns, "data").block(T)) != null);
    PersistentVolumeClaim claim = claims.get(ns, "data").block(T);
    String node = selectedNode(claim);
    assertThat(node).isIn("node-1", "node-2");
    assertThat(cluster.nodeOf(ns, "db")).isNull();

    // The provisioner makes the volume on that node; the PV controller binds the claim.
    String pvName = "pvc-" + claim.getMetadata().getUid();
    PersistentVolume made = volume(pvName, PROVISIONED, "2Gi", node);
    made.getSpec()
        .setClaimRef(
            new ObjectReferenceBuilder()
                .withKind("PersistentVolumeClaim")
                .withNamespace(ns)
                .withName("data")
                .withUid(claim.getMetadata().getUid())
                .build());
    volumes.create(made).block(T);
    bind(claim, pvName);
    assertThat(cluster.awaitNode(ns, "db")).isEqualTo(node);
  }

  @Test
  void aPodDeletedWhileItWaitsForItsVolumesStopsWaiting() {
    String ns = namespace("deleted");
    claims.create(claim(ns, "data", PROVISIONED, "1Gi")).block(T);
    String uid = cluster.create(withClaims(pod(ns, "db", Map.of()), "data")).getMetadata().getUid();
    PodScheduler pods = scheduler.bean(PodScheduler.class);
    await().atMost(T).until(() -> selectedNode(claims.get(ns, "data").block(T)) != null);
    assertThat(pods.isWaiting(uid)).isTrue();

    cluster
        .pods
        .delete(ns, "db", new DeleteOptionsBuilder().withGracePeriodSeconds(0L).build())
        .block(T);
    await().atMost(T).until(() -> !pods.isWaiting(uid));
  }

  @Test
  void aClaimNobodyProvisionsLosesItsSelectedNodeAfterTheBindTimeout() {
    String ns = namespace("timeout");
    claims.create(claim(ns, "data", PROVISIONED, "1Gi")).block(T);
    List<Boolean> selected = new CopyOnWriteArrayList<>();
    Disposable watch =
        claims
            .watch(ns, ListOptions.none())
            .subscribe(e -> selected.add(selectedNode(e.object()) != null));
    try {
      cluster.create(withClaims(pod(ns, "db", Map.of()), "data"));
      await()
          .atMost(T)
          .untilAsserted(
              () -> {
                PodCondition c = Cluster.podScheduled(cluster.get(ns, "db"));
                assertThat(c).isNotNull();
                assertThat(c.getReason()).isEqualTo("SchedulerError");
                assertThat(c.getMessage())
                    .isEqualTo(
                        "running PreBind plugin \"VolumeBinding\": binding volumes:"
                            + " context deadline exceeded");
              });
      // Selected, then taken back (and selected again when the pod goes round).
      await()
          .atMost(T)
          .until(
              () -> {
                int first = selected.indexOf(true);
                return first >= 0 && selected.subList(first, selected.size()).contains(false);
              });
      assertThat(cluster.nodeOf(ns, "db")).isNull();
    } finally {
      watch.dispose();
    }
  }

  // --- helpers --------------------------------------------------------------------------------

  private String namespace(String name) {
    cluster.namespace(name);
    return name;
  }

  private static StorageClass storageClass(String name, String provisioner) {
    return new StorageClassBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withProvisioner(provisioner)
        .withReclaimPolicy("Delete")
        .withVolumeBindingMode("WaitForFirstConsumer")
        .build();
  }

  private static PersistentVolumeClaim claim(
      String ns, String name, String className, String size) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withStorageClassName(className)
        .withAccessModes("ReadWriteOnce")
        .withVolumeMode("Filesystem")
        .withNewResources()
        .addToRequests("storage", new Quantity(size))
        .endResources()
        .endSpec()
        .build();
  }

  /** A hostPath volume, on {@code node} only when it is given. */
  private static PersistentVolume volume(String name, String className, String size, String node) {
    PersistentVolumeBuilder b =
        new PersistentVolumeBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withStorageClassName(className)
            .addToCapacity("storage", new Quantity(size))
            .withAccessModes("ReadWriteOnce")
            .withVolumeMode("Filesystem")
            .withPersistentVolumeReclaimPolicy("Retain")
            .withNewHostPath()
            .withPath("/tmp/nauta-it/" + name)
            .endHostPath()
            .endSpec();
    if (node != null) {
      b.editSpec()
          .withNewNodeAffinity()
          .withNewRequired()
          .addNewNodeSelectorTerm()
          .addNewMatchExpression()
          .withKey("kubernetes.io/hostname")
          .withOperator("In")
          .withValues(node)
          .endMatchExpression()
          .endNodeSelectorTerm()
          .endRequired()
          .endNodeAffinity()
          .endSpec();
    }
    return b.build();
  }

  private static PersistentVolume available(PersistentVolume pv) {
    return new PersistentVolumeBuilder(pv)
        .withNewStatus()
        .withPhase("Available")
        .endStatus()
        .build();
  }

  /** What the PV controller does last: the claim names its volume and is Bound. */
  private void bind(PersistentVolumeClaim claim, String volumeName) {
    String ns = claim.getMetadata().getNamespace();
    String name = claim.getMetadata().getName();
    PersistentVolumeClaim current = claims.get(ns, name).block(T);
    PersistentVolumeClaim updated =
        claims
            .update(
                new PersistentVolumeClaimBuilder(current)
                    .editSpec()
                    .withVolumeName(volumeName)
                    .endSpec()
                    .build())
            .block(T);
    claims
        .updateStatus(
            new PersistentVolumeClaimBuilder(updated)
                .withNewStatus()
                .withPhase("Bound")
                .withAccessModes("ReadWriteOnce")
                .addToCapacity(
                    "storage", current.getSpec().getResources().getRequests().get("storage"))
                .endStatus()
                .build())
        .block(T);
  }

  private static String selectedNode(PersistentVolumeClaim claim) {
    Map<String, String> annotations = claim.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get("volume.kubernetes.io/selected-node");
  }
}
