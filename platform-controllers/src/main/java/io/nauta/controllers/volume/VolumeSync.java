package io.nauta.controllers.volume;

import static io.nauta.controllers.volume.Binder.NORMAL;
import static io.nauta.controllers.volume.Binder.PROVISIONED_BY;
import static io.nauta.controllers.volume.Binder.WARNING;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.workqueue.Result;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

/**
 * Upstream's {@code syncVolume}: an unclaimed or pre-bound volume is Available; a volume whose
 * claim is gone (deleted, or replaced by one with another uid, checked against the API server
 * before acting) is Released and reclaimed by its policy; a volume whose claim is bound elsewhere
 * is unbound. Reclaiming: Retain keeps it Released; Delete is left to the external provisioner
 * named in {@code pv.kubernetes.io/provisioned-by}, and with none the volume is Failed (no deleter
 * runs in this controller manager); Recycle, deprecated, has no recycler here either and fails the
 * same way.
 */
final class VolumeSync {

  private static final Log log = LogFactory.getLog(VolumeSync.class);

  private final LatestObjects<PersistentVolume> volumes;
  private final LatestObjects<PersistentVolumeClaim> claims;
  private final InformerStore<Pod> pods;
  private final Binder binder;
  private final VolumeClient client;
  private final Consumer<String> enqueueClaim;
  private final Duration resync;

  VolumeSync(
      LatestObjects<PersistentVolume> volumes,
      LatestObjects<PersistentVolumeClaim> claims,
      InformerStore<Pod> pods,
      Binder binder,
      Consumer<String> enqueueClaim,
      Duration resync) {
    this.volumes = volumes;
    this.claims = claims;
    this.pods = pods;
    this.binder = binder;
    this.client = binder.client();
    this.enqueueClaim = enqueueClaim;
    this.resync = resync;
  }

  Mono<Result> sync(String key) {
    Optional<PersistentVolume> found = volumes.get(key);
    if (found.isEmpty()) {
      return Mono.just(Result.done());
    }
    return syncVolume(found.get()).thenReturn(Result.requeueAfter(resync));
  }

  private Mono<Void> syncVolume(PersistentVolume volume) {
    ObjectReference ref = volume.getSpec().getClaimRef();
    if (ref == null || VolumeMatching.blank(ref.getUid())) {
      // Unused, or reserved for a claim that the claim's sync will bind.
      return binder.updateVolumePhase(volume, "Available", null).then();
    }
    String claimKey = InformerStore.key(ref.getNamespace(), ref.getName());
    Optional<PersistentVolumeClaim> cached = claims.get(claimKey);
    String phase = VolumeMatching.phase(volume);
    boolean releasedOrFailed = "Released".equals(phase) || "Failed".equals(phase);
    Mono<Optional<PersistentVolumeClaim>> claim;
    if (cached.isEmpty() && !releasedOrFailed) {
      // A claim made by a provisioner or bound by the scheduler may not be cached yet: never
      // release a volume on the cache's word alone.
      claim = live(ref);
    } else if (cached.isPresent()
        && !Objects.equals(cached.get().getMetadata().getUid(), ref.getUid())) {
      claim = live(ref);
    } else {
      claim = Mono.just(cached);
    }
    return claim.flatMap(
        c -> {
          if (c.isEmpty() || !Objects.equals(c.get().getMetadata().getUid(), ref.getUid())) {
            Mono<PersistentVolume> released =
                releasedOrFailed
                    ? Mono.just(volume)
                    : binder
                        .updateVolumePhase(volume, "Released", null)
                        .doOnNext(
                            v ->
                                log.info(
                                    "volume "
                                        + v.getMetadata().getName()
                                        + " is released, reclaim policy "
                                        + reclaimPolicy(v)));
            return released.flatMap(this::reclaim);
          }
          return withClaim(volume, c.get());
        });
  }

  private Mono<Optional<PersistentVolumeClaim>> live(ObjectReference ref) {
    return client
        .getClaim(ref.getNamespace(), ref.getName())
        .map(Optional::of)
        .defaultIfEmpty(Optional.empty());
  }

  private Mono<Void> withClaim(PersistentVolume volume, PersistentVolumeClaim claim) {
    String name = volume.getMetadata().getName();
    String claimVolume = claim.getSpec().getVolumeName();
    if (VolumeMatching.blank(claimVolume)) {
      if (VolumeMatching.volumeModeMismatch(claim, volume)) {
        return client
            .event(
                volume,
                WARNING,
                "VolumeMismatch",
                "Cannot bind PersistentVolume to requested PersistentVolumeClaim \""
                    + claim.getMetadata().getName()
                    + "\" due to incompatible volumeMode.")
            .then(
                client.event(
                    claim,
                    WARNING,
                    "VolumeMismatch",
                    "Cannot bind PersistentVolume \""
                        + name
                        + "\" to requested PersistentVolumeClaim due to incompatible volumeMode."));
      }
      // The volume is bound and the claim Pending: the claim's sync finishes the binding.
      enqueueClaim.accept(InformerStore.keyOf(claim));
      return Mono.empty();
    }
    if (claimVolume.equals(name)) {
      return binder.updateVolumePhase(volume, "Bound", null).then();
    }
    // The claim is bound to another volume.
    if (ClaimSync.has(volume, PROVISIONED_BY) && "Delete".equals(reclaimPolicy(volume))) {
      String phase = VolumeMatching.phase(volume);
      Mono<PersistentVolume> released =
          "Released".equals(phase) || "Failed".equals(phase)
              ? Mono.just(volume)
              : binder.updateVolumePhase(volume, "Released", null);
      return released.flatMap(this::reclaim);
    }
    // Bound by this controller to a claim that went elsewhere: roll back; pre-bound by the user:
    // keep the reservation, drop the uid.
    return binder.unbindVolume(volume);
  }

