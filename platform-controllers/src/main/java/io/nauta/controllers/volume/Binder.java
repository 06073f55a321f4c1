package io.nauta.controllers.volume;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.PersistentVolumeStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

/**
 * The PV controller's writes, in upstream's order: binding saves the volume's {@code claimRef}
 * first, then the volume's phase, then the claim's {@code volumeName} and annotations, then the
 * claim's status. Each step writes only what differs, so a pass interrupted between two writes (a
 * crash, a conflict, a lost lease) is finished by the next one; a pre-bound volume ({@code
 * claimRef} with the claim's uid) is what the next pass finds first.
 */
final class Binder {

  private static final Log log = LogFactory.getLog(Binder.class);

  static final String BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
  static final String BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
  static final String PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";
  static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";
  static final String STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";
  static final String BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner";

  static final String NORMAL = "Normal";
  static final String WARNING = "Warning";

  private final VolumeClient client;
  private final LatestObjects<PersistentVolume> volumes;
  private final LatestObjects<PersistentVolumeClaim> claims;

  Binder(
      VolumeClient client,
      LatestObjects<PersistentVolume> volumes,
      LatestObjects<PersistentVolumeClaim> claims) {
    this.client = client;
    this.volumes = volumes;
    this.claims = claims;
  }

  VolumeClient client() {
    return client;
  }

  /** Binds both ways and marks both Bound; stops at the first failed write. */
  Mono<Void> bind(PersistentVolume volume, PersistentVolumeClaim claim) {
    return bindVolumeToClaim(volume, claim)
        .flatMap(v -> updateVolumePhase(v, "Bound", null))
        .flatMap(
            v ->
                bindClaimToVolume(claim, v)
                    .flatMap(c -> updateClaimStatus(c, "Bound", v))
                    // Logged when the claim was written: a resync of a bound pair writes nothing.
                    .filter(c -> c != claim)
                    .doOnNext(
                        c ->
                            log.info(
                                "volume "
                                    + v.getMetadata().getName()
                                    + " bound to claim "
                                    + c.getMetadata().getNamespace()
                                    + "/"
                                    + c.getMetadata().getName())))
        .then();
  }

  private Mono<PersistentVolume> bindVolumeToClaim(
      PersistentVolume volume, PersistentVolumeClaim claim) {
    boolean setBoundByController = !VolumeMatching.isBoundToClaim(volume, claim);
    PersistentVolume clone = new PersistentVolumeBuilder(volume).build();
    boolean dirty = false;
    var ref = volume.getSpec().getClaimRef();
    if (ref == null
        || !Objects.equals(ref.getName(), claim.getMetadata().getName())
        || !Objects.equals(ref.getNamespace(), claim.getMetadata().getNamespace())
        || !Objects.equals(ref.getUid(), claim.getMetadata().getUid())) {
      clone
          .getSpec()
          .setClaimRef(
              new ObjectReferenceBuilder()
                  .withKind("PersistentVolumeClaim")
                  .withApiVersion("v1")
                  .withNamespace(claim.getMetadata().getNamespace())
                  .withName(claim.getMetadata().getName())
                  .withUid(claim.getMetadata().getUid())
                  .withResourceVersion(claim.getMetadata().getResourceVersion())
                  .build());
      dirty = true;
    }
    if (setBoundByController && !hasAnnotation(clone.getMetadata().getAnnotations())) {
      annotations(clone).put(BOUND_BY_CONTROLLER, "yes");
      dirty = true;
    }
    if (!dirty) {
      return Mono.just(volume);
    }
    return client.updateVolume(clone).map(volumes::wrote);
  }

  private static boolean hasAnnotation(Map<String, String> annotations) {
    return annotations != null && annotations.containsKey(BOUND_BY_CONTROLLER);
  }

  private Mono<PersistentVolumeClaim> bindClaimToVolume(
      PersistentVolumeClaim claim, PersistentVolume volume) {
    PersistentVolumeClaim clone = new PersistentVolumeClaimBuilder(claim).build();
    boolean dirty = false;
    if (!volume.getMetadata().getName().equals(claim.getSpec().getVolumeName())) {
      clone.getSpec().setVolumeName(volume.getMetadata().getName());
      annotations(clone).putIfAbsent(BOUND_BY_CONTROLLER, "yes");
      dirty = true;
    }
    if (!annotations(clone).containsKey(BIND_COMPLETED)) {
      annotations(clone).put(BIND_COMPLETED, "yes");
      dirty = true;
    }
    if (!dirty) {
      return Mono.just(claim);
    }
    return client.updateClaim(clone).map(claims::wrote);
  }

