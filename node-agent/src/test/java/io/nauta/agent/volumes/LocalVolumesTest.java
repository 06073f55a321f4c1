package io.nauta.agent.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalVolumesTest {

  @TempDir Path root;

  private static PersistentVolumeClaimBuilder claim() {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withNamespace("ns")
        .withName("data")
        .withUid("1234-abcd")
        .withResourceVersion("7")
        .addToAnnotations(LocalVolumes.SELECTED_NODE, "node-1")
        .endMetadata()
        .withNewSpec()
        .withStorageClassName("fast")
        .withAccessModes("ReadWriteOnce", "ReadOnlyMany")
        .withNewResources()
        .addToRequests("storage", new Quantity("2Gi"))
        .endResources()
        .endSpec();
  }

  private static StorageClass storageClass(String provisioner, String reclaimPolicy) {
    return new StorageClassBuilder()
        .withNewMetadata()
        .withName("fast")
        .endMetadata()
        .withProvisioner(provisioner)
        .withReclaimPolicy(reclaimPolicy)
        .build();
  }

  @Test
  void theVolumeIsNamedForTheClaimsUidAndCarriesItsRequestModesClassAndNode() {
    PersistentVolumeClaim c = claim().build();
    PersistentVolume pv =
        LocalVolumes.volume(
            c, storageClass(LocalVolumes.PROVISIONER, "Retain"), "node-1", Path.of("/r/v/x"));

    assertThat(LocalVolumes.volumeName(c)).isEqualTo("pvc-1234-abcd");
    assertThat(pv.getMetadata().getName()).isEqualTo("pvc-1234-abcd");
    assertThat(pv.getMetadata().getAnnotations())
        .containsEntry("pv.kubernetes.io/provisioned-by", "nauta.io/local-volume");
    assertThat(pv.getSpec().getCapacity()).containsEntry("storage", new Quantity("2Gi"));
    assertThat(pv.getSpec().getAccessModes()).containsExactly("ReadWriteOnce", "ReadOnlyMany");
    assertThat(pv.getSpec().getVolumeMode()).isEqualTo("Filesystem");
    assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Retain");
    assertThat(pv.getSpec().getStorageClassName()).isEqualTo("fast");
    assertThat(pv.getSpec().getLocal().getPath()).isEqualTo("/r/v/x");
    assertThat(pv.getSpec().getClaimRef().getUid()).isEqualTo("1234-abcd");
    assertThat(pv.getSpec().getClaimRef().getNamespace()).isEqualTo("ns");
    assertThat(pv.getSpec().getClaimRef().getName()).isEqualTo("data");
    assertThat(pv.getSpec().getClaimRef().getKind()).isEqualTo("PersistentVolumeClaim");
    assertThat(LocalVolumes.node(pv)).isEqualTo("node-1");
    assertThat(LocalVolumes.madeFor(pv, c)).isTrue();
    assertThat(
            LocalVolumes.madeFor(pv, claim().editMetadata().withUid("other").endMetadata().build()))
        .isFalse();
    // A class without reclaimPolicy deletes (the API's default).
    assertThat(
            LocalVolumes.volume(c, storageClass(LocalVolumes.PROVISIONER, null), "n", Path.of("/p"))
                .getSpec()
                .getPersistentVolumeReclaimPolicy())
        .isEqualTo("Delete");
  }

  @Test
  void aClaimIsOursByItsProvisionerAnnotationOrElseByItsClass() {
    Optional<StorageClass> ours = Optional.of(storageClass(LocalVolumes.PROVISIONER, "Delete"));
    Optional<StorageClass> other = Optional.of(storageClass("example.com/nfs", "Delete"));

    assertThat(LocalVolumes.provisions(claim().build(), ours)).isTrue();
    assertThat(LocalVolumes.provisions(claim().build(), other)).isFalse();
    assertThat(LocalVolumes.provisions(claim().build(), Optional.empty())).isFalse();
    // The PV controller's annotation decides when present.
    assertThat(
            LocalVolumes.provisions(
                claim()
                    .editMetadata()
                    .addToAnnotations(LocalVolumes.STORAGE_PROVISIONER, LocalVolumes.PROVISIONER)
                    .endMetadata()
                    .build(),
                Optional.empty()))
        .isTrue();
    assertThat(
            LocalVolumes.provisions(
                claim()
                    .editMetadata()
                    .addToAnnotations(LocalVolumes.BETA_STORAGE_PROVISIONER, "example.com/nfs")
                    .endMetadata()
                    .build(),
                ours))
        .isFalse();
    // Bound, being deleted, or of no class: nothing to provision.
    assertThat(
            LocalVolumes.provisions(
                claim().editSpec().withVolumeName("pv-1").endSpec().build(), ours))
        .isFalse();
    assertThat(
            LocalVolumes.provisions(
                claim()
                    .editMetadata()
                    .withDeletionTimestamp("2026-01-01T00:00:00Z")
                    .endMetadata()
                    .build(),
                ours))
        .isFalse();
    assertThat(
            LocalVolumes.provisions(
                claim().editSpec().withStorageClassName("").endSpec().build(), ours))
        .isFalse();
    // The beta class annotation names the class over spec.storageClassName.
    assertThat(
            LocalVolumes.claimClass(
                claim()
                    .editMetadata()
                    .addToAnnotations(LocalVolumes.BETA_STORAGE_CLASS, "slow")
                    .endMetadata()
                    .build()))
        .isEqualTo("slow");
  }

  @Test
  void selectorsDataSourcesBlockModeAndMissingRequestsAreRefused() {
    assertThat(LocalVolumes.unsupported(claim().build())).isNull();
    assertThat(
            LocalVolumes.unsupported(
                claim()
                    .editSpec()
                    .withSelector(new LabelSelectorBuilder().addToMatchLabels("a", "b").build())
                    .endSpec()
                    .build()))
        .isEqualTo("claim.Spec.Selector is not supported");
    assertThat(
            LocalVolumes.unsupported(claim().editSpec().withVolumeMode("Block").endSpec().build()))
        .startsWith("volumeMode Block is not supported");
    assertThat(
            LocalVolumes.unsupported(
                claim().editSpec().withNewResources().endResources().endSpec().build()))
        .contains("no storage request");
  }

  @Test
  void onlyAReleasedVolumeWithReclaimPolicyDeleteIsDeleted() {
    PersistentVolume pv =
        LocalVolumes.volume(
            claim().build(),
            storageClass(LocalVolumes.PROVISIONER, "Delete"),
            "node-1",
            Path.of("/p"));
    assertThat(LocalVolumes.releasedForDeletion(pv)).isFalse();
    PersistentVolume released =
        new PersistentVolumeBuilder(pv).withNewStatus().withPhase("Released").endStatus().build();
    assertThat(LocalVolumes.releasedForDeletion(released)).isTrue();
    assertThat(
            LocalVolumes.releasedForDeletion(
                new PersistentVolumeBuilder(released)
                    .editSpec()
                    .withPersistentVolumeReclaimPolicy("Retain")
                    .endSpec()
                    .build()))
        .isFalse();
    // Someone else's volume is never ours, whatever its node.
    assertThat(
            LocalVolumes.isOurs(
                new PersistentVolumeBuilder(released)
                    .editMetadata()
                    .withAnnotations(java.util.Map.of())
                    .endMetadata()
                    .build()))
        .isFalse();
  }

  @Test
  void directoriesLiveUnderTheRootsVolumesAndNamesCannotLeaveIt() throws Exception {
    VolumeDirectories dirs = new VolumeDirectories(root);
    dirs.create("pvc-1");
    dirs.create("pvc-1");
    Path dir = root.resolve("volumes").resolve("pvc-1");
    assertThat(dir).isDirectory();
    assertThat(Files.getPosixFilePermissions(dir)).hasSize(9);
    Files.writeString(dir.resolve("f"), "x");
    Files.createSymbolicLink(dir.resolve("escape"), root);
    assertThat(dirs.existing()).containsExactly("pvc-1");
    dirs.remove("pvc-1");
    assertThat(dir).doesNotExist();
    // A link inside was removed, not followed.
    assertThat(root).isDirectory();
    assertThatThrownBy(() -> dirs.path("../../etc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> dirs.path("a/b")).isInstanceOf(IllegalArgumentException.class);

    VolumeDirectories recorded = VolumeDirectories.recordOnly(root);
    recorded.create("pvc-2");
    assertThat(root.resolve("volumes").resolve("pvc-2")).doesNotExist();
    assertThat(recorded.path("pvc-2")).isEqualTo(root.resolve("volumes").resolve("pvc-2"));
  }
}
