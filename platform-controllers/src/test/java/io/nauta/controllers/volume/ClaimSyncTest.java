package io.nauta.controllers.volume;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.nauta.core.informer.InformerStore;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The claim side of the binder against a fake API that records writes and whose informer caches
 * stay behind them (the worst case): upstream's write order, repair of a binding cut short, and the
 * waiting and provisioning paths.
 */
class ClaimSyncTest {

  private final InformerStore<PersistentVolumeClaim> claimStore = new InformerStore<>();
  private final InformerStore<PersistentVolume> volumeStore = new InformerStore<>();
  private final InformerStore<StorageClass> classStore = new InformerStore<>();
  private final FakeVolumeClient api = new FakeVolumeClient();
  private final LatestObjects<PersistentVolumeClaim> claims = new LatestObjects<>(claimStore);
  private final LatestObjects<PersistentVolume> volumes = new LatestObjects<>(volumeStore);
  private final ClaimSync sync =
      new ClaimSync(
          claims,
          volumes,
          classStore,
          new InformerStore<Pod>(),
          new Binder(api, volumes, claims),
          Duration.ofSeconds(15));

  private static PersistentVolume pv(String name, String size, String cls) {
    return new PersistentVolumeBuilder()
        .withNewMetadata()
        .withName(name)
        .withUid("pv-" + name)
        .withResourceVersion("1")
        .endMetadata()
        .withNewSpec()
        .withCapacity(Map.of("storage", new Quantity(size)))
        .withStorageClassName(cls)
        .withAccessModes("ReadWriteOnce")
        .endSpec()
        .withNewStatus()
        .withPhase("Available")
        .endStatus()
        .build();
  }

  private static PersistentVolumeClaim pvc(String cls) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withNamespace("ns")
        .withName("data")
        .withUid("claim-uid")
        .withResourceVersion("1")
        .endMetadata()
        .withNewSpec()
        .withStorageClassName(cls)
        .withAccessModes("ReadWriteOnce")
        .withNewResources()
        .withRequests(Map.of("storage", new Quantity("1Gi")))
        .endResources()
        .endSpec()
        .build();
  }

  @Test
  void bindsTheVolumeFirstThenItsPhaseThenTheClaimThenTheClaimsStatus() {
    volumeStore.upsert(pv("a", "1Gi", "fast"));
    claimStore.upsert(pvc("fast"));

    sync.sync("ns/data").block();

    assertThat(api.writes)
        .containsExactly(
            "volume a", "volume-status a Bound", "claim data", "claim-status data Bound");
    PersistentVolume a = volumes.get("a").orElseThrow();
    assertThat(a.getSpec().getClaimRef().getUid()).isEqualTo("claim-uid");
    assertThat(a.getMetadata().getAnnotations()).containsEntry(Binder.BOUND_BY_CONTROLLER, "yes");
    PersistentVolumeClaim c = claims.get("ns/data").orElseThrow();
    assertThat(c.getSpec().getVolumeName()).isEqualTo("a");
    assertThat(c.getMetadata().getAnnotations())
        .containsEntry(Binder.BIND_COMPLETED, "yes")
        .containsEntry(Binder.BOUND_BY_CONTROLLER, "yes");
    assertThat(c.getStatus().getCapacity()).containsEntry("storage", new Quantity("1Gi"));

    // A second pass over the same (still stale) caches writes nothing.
    api.writes.clear();
    sync.sync("ns/data").block();
    assertThat(api.writes).isEmpty();
  }

  @Test
  void aBindingCutShortAfterTheVolumeWriteIsFinishedWithThatVolume() {
    volumeStore.upsert(pv("a", "2Gi", "fast"));
    claimStore.upsert(pvc("fast"));
    api.failClaimWrites = true;

    assertThat(sync.sync("ns/data").onErrorResume(e -> Mono.empty()).block()).isNull();
    assertThat(api.writes).containsExactly("volume a", "volume-status a Bound");

    // Meanwhile a smaller volume appears; the claim still gets the one reserved for it.
    volumeStore.upsert(pv("b", "1Gi", "fast"));
    api.failClaimWrites = false;
    api.writes.clear();
    sync.sync("ns/data").block();
    assertThat(api.writes).containsExactly("claim data", "claim-status data Bound");
    assertThat(claims.get("ns/data").orElseThrow().getSpec().getVolumeName()).isEqualTo("a");
  }

  @Test
  void aWaitForFirstConsumerClaimWaitsForTheSelectedNodeThenGoesToItsProvisioner() {
    classStore.upsert(
        new StorageClassBuilder()
            .withNewMetadata()
            .withName("local")
            .endMetadata()
            .withProvisioner("nauta.io/local-volume")
            .withVolumeBindingMode("WaitForFirstConsumer")
            .build());
    volumeStore.upsert(pv("a", "1Gi", "local"));
    claimStore.upsert(pvc("local"));

    sync.sync("ns/data").block();
    assertThat(api.writes).containsExactly("claim-status data Pending");
    assertThat(api.events)
        .containsExactly(
            "Normal WaitForFirstConsumer waiting for first consumer to be created before binding");

    PersistentVolumeClaim selected = new PersistentVolumeClaimBuilder(pvc("local")).build();
    selected.getMetadata().setAnnotations(Map.of(Binder.SELECTED_NODE, "node-0"));
    selected.getMetadata().setResourceVersion("200"); // the scheduler's write, after ours
    api.rv.set(200);
    claimStore.upsert(selected);
    api.writes.clear();
    api.events.clear();
    sync.sync("ns/data").block();
    assertThat(api.writes).containsExactly("claim data");
    PersistentVolumeClaim annotated = claims.get("ns/data").orElseThrow();
    assertThat(annotated.getMetadata().getAnnotations())
        .containsEntry(Binder.STORAGE_PROVISIONER, "nauta.io/local-volume")
        .containsEntry(Binder.BETA_STORAGE_PROVISIONER, "nauta.io/local-volume");
    assertThat(annotated.getSpec().getVolumeName()).isNull();
    assertThat(api.events)
        .containsExactly(
            "Normal ExternalProvisioning Waiting for a volume to be created either by the external"
                + " provisioner 'nauta.io/local-volume' or manually by the system administrator."
                + " If volume creation is delayed, please verify that the provisioner is running"
                + " and correctly registered.");
  }
}