  /**
   * Saves the claim's phase, and its access modes and capacity from {@code volume} (cleared when
   * null); capacity only as the claim becomes Bound, so a deliberate difference is kept.
   */
  Mono<PersistentVolumeClaim> updateClaimStatus(
      PersistentVolumeClaim claim, String phase, PersistentVolume volume) {
    PersistentVolumeClaim clone = new PersistentVolumeClaimBuilder(claim).build();
    if (clone.getStatus() == null) {
      clone.setStatus(new PersistentVolumeClaimStatus());
    }
    PersistentVolumeClaimStatus status = clone.getStatus();
    String oldPhase = claim.getStatus() == null ? null : claim.getStatus().getPhase();
    boolean dirty = false;
    if (!phase.equals(oldPhase)) {
      status.setPhase(phase);
      dirty = true;
    }
    if (volume == null) {
      if (status.getAccessModes() != null && !status.getAccessModes().isEmpty()) {
        status.setAccessModes(null);
        dirty = true;
      }
      if (status.getCapacity() != null && !status.getCapacity().isEmpty()) {
        status.setCapacity(null);
        dirty = true;
      }
    } else {
      List<String> modes = volume.getSpec().getAccessModes();
      if (!Objects.equals(orEmpty(status.getAccessModes()), orEmpty(modes))) {
        status.setAccessModes(modes);
        dirty = true;
      }
      if (!phase.equals(oldPhase)) {
        Map<String, Quantity> capacity = volume.getSpec().getCapacity();
        if (capacity == null || capacity.get(VolumeMatching.STORAGE) == null) {
          return Mono.error(
              new IllegalStateException(
                  "PersistentVolume \""
                      + volume.getMetadata().getName()
                      + "\" is without a storage capacity"));
        }
        Quantity have =
            status.getCapacity() == null ? null : status.getCapacity().get(VolumeMatching.STORAGE);
        if (have == null
            || Quantity.getAmountInBytes(have)
                    .compareTo(Quantity.getAmountInBytes(capacity.get(VolumeMatching.STORAGE)))
                != 0) {
          status.setCapacity(new LinkedHashMap<>(capacity));
          dirty = true;
        }
      }
    }
    if (!dirty) {
      return Mono.just(claim);
    }
    return client.updateClaimStatus(clone).map(claims::wrote);
  }

  /** As {@link #updateClaimStatus}, and the event, only when the phase changes. */
  Mono<PersistentVolumeClaim> updateClaimStatusWithEvent(
      PersistentVolumeClaim claim,
      String phase,
      PersistentVolume volume,
      String type,
      String reason,
      String message) {
    String oldPhase = claim.getStatus() == null ? null : claim.getStatus().getPhase();
    if (phase.equals(oldPhase)) {
      return Mono.just(claim);
    }
    return updateClaimStatus(claim, phase, volume)
        .flatMap(c -> client.event(c, type, reason, message).thenReturn(c));
  }

  Mono<PersistentVolume> updateVolumePhase(PersistentVolume volume, String phase, String message) {
    if (phase.equals(VolumeMatching.phase(volume))) {
      return Mono.just(volume);
    }
    PersistentVolume clone = new PersistentVolumeBuilder(volume).build();
    if (clone.getStatus() == null) {
      clone.setStatus(new PersistentVolumeStatus());
    }
    clone.getStatus().setPhase(phase);
    clone.getStatus().setMessage(message);
    return client
        .updateVolumeStatus(clone)
        .map(volumes::wrote)
        .doOnNext(v -> log.info("volume " + v.getMetadata().getName() + " entered phase " + phase));
  }

  /** As {@link #updateVolumePhase}, and the event, only when the phase changes. */
  Mono<PersistentVolume> updateVolumePhaseWithEvent(
      PersistentVolume volume, String phase, String type, String reason, String message) {
    if (phase.equals(VolumeMatching.phase(volume))) {
      return Mono.just(volume);
    }
    return updateVolumePhase(volume, phase, message)
        .flatMap(v -> client.event(v, type, reason, message).thenReturn(v));
  }

  /**
   * Rolls a binding back: a volume this controller bound loses its {@code claimRef}; one the user
   * pre-bound keeps it without the uid. Then the volume is Available.
   */
  Mono<Void> unbindVolume(PersistentVolume volume) {
    PersistentVolume clone = new PersistentVolumeBuilder(volume).build();
    Map<String, String> annotations = clone.getMetadata().getAnnotations();
    if (hasAnnotation(annotations)) {
      clone.getSpec().setClaimRef(null);
      annotations.remove(BOUND_BY_CONTROLLER);
      if (annotations.isEmpty()) {
        clone.getMetadata().setAnnotations(null);
      }
    } else {
      clone.getSpec().getClaimRef().setUid(null);
    }
    return client
        .updateVolume(clone)
        .map(volumes::wrote)
        .flatMap(v -> updateVolumePhase(v, "Available", null))
        .then();
  }

  static Map<String, String> annotations(io.fabric8.kubernetes.api.model.HasMetadata o) {
    if (o.getMetadata().getAnnotations() == null) {
      o.getMetadata().setAnnotations(new LinkedHashMap<>());
    }
    return o.getMetadata().getAnnotations();
  }

  private static List<String> orEmpty(List<String> l) {
    return l == null ? List.of() : l;
  }
}
