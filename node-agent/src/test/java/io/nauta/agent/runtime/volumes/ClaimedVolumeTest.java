package io.nauta.agent.runtime.volumes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClaimedVolumeTest {

  @TempDir Path dir;

  private static PersistentVolumeClaimBuilder claim(String phase) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withNamespace("ns")
        .withName("data")
        .withUid("claim-uid")
        .endMetadata()
        .withNewSpec()
        .withVolumeName("pv-1")
        .endSpec()
        .withNewStatus()
        .withPhase(phase)
        .endStatus();
  }

  private PersistentVolumeBuilder local(String claimUid) {
    return new PersistentVolumeBuilder()
        .withNewMetadata()
        .withName("pv-1")
        .endMetadata()
        .withNewSpec()
        .withNewClaimRef()
        .withNamespace("ns")
        .withName("data")
        .withUid(claimUid)
        .endClaimRef()
        .withNewLocal()
        .withPath(dir.toString())
        .endLocal()
        .endSpec();
  }

  private static String error(PersistentVolumeClaim c, PersistentVolume v) {
    return new ClaimedVolume(c, v).source("data").error();
  }

  @Test
  void aBoundClaimGivesItsVolumesPathAndAnythingElseSaysWhyNot() {
    assertThat(new ClaimedVolume(claim("Bound").build(), local("claim-uid").build()).source("data"))
        .isEqualTo(new ClaimedVolume.Source(dir.toString(), null));
    assertThat(ClaimedVolume.MISSING.source("data").error())
        .isEqualTo("persistentvolumeclaim \"data\" not found");
    assertThat(error(claim("Pending").build(), null))
        .isEqualTo("persistentvolumeclaim \"data\" is not bound");
    assertThat(error(claim("Bound").build(), null))
        .isEqualTo("persistentvolume \"pv-1\" not found");
    // A claim naming someone else's volume gets nothing.
    assertThat(error(claim("Bound").build(), local("other-uid").build()))
        .isEqualTo("persistentvolume \"pv-1\" is not bound to persistentvolumeclaim \"data\"");
    assertThat(
            error(
                claim("Bound").build(),
                local("claim-uid")
                    .editSpec()
                    .editLocal()
                    .withPath("/no/such")
                    .endLocal()
                    .endSpec()
                    .build()))
        .isEqualTo("persistentvolume \"pv-1\": path \"/no/such\" does not exist");
    assertThat(
            error(
                claim("Bound").build(),
                local("claim-uid")
                    .editSpec()
                    .withLocal(null)
                    .withNewHostPath()
                    .withPath(dir.resolve("f").toString())
                    .withType("File")
                    .endHostPath()
                    .endSpec()
                    .build()))
        .isEqualTo(
            "persistentvolume \"pv-1\": hostPath type check failed: "
                + dir.resolve("f")
                + " is not a file");
  }

  @Test
  void aClaimBeingDeletedStartsNoNewPodButStaysWithOnesThatMountedIt() {
    PersistentVolumeClaim deleting =
        claim("Bound")
            .editMetadata()
            .withDeletionTimestamp("2026-01-01T00:00:00Z")
            .endMetadata()
            .build();
    ClaimedVolume v = new ClaimedVolume(deleting, local("claim-uid").build());
    assertThat(v.source("data").error())
        .isEqualTo("persistentvolumeclaim \"data\" is being deleted");
    assertThat(v.source("data", true, true).path()).isEqualTo(dir.toString());
  }
}