  private Mono<Void> reclaim(PersistentVolume volume) {
    if (ClaimSync.has(volume, "pv.kubernetes.io/migrated-to")) {
      return Mono.empty();
    }
    return switch (reclaimPolicy(volume)) {
      case "Retain" -> Mono.empty();
      case "Recycle" -> recycle(volume);
      case "Delete" -> delete(volume);
      default ->
          binder
              .updateVolumePhaseWithEvent(
                  volume,
                  "Failed",
                  WARNING,
                  "VolumeUnknownReclaimPolicy",
                  "Volume has unrecognized PersistentVolumeReclaimPolicy")
              .then();
    };
  }

  /** Upstream's {@code deleteVolumeOperation}, on the volume as stored. */
  private Mono<Void> delete(PersistentVolume volume) {
    return client
        .getVolume(volume.getMetadata().getName())
        .filter(this::isReleased)
        .flatMap(
            fresh -> {
              String provisioner = ClaimSync.annotation(fresh, PROVISIONED_BY);
              if (!VolumeMatching.blank(provisioner) && !provisioner.startsWith("kubernetes.io/")) {
                return Mono.empty(); // an external deleter's volume
              }
              if (VolumeMatching.blank(provisioner) && fresh.getSpec().getCsi() != null) {
                return Mono.empty(); // a CSI driver's volume
              }
              String error =
                  VolumeMatching.blank(provisioner)
                      ? "error getting deleter volume plugin for volume \""
                          + fresh.getMetadata().getName()
                          + "\": no deletable volume plugin matched"
                      : "no volume plugin matched name: " + provisioner;
              return binder
                  .updateVolumePhaseWithEvent(fresh, "Failed", WARNING, "VolumeFailedDelete", error)
                  .then();
            });
  }

  /** Upstream's {@code recycleVolumeOperation}: no recycler plugin exists here. */
  private Mono<Void> recycle(PersistentVolume volume) {
    return client
        .getVolume(volume.getMetadata().getName())
        .filter(this::isReleased)
        .flatMap(
            fresh -> {
              ObjectReference ref = fresh.getSpec().getClaimRef();
              TreeSet<String> users = new TreeSet<>();
              for (Pod p : pods.byIndex(InformerStore.BY_NAMESPACE, ref.getNamespace())) {
                if (PodVolumes.usesClaim(p, ref.getName()) && !PodVolumes.isTerminated(p)) {
                  users.add(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName());
                }
              }
              boolean claimCached =
                  claims.get(InformerStore.key(ref.getNamespace(), ref.getName())).isPresent();
              if (!users.isEmpty() && !claimCached) {
                return client.event(
                    fresh,
                    NORMAL,
                    "VolumeFailedRecycle",
                    "Volume is used by pods: " + String.join(",", users));
              }
              return binder
                  .updateVolumePhaseWithEvent(
                      fresh,
                      "Failed",
                      WARNING,
                      "VolumeFailedRecycle",
                      "No recycler plugin found for the volume!")
                  .then();
            });
  }

  /**
   * Upstream's {@code isVolumeReleased}: bound (with a uid) to a claim that no longer exists with
   * that uid, or that is bound to another volume.
   */
  private boolean isReleased(PersistentVolume volume) {
    ObjectReference ref = volume.getSpec().getClaimRef();
    if (ref == null || VolumeMatching.blank(ref.getUid())) {
      return false;
    }
    Optional<PersistentVolumeClaim> claim =
        claims.get(InformerStore.key(ref.getNamespace(), ref.getName()));
    if (claim.isPresent() && Objects.equals(claim.get().getMetadata().getUid(), ref.getUid())) {
      String bound = claim.get().getSpec().getVolumeName();
      return !VolumeMatching.blank(bound) && !bound.equals(volume.getMetadata().getName());
    }
    return true;
  }

  /** The volume's policy; unset is Retain, the API's default for a volume made by hand. */
  static String reclaimPolicy(PersistentVolume volume) {
    return Objects.requireNonNullElse(
        volume.getSpec().getPersistentVolumeReclaimPolicy(), "Retain");
  }
}
