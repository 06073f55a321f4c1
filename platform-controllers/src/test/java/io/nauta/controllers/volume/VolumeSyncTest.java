package io.nauta.controllers.volume;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.nauta.core.informer.InformerStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The volume side of the binder against a fake API: a volume is released only when the API server
 * agrees its claim is gone, and reclaimed by its policy.
 */
class VolumeSyncTest {

  private final InformerStore<PersistentVolumeClaim> claimStore = new InformerStore<>();
  private final InformerStore<PersistentVolume> volumeStore = new InformerStore<>();
  private final FakeVolumeClient api = new FakeVolumeClient();
  private final LatestObjects<PersistentVolumeClaim> claims = new LatestObjects<>(claimStore);
  private final LatestObjects<PersistentVolume> volumes = new LatestObjects<>(volumeStore);
  private final List<String> enqueued = new ArrayList<>();
  private final VolumeSync sync =
      new VolumeSync(
          volumes,
          claims,
          new InformerStore<Pod>(),
          new Binder(api, volumes, claims),
          enqueued::add,
          Duration.ofSeconds(15));

  private static PersistentVolume bound(String name, String policy, String claimUid) {
    return new PersistentVolumeBuilder()
        .withNewMetadata()
        .withName(name)
        .withResourceVersion("1")
        .endMetadata()
        .withNewSpec()
        .withCapacity(Map.of("storage", new Quantity("1Gi")))
        .withAccessModes("ReadWriteOnce")
        .withPersistentVolumeReclaimPolicy(policy)
        .withClaimRef(
            new ObjectReferenceBuilder()
                .withNamespace("ns")
                .withName("data")
                .withUid(claimUid)
                .build())
        .endSpec()
        .withNewStatus()
        .withPhase("Bound")
        .endStatus()
        .build();
  }

  private static PersistentVolumeClaim claim(String uid, String volumeName) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withNamespace("ns")
        .withName("data")
        .withUid(uid)
        .withResourceVersion("1")
        .endMetadata()
        .withNewSpec()
        .withVolumeName(volumeName)
        .endSpec()
        .build();
  }

  private void volume(PersistentVolume v) {
    volumeStore.upsert(v);
    api.stored.put(v.getMetadata().getName(), v);
  }

  @Test
  void aClaimMissingFromTheCacheButStoredKeepsItsVolumeBound() {
    volume(bound("v", "Delete", "uid-1"));
    api.stored.put("ns/data", claim("uid-1", "v"));

    sync.sync("v").block();

    assertThat(api.writes).isEmpty();
    assertThat(api.events).isEmpty();
  }

  @Test
  void aClaimReplacedByOneOfTheSameNameReleasesTheVolumeAndRetainKeepsIt() {
    volume(bound("v", "Retain", "uid-1"));
    claimStore.upsert(claim("uid-2", null));
    api.stored.put("ns/data", claim("uid-2", null));

    sync.sync("v").block();

    assertThat(api.writes).containsExactly("volume-status v Released");
    assertThat(volumes.get("v").orElseThrow().getSpec().getClaimRef().getUid()).isEqualTo("uid-1");
    api.writes.clear();
    sync.sync("v").block();
    assertThat(api.writes).isEmpty();
  }

  @Test
  void deleteWithoutADeleterFailsTheVolumeOnceAndAnExternalProvisionersVolumeIsLeftAlone() {
    volume(bound("static", "Delete", "uid-1"));
    sync.sync("static").block();
    assertThat(api.writes)
        .containsExactly("volume-status static Released", "volume-status static Failed");
    assertThat(api.events)
        .containsExactly(
            "Warning VolumeFailedDelete error getting deleter volume plugin for volume"
                + " \"static\": no deletable volume plugin matched");
    api.writes.clear();
    api.events.clear();
    sync.sync("static").block();
    assertThat(api.writes).isEmpty();
    assertThat(api.events).isEmpty();

    PersistentVolume provisioned = bound("provisioned", "Delete", "uid-1");
    provisioned
        .getMetadata()
        .setAnnotations(Map.of(Binder.PROVISIONED_BY, "nauta.io/local-volume"));
    volume(provisioned);
    sync.sync("provisioned").block();
    assertThat(api.writes).containsExactly("volume-status provisioned Released");
    assertThat(api.events).isEmpty();
  }

  @Test
  void recycleHasNoRecyclerHere() {
    volume(bound("old", "Recycle", "uid-1"));
    sync.sync("old").block();
    assertThat(api.writes)
        .containsExactly("volume-status old Released", "volume-status old Failed");
    assertThat(api.events)
        .containsExactly("Warning VolumeFailedRecycle No recycler plugin found for the volume!");
  }

  @Test
  void aVolumeBoundToAPendingClaimWakesTheClaimAndAControllerBindingToAnotherVolumeIsUndone() {
    volume(bound("v", "Retain", "uid-1"));
    claimStore.upsert(claim("uid-1", null));
    sync.sync("v").block();
    assertThat(enqueued).containsExactly("ns/data");
    assertThat(api.writes).isEmpty();

    PersistentVolume byController = bound("w", "Retain", "uid-1");
    byController.getMetadata().setAnnotations(Map.of(Binder.BOUND_BY_CONTROLLER, "yes"));
    volume(byController);
    PersistentVolumeClaim movedOn = claim("uid-1", "elsewhere");
    movedOn.getMetadata().setResourceVersion("2");
    claimStore.upsert(movedOn);
    sync.sync("w").block();
    assertThat(api.writes).containsExactly("volume w", "volume-status w Available");
    PersistentVolume undone = volumes.get("w").orElseThrow();
    assertThat(undone.getSpec().getClaimRef()).isNull();
    assertThat(undone.getMetadata().getAnnotations()).isNull();
  }
}
