package io.nauta.controllers.volume;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VolumeMatchingTest {

  private static PersistentVolume pv(String name, String size, String cls, String... modes) {
    return new PersistentVolumeBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withCapacity(Map.of("storage", new Quantity(size)))
        .withStorageClassName(cls)
        .withAccessModes(modes)
        .endSpec()
        .withNewStatus()
        .withPhase("Available")
        .endStatus()
        .build();
  }

  private static PersistentVolumeClaim pvc(String size, String cls, String... modes) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withNamespace("ns")
        .withName("data")
        .withUid("uid-1")
        .endMetadata()
        .withNewSpec()
        .withStorageClassName(cls)
        .withAccessModes(modes)
        .withNewResources()
        .withRequests(Map.of("storage", new Quantity(size)))
        .endResources()
        .endSpec()
        .build();
  }

  private static Optional<String> best(PersistentVolumeClaim c, PersistentVolume... volumes) {
    return VolumeMatching.bestMatch(c, List.of(volumes), false).map(v -> v.getMetadata().getName());
  }

  @Test
  void picksTheSmallestVolumeThatFits() {
    PersistentVolumeClaim claim = pvc("1500Mi", "fast", "ReadWriteOnce");
    assertThat(
            best(
                claim,
                pv("big", "10Gi", "fast", "ReadWriteOnce"),
                pv("small", "1Gi", "fast", "ReadWriteOnce"),
                pv("fits", "2Gi", "fast", "ReadWriteOnce")))
        .contains("fits");
  }

  @Test
  void ignoresOtherClassesPhasesAndClaimedVolumes() {
    PersistentVolumeClaim claim = pvc("1Gi", "fast", "ReadWriteOnce");
    PersistentVolume released = pv("released", "1Gi", "fast", "ReadWriteOnce");
    released.getStatus().setPhase("Released");
    PersistentVolume claimed = pv("claimed", "1Gi", "fast", "ReadWriteOnce");
    claimed.getSpec().setClaimRef(new io.fabric8.kubernetes.api.model.ObjectReference());
    claimed.getSpec().getClaimRef().setNamespace("ns");
    claimed.getSpec().getClaimRef().setName("other");
    assertThat(best(claim, pv("slow", "1Gi", "slow", "ReadWriteOnce"), released, claimed))
        .isEmpty();
    assertThat(best(pvc("1Gi", "", "ReadWriteOnce"), pv("none", "1Gi", null, "ReadWriteOnce")))
        .contains("none");
  }

  @Test
  void needsEveryRequestedAccessModeAndPrefersFewerModes() {
    PersistentVolumeClaim claim = pvc("1Gi", "fast", "ReadWriteOnce", "ReadOnlyMany");
    assertThat(best(claim, pv("rwo", "1Gi", "fast", "ReadWriteOnce"))).isEmpty();
    assertThat(
            best(
                pvc("1Gi", "fast", "ReadWriteOnce"),
                pv("many", "1Gi", "fast", "ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany"),
                pv("two", "5Gi", "fast", "ReadWriteOnce", "ReadOnlyMany")))
        .contains("two");
  }

  @Test
  void honoursTheSelectorAndVolumeMode() {
    PersistentVolumeClaim claim = pvc("1Gi", "fast", "ReadWriteOnce");
    claim
        .getSpec()
        .setSelector(
            new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
                .withMatchLabels(Map.of("tier", "gold"))
                .addNewMatchExpression()
                .withKey("zone")
                .withOperator("In")
                .withValues("a", "b")
                .endMatchExpression()
                .build());
    PersistentVolume gold = pv("gold", "5Gi", "fast", "ReadWriteOnce");
    gold.getMetadata().setLabels(Map.of("tier", "gold", "zone", "b"));
    PersistentVolume wrongZone = pv("wrong-zone", "1Gi", "fast", "ReadWriteOnce");
    wrongZone.getMetadata().setLabels(Map.of("tier", "gold", "zone", "c"));
    PersistentVolume unlabelled = pv("plain", "1Gi", "fast", "ReadWriteOnce");
    assertThat(best(claim, wrongZone, unlabelled, gold)).contains("gold");

    PersistentVolume block = pv("block", "1Gi", "fast", "ReadWriteOnce");
    block.getSpec().setVolumeMode("Block");
    assertThat(best(pvc("1Gi", "fast", "ReadWriteOnce"), block)).isEmpty();
    PersistentVolumeClaim blockClaim = pvc("1Gi", "fast", "ReadWriteOnce");
    blockClaim.getSpec().setVolumeMode("Block");
    assertThat(best(blockClaim, block, pv("fs", "1Gi", "fast", "ReadWriteOnce"))).contains("block");
  }

  @Test
  void aVolumePreBoundToTheClaimWinsEvenInAnotherClassButMustBeBigEnough() {
    PersistentVolumeClaim claim = pvc("1Gi", "fast", "ReadWriteOnce");
    PersistentVolume reserved = pv("reserved", "8Gi", "", "ReadWriteOnce");
    reserved.getStatus().setPhase("Available");
    reserved.getSpec().setClaimRef(new io.fabric8.kubernetes.api.model.ObjectReference());
    reserved.getSpec().getClaimRef().setNamespace("ns");
    reserved.getSpec().getClaimRef().setName("data");
    assertThat(best(claim, pv("fits", "1Gi", "fast", "ReadWriteOnce"), reserved))
        .contains("reserved");
    // Pre-bound volumes count even while binding waits for the first consumer.
    assertThat(
            VolumeMatching.bestMatch(
                    claim, List.of(pv("fits", "1Gi", "fast", "ReadWriteOnce"), reserved), true)
                .map(v -> v.getMetadata().getName()))
        .contains("reserved");
    assertThat(
            VolumeMatching.bestMatch(
                claim, List.of(pv("fits", "1Gi", "fast", "ReadWriteOnce")), true))
        .isEmpty();
    // Reserved for another claim with this name (another uid): not this claim's.
    reserved.getSpec().getClaimRef().setUid("uid-2");
    assertThat(best(claim, reserved)).isEmpty();
    // Too small: not this claim's either.
    PersistentVolume tiny = pv("tiny", "100Mi", "fast", "ReadWriteOnce");
    tiny.getSpec().setClaimRef(new io.fabric8.kubernetes.api.model.ObjectReference());
    tiny.getSpec().getClaimRef().setNamespace("ns");
    tiny.getSpec().getClaimRef().setName("data");
    assertThat(best(claim, tiny)).isEmpty();
  }

  @Test
  void aVolumeBeingDeletedNeverMatches() {
    PersistentVolume going = pv("going", "1Gi", "fast", "ReadWriteOnce");
    going.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
    assertThat(best(pvc("1Gi", "fast", "ReadWriteOnce"), going)).isEmpty();
    assertThat(VolumeMatching.unsatisfied(going, pvc("1Gi", "fast", "ReadWriteOnce")))
        .contains("the volume is marked for deletion \"going\"");
  }

  @Test
  void explainsWhyANamedVolumeCannotServeTheClaim() {
    PersistentVolume v = pv("v", "1Gi", "fast", "ReadWriteOnce");
    assertThat(VolumeMatching.unsatisfied(v, pvc("2Gi", "fast", "ReadWriteOnce")))
        .contains("requested PV is too small");
    assertThat(VolumeMatching.unsatisfied(v, pvc("1Gi", "slow", "ReadWriteOnce")))
        .contains("storageClassName does not match");
    assertThat(VolumeMatching.unsatisfied(v, pvc("1Gi", "fast", "ReadWriteMany")))
        .contains("incompatible accessMode");
    assertThat(VolumeMatching.unsatisfied(v, pvc("1Gi", "fast", "ReadWriteOnce"))).isEmpty();
  }
}
