package io.nauta.scheduler.plugins.volumebinding;

import static io.nauta.scheduler.plugins.Fixtures.HOSTNAME;
import static io.nauta.scheduler.plugins.Fixtures.expr;
import static io.nauta.scheduler.plugins.Fixtures.node;
import static io.nauta.scheduler.plugins.Fixtures.term;
import static io.nauta.scheduler.plugins.Fixtures.withClaims;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.nauta.core.informer.InformerStore;
import io.nauta.scheduler.framework.ClusterSnapshot;
import io.nauta.scheduler.framework.CycleState;
import io.nauta.scheduler.framework.NodeInfo;
import io.nauta.scheduler.framework.PodInfo;
import io.nauta.scheduler.framework.Status;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class VolumeBindingTest {

  private static final String NS = "default";
  private static final String WFFC = "local";
  private static final String PROVISIONED = "nauta-local";
  private static final Status NO_VOLUME =
      Status.unschedulableAndUnresolvable(
          "node(s) didn't find available persistent volumes to bind");

  private final InformerStore<PersistentVolumeClaim> claims = new InformerStore<>();
  private final InformerStore<PersistentVolume> volumes = new InformerStore<>();
  private final InformerStore<StorageClass> classes = new InformerStore<>();
  private final VolumeCache cache = new VolumeCache(claims, volumes, classes);
  private final VolumeBinding plugin = new VolumeBinding(cache, null);
  private final AtomicLong versions = new AtomicLong();

  private final NodeInfo n1 = node("n1").info();
  private final NodeInfo n2 = node("n2").info();
  private final List<NodeInfo> all = List.of(n1, n2);

  VolumeBindingTest() {
    classes.upsert(storageClass(WFFC, "kubernetes.io/no-provisioner", "WaitForFirstConsumer"));
    classes.upsert(storageClass(PROVISIONED, "nauta.io/local-volume", "WaitForFirstConsumer"));
    classes.upsert(storageClass("fast", "nauta.io/local-volume", null));
  }

  @Test
  void aPodWithoutClaimsFitsEverywhere() {
    assertThat(filterAll(pod("web"))).containsOnly(Status.success());
  }

  @Test
  void aMissingClaimRejectsThePodBeforeAnyNode() {
    assertThat(preFilter(pod("web", "data")))
        .isEqualTo(Status.unschedulableAndUnresolvable("persistentvolumeclaim \"data\" not found"));
  }

  @Test
  void aClaimBeingDeletedRejectsThePod() {
    claims.upsert(
        claim(
            "data",
            WFFC,
            "1Gi",
            c -> c.editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata()));
    assertThat(preFilter(pod("web", "data")))
        .isEqualTo(
            Status.unschedulableAndUnresolvable("persistentvolumeclaim \"data\" is being deleted"));
  }

  @Test
  void unboundClaimsOfImmediateClassesOrNoClassWaitForThePvController() {
    claims.upsert(claim("none", null, "1Gi", c -> c));
    claims.upsert(claim("unset-mode", "fast", "1Gi", c -> c));
    claims.upsert(claim("no-such-class", "gold", "1Gi", c -> c));
    Status immediate =
        Status.unschedulableAndUnresolvable("pod has unbound immediate PersistentVolumeClaims");
    assertThat(preFilter(pod("a", "none"))).isEqualTo(immediate);
    assertThat(preFilter(pod("b", "unset-mode"))).isEqualTo(immediate);
    assertThat(preFilter(pod("c", "no-such-class"))).isEqualTo(immediate);
  }

  @Test
  void aBoundClaimKeepsThePodWhereItsVolumeIs() {
    volumes.upsert(volume("pv-1", WFFC, "5Gi", "n2", "Bound", "data"));
    claims.upsert(boundClaim("data", "pv-1"));
    Status conflict =
        Status.unschedulableAndUnresolvable("node(s) had volume node affinity conflict");

    assertThat(filterAll(pod("web", "data"))).containsExactly(conflict, Status.success());
  }

  @Test
  void aClaimBoundToAVolumeThatDoesNotExistFitsNowhere() {
    claims.upsert(boundClaim("data", "gone"));
    assertThat(filterAll(pod("web", "data")))
        .containsOnly(
            Status.unschedulableAndUnresolvable(
                "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)"));
  }

  @Test
  void aWaitForFirstConsumerClaimGoesWhereAnAvailableVolumeFits() {
    claims.upsert(claim("data", WFFC, "2Gi", c -> c));
    volumes.upsert(volume("pv-small", WFFC, "1Gi", "n1", "Available", null));
    volumes.upsert(volume("pv-n2", WFFC, "10Gi", "n2", "Available", null));
    assertThat(filterAll(pod("web", "data"))).containsExactly(NO_VOLUME, Status.success());
  }

  @Test
  void theSmallestVolumeThatFitsIsChosen() {
    claims.upsert(claim("data", WFFC, "2Gi", c -> c));
    volumes.upsert(volume("pv-big", WFFC, "10Gi", "n1", "Available", null));
    volumes.upsert(volume("pv-fit", WFFC, "3Gi", "n1", "Available", null));
    volumes.upsert(volume("pv-too-small", WFFC, "1Gi", "n1", "Available", null));

    CycleState state = new CycleState();
    PodInfo pod = pod("web", "data");
    assertThat(plugin.preFilter(state, pod, ClusterSnapshot.of(all))).isEqualTo(Status.success());
    assertThat(plugin.filter(state, pod, n1)).isEqualTo(Status.success());
    assertThat(plugin.reserve(state, pod, n1)).isEqualTo(Status.success());
    assertThat(cache.volume("pv-fit").getSpec().getClaimRef().getName()).isEqualTo("data");
    assertThat(cache.volume("pv-fit").getSpec().getClaimRef().getUid()).isEqualTo("uid-data");
    assertThat(cache.volume("pv-big").getSpec().getClaimRef()).isNull();
  }

  @Test
  void volumesThatDoNotMatchTheClaimAreNotTaken() {
    claims.upsert(
        claim(
            "data",
            WFFC,
            "1Gi",
            c ->
                c.editSpec()
                    .withAccessModes("ReadWriteMany")
                    .withSelector(new LabelSelectorBuilder().addToMatchLabels("tier", "db").build())
                    .endSpec()));
    // Wrong access mode; wrong labels; block mode; bound elsewhere; Released; other class.
    volumes.upsert(labelled(volume("rwo", WFFC, "5Gi", "n1", "Available", null), "db"));
    PersistentVolume rwx = volume("rwx-other-labels", WFFC, "5Gi", "n1", "Available", null);
    rwx.getSpec().setAccessModes(List.of("ReadWriteMany"));
    volumes.upsert(labelled(rwx, "web"));
    PersistentVolume block = labelled(volume("block", WFFC, "5Gi", "n1", "Available", null), "db");
    block.getSpec().setAccessModes(List.of("ReadWriteMany"));
    block.getSpec().setVolumeMode("Block");
    volumes.upsert(block);
    PersistentVolume released =
        labelled(volume("released", WFFC, "5Gi", "n1", "Released", null), "db");
    released.getSpec().setAccessModes(List.of("ReadWriteMany"));
    volumes.upsert(released);
    assertThat(filterAll(pod("web", "data"))).containsOnly(NO_VOLUME);

    PersistentVolume good = labelled(volume("good", WFFC, "5Gi", "n1", "Available", null), "db");
    good.getSpec().setAccessModes(List.of("ReadWriteOnce", "ReadWriteMany"));
    volumes.upsert(good);
    assertThat(filterAll(pod("web", "data")).get(0)).isEqualTo(Status.success());
  }

  @Test
  void aClassWithAProvisionerFitsEveryNode() {
    claims.upsert(claim("data", PROVISIONED, "1Gi", c -> c));
    assertThat(filterAll(pod("web", "data"))).containsOnly(Status.success());

    CycleState state = new CycleState();
    PodInfo pod = pod("web", "data");
    plugin.preFilter(state, pod, ClusterSnapshot.of(all));
    plugin.filter(state, pod, n2);
    plugin.reserve(state, pod, n2);
    assertThat(cache.claim(NS, "data").getMetadata().getAnnotations())
        .containsEntry("volume.kubernetes.io/selected-node", "n2");
    assertThat(plugin.hasPreBindWork(state, pod, "n2")).isTrue();

    plugin.unreserve(state, pod, "n2");
    assertThat(cache.claim(NS, "data").getMetadata().getAnnotations())
        .doesNotContainKey("volume.kubernetes.io/selected-node");
  }

  @Test
  void aClaimWhoseProvisioningStartedOnANodeFitsOnlyThere() {
    claims.upsert(
        claim(
            "data",
            PROVISIONED,
            "1Gi",
            c ->
                c.editMetadata()
                    .addToAnnotations("volume.kubernetes.io/selected-node", "n2")
                    .endMetadata()));
    assertThat(filterAll(pod("web", "data"))).containsExactly(NO_VOLUME, Status.success());
  }

  @Test
  void aReservedVolumeIsNotGivenToTheNextPodUntilUnreserved() {
    claims.upsert(claim("a", WFFC, "1Gi", c -> c));
    claims.upsert(claim("b", WFFC, "1Gi", c -> c));
    volumes.upsert(volume("only", WFFC, "1Gi", "n1", "Available", null));
    PodInfo first = pod("first", "a");
    PodInfo second = pod("second", "b");

    CycleState state = new CycleState();
    plugin.preFilter(state, first, ClusterSnapshot.of(all));
    assertThat(plugin.filter(state, first, n1)).isEqualTo(Status.success());
    plugin.reserve(state, first, n1);

    assertThat(filterAll(second)).containsOnly(NO_VOLUME);

    plugin.unreserve(state, first, "n1");
    assertThat(filterAll(second).get(0)).isEqualTo(Status.success());
  }

  @Test
  void anAssumptionGivesWayToANewerVersionFromTheInformer() {
    volumes.upsert(volume("only", WFFC, "1Gi", "n1", "Available", null));
    PersistentVolume assumed =
        new PersistentVolumeBuilder(volumes.get("only").orElseThrow())
            .editSpec()
            .withNewClaimRef()
            .withName("a")
            .withNamespace(NS)
            .endClaimRef()
            .endSpec()
            .build();
    cache.assume(assumed, assumed.getMetadata().getResourceVersion());
    assertThat(cache.volume("only")).isSameAs(assumed);

    // Someone else changed the volume: their version counts, not the assumption.
    volumes.upsert(volume("only", WFFC, "1Gi", "n1", "Released", null));
    assertThat(cache.volume("only").getStatus().getPhase()).isEqualTo("Released");
  }

  @Test
  void theWaitEndsWhenEveryClaimIsBoundAndFailsWhenTheProvisionerGivesUp() {
    claims.upsert(claim("data", PROVISIONED, "1Gi", c -> c));
    CycleState state = new CycleState();
    PodInfo pod = pod("web", "data");
    plugin.preFilter(state, pod, ClusterSnapshot.of(all));
    plugin.filter(state, pod, n1);
    plugin.reserve(state, pod, n1);
    VolumeBinding.Reserved reserved = state.get(VolumeBinding.Reserved.class);
    VolumeBinder binder = new VolumeBinder(cache, null, null, null, null, null);

    assertThat(binder.check(reserved, "n1")).isFalse();

    // The provisioner made the volume and the PV controller bound the claim.
    volumes.upsert(volume("pvc-uid-data", PROVISIONED, "1Gi", "n1", "Bound", "data"));
    claims.upsert(
        new PersistentVolumeClaimBuilder(boundClaim("data", "pvc-uid-data"))
            .editSpec()
            .withStorageClassName(PROVISIONED)
            .endSpec()
            .editMetadata()
            .addToAnnotations("volume.kubernetes.io/selected-node", "n1")
            .endMetadata()
            .build());
    assertThat(binder.check(reserved, "n1")).isTrue();

    // A provisioner that cannot provision takes the selected node away.
    claims.upsert(claim("data", PROVISIONED, "1Gi", c -> c));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> binder.check(reserved, "n1"))
        .hasMessage("provisioning failed for PVC \"data\"");
  }

  // --- helpers --------------------------------------------------------------------------------

  private Status preFilter(PodInfo pod) {
    return plugin.preFilter(new CycleState(), pod, ClusterSnapshot.of(all));
  }

  /** Each node's status, preFilter's when it rejects. */
  private List<Status> filterAll(PodInfo pod) {
    CycleState state = new CycleState();
    Status pre = plugin.preFilter(state, pod, ClusterSnapshot.of(all));
    if (!pre.isSuccess()) {
      return all.stream().map(n -> pre).toList();
    }
    return all.stream().map(n -> plugin.filter(state, pod, n)).toList();
  }

  private static PodInfo pod(String name, String... claimNames) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace(NS)
            .withName(name)
            .withUid("uid-" + name)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .endContainer()
            .endSpec();
    return PodInfo.of(withClaims(b, claimNames).build());
  }

  private StorageClass storageClass(String name, String provisioner, String mode) {
    return new StorageClassBuilder()
        .withNewMetadata()
        .withName(name)
        .withResourceVersion(version())
        .endMetadata()
        .withProvisioner(provisioner)
        .withVolumeBindingMode(mode)
        .build();
  }

  private PersistentVolumeClaim claim(
      String name,
      String className,
      String size,
      UnaryOperator<PersistentVolumeClaimBuilder> edit) {
    PersistentVolumeClaimBuilder b =
        new PersistentVolumeClaimBuilder()
            .withNewMetadata()
            .withNamespace(NS)
            .withName(name)
            .withUid("uid-" + name)
            .withResourceVersion(version())
            .endMetadata()
            .withNewSpec()
            .withStorageClassName(className)
            .withAccessModes("ReadWriteOnce")
            .withNewResources()
            .addToRequests("storage", new Quantity(size))
            .endResources()
            .endSpec()
            .withNewStatus()
            .withPhase("Pending")
            .endStatus();
    return edit.apply(b).build();
  }

  private PersistentVolumeClaim boundClaim(String name, String volumeName) {
    return claim(
        name,
        WFFC,
        "1Gi",
        c ->
            c.editSpec()
                .withVolumeName(volumeName)
                .endSpec()
                .editStatus()
                .withPhase("Bound")
                .endStatus());
  }

  private PersistentVolume volume(
      String name, String className, String size, String nodeName, String phase, String claim) {
    NodeSelectorTerm onNode = term(expr(HOSTNAME, "In", nodeName));
    PersistentVolumeBuilder b =
        new PersistentVolumeBuilder()
            .withNewMetadata()
            .withName(name)
            .withResourceVersion(version())
            .endMetadata()
            .withNewSpec()
            .withStorageClassName(className)
            .addToCapacity("storage", new Quantity(size))
            .withAccessModes("ReadWriteOnce")
            .withNewLocal()
            .withPath("/data/" + name)
            .endLocal()
            .withNewNodeAffinity()
            .withNewRequired()
            .withNodeSelectorTerms(onNode)
            .endRequired()
            .endNodeAffinity()
            .endSpec()
            .withNewStatus()
            .withPhase(phase)
            .endStatus();
    if (claim != null) {
      b.editSpec()
          .withNewClaimRef()
          .withNamespace(NS)
          .withName(claim)
          .withUid("uid-" + claim)
          .endClaimRef()
          .endSpec();
    }
    return b.build();
  }

  private static PersistentVolume labelled(PersistentVolume pv, String tier) {
    pv.getMetadata().setLabels(new java.util.HashMap<>(java.util.Map.of("tier", tier)));
    return pv;
  }

  private String version() {
    return Long.toString(versions.incrementAndGet());
  }
}
