package io.nauta.controllers.volume;

import static io.nauta.controllers.volume.Binder.BETA_STORAGE_PROVISIONER;
import static io.nauta.controllers.volume.Binder.BIND_COMPLETED;
import static io.nauta.controllers.volume.Binder.BOUND_BY_CONTROLLER;
import static io.nauta.controllers.volume.Binder.NORMAL;
import static io.nauta.controllers.volume.Binder.SELECTED_NODE;
import static io.nauta.controllers.volume.Binder.STORAGE_PROVISIONER;
import static io.nauta.controllers.volume.Binder.WARNING;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.workqueue.Result;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * Upstream's {@code syncClaim}: an unbound claim (no {@code bind-completed} annotation) gets the
 * volume it names or the best Available one, waits for its first consumer, is handed to its class's
 * external provisioner, or stays Pending; a bound claim keeps its binding whole or becomes Lost.
 * Every claim is synced again after the resync period, as upstream's periodic resync does.
 */
final class ClaimSync {

  static final String WAIT_FOR_FIRST_CONSUMER = "WaitForFirstConsumer";
  static final String DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";

  private final LatestObjects<PersistentVolumeClaim> claims;
  private final LatestObjects<PersistentVolume> volumes;
  private final InformerStore<StorageClass> classes;
  private final InformerStore<Pod> pods;
  private final Binder binder;
  private final VolumeClient client;
  private final Duration resync;

  ClaimSync(
      LatestObjects<PersistentVolumeClaim> claims,
      LatestObjects<PersistentVolume> volumes,
      InformerStore<StorageClass> classes,
      InformerStore<Pod> pods,
      Binder binder,
      Duration resync) {
    this.claims = claims;
    this.volumes = volumes;
    this.classes = classes;
    this.pods = pods;
    this.binder = binder;
    this.client = binder.client();
    this.resync = resync;
  }

  Mono<Result> sync(String key) {
    Optional<PersistentVolumeClaim> found = claims.get(key);
    if (found.isEmpty()) {
      return Mono.just(Result.done());
    }
    PersistentVolumeClaim claim = found.get();
    Mono<Void> work = has(claim, BIND_COMPLETED) ? syncBound(claim) : syncUnbound(claim);
    return work.thenReturn(Result.requeueAfter(resync));
  }

  private Mono<Void> syncUnbound(PersistentVolumeClaim claim) {
    String volumeName = claim.getSpec().getVolumeName();
    if (VolumeMatching.blank(volumeName)) {
      boolean delayBinding = delayBinding(claim);
      Optional<PersistentVolume> volume =
          VolumeMatching.bestMatch(claim, volumes.list(), delayBinding);
      if (volume.isPresent()) {
        return binder.bind(volume.get(), claim);
      }
      if (!VolumeMatching.claimHasClass(claim)) {
        Optional<StorageClass> byDefault = defaultClass();
        if (byDefault.isPresent()) {
          // Kubernetes' retroactive default StorageClass; the update brings the claim back.
          PersistentVolumeClaim clone = new PersistentVolumeClaimBuilder(claim).build();
          clone.getSpec().setStorageClassName(byDefault.get().getMetadata().getName());
          return client.updateClaim(clone).map(claims::wrote).then();
        }
      }
      Mono<Void> note;
      if (delayBinding && !has(claim, SELECTED_NODE)) {
        note = waitingForConsumer(claim);
      } else if (!VolumeMatching.claimClass(claim).isEmpty()) {
        return provision(claim);
      } else {
        note =
            client.event(
                claim,
                NORMAL,
                "FailedBinding",
                "no persistent volumes available for this claim and no storage class is set");
      }
      return note.then(binder.updateClaimStatus(claim, "Pending", null)).then();
    }
    Optional<PersistentVolume> named = volumes.get(volumeName);
    if (named.isEmpty()) {
      // The user asked for a volume that does not exist (yet): try again later.
      return binder.updateClaimStatus(claim, "Pending", null).then();
    }
    PersistentVolume volume = named.get();
    if (volume.getSpec().getClaimRef() == null) {
      Optional<String> why = VolumeMatching.unsatisfied(volume, claim);
      if (why.isPresent()) {
        return client
            .event(
                claim,
                WARNING,
                "VolumeMismatch",
                "Cannot bind to requested volume \"" + volumeName + "\": " + why.get())
            .then(binder.updateClaimStatus(claim, "Pending", null))
            .then();
      }
      return binder.bind(volume, claim);
    }
    if (VolumeMatching.isBoundToClaim(volume, claim)) {
      return binder.bind(volume, claim);
    }
    String message = "volume \"" + volumeName + "\" already bound to a different claim.";
    if (!has(claim, BOUND_BY_CONTROLLER)) {
      return client
          .event(claim, WARNING, "FailedBinding", message)
          .then(binder.updateClaimStatus(claim, "Pending", null))
          .then();
    }
    // Someone removed bind-completed from a claim this controller bound: never happens.
    return client
        .event(claim, WARNING, "FailedBinding", message)
        .then(
            Mono.error(
                new IllegalStateException(
                    "invalid binding of claim \""
                        + InformerStore.keyOf(claim)
                        + "\" to volume \""
                        + volumeName
                        + "\": volume already claimed by \""
                        + volume.getSpec().getClaimRef().getNamespace()
                        + "/"
                        + volume.getSpec().getClaimRef().getName()
                        + "\"")));
  }

  private Mono<Void> syncBound(PersistentVolumeClaim claim) {
    String volumeName = claim.getSpec().getVolumeName();
    if (VolumeMatching.blank(volumeName)) {
      return lost(
          claim,
          "ClaimLost",
          "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!");
    }
    Optional<PersistentVolume> cached = volumes.get(volumeName);
    // Ask the API server before declaring data lost: the cache may not have the volume yet.
    Mono<Optional<PersistentVolume>> volume =
        cached.isPresent()
            ? Mono.just(cached)
            : client.getVolume(volumeName).map(Optional::of).defaultIfEmpty(Optional.empty());
    return volume.flatMap(
        v -> {
          if (v.isEmpty()) {
            return lost(
                claim,
                "ClaimLost",
                "Bound claim has lost its PersistentVolume. Data on the volume is lost!");
          }
          var ref = v.get().getSpec().getClaimRef();
          if (ref == null || Objects.equals(ref.getUid(), claim.getMetadata().getUid())) {
            // Unbound volume (or a cache behind our own write): bind again; else all is well and
            // bind() writes nothing.
            return binder.bind(v.get(), claim);
          }
          return lost(
              claim,
              "ClaimMisbound",
              "Two claims are bound to the same volume, this one is bound incorrectly");
        });
  }

  private Mono<Void> lost(PersistentVolumeClaim claim, String reason, String message) {
    return binder.updateClaimStatusWithEvent(claim, "Lost", null, WARNING, reason, message).then();
  }

  /**
   * Upstream's {@code provisionClaim} for a provisioner outside the controller manager (in-tree
   * {@code kubernetes.io/} plugins do not exist here): the claim is annotated with the provisioner
   * and the event says who is expected to act.
   */
  private Mono<Void> provision(PersistentVolumeClaim claim) {
    String className = VolumeMatching.claimClass(claim);
    Optional<StorageClass> found = classes.get(className);
    if (found.isEmpty()) {
      return client.event(
          claim,
          WARNING,
          "ProvisioningFailed",
          "storageclass.storage.k8s.io \"" + className + "\" not found");
    }
    String provisioner = Objects.requireNonNullElse(found.get().getProvisioner(), "");
    if (provisioner.startsWith("kubernetes.io/")) {
      return client.event(
          claim, WARNING, "ProvisioningFailed", "no volume plugin matched name: " + provisioner);
    }
    String message =
        "Waiting for a volume to be created either by the external provisioner '"
            + provisioner
            + "' or manually by the system administrator. If volume creation is delayed, please"
            + " verify that the provisioner is running and correctly registered.";
    Mono<PersistentVolumeClaim> annotated;
    if (provisioner.equals(annotation(claim, STORAGE_PROVISIONER))) {
      annotated = Mono.just(claim);
    } else {
      PersistentVolumeClaim clone = new PersistentVolumeClaimBuilder(claim).build();
      Binder.annotations(clone).put(BETA_STORAGE_PROVISIONER, provisioner);
      Binder.annotations(clone).put(STORAGE_PROVISIONER, provisioner);
      annotated =
          client
              .updateClaim(clone)
              .map(claims::wrote)
              .onErrorResume(
                  e ->
                      client
                          .event(claim, WARNING, "ProvisioningFailed", "Error saving claim: " + e)
                          .then(Mono.error(e)));
    }
    return annotated.flatMap(c -> client.event(c, NORMAL, "ExternalProvisioning", message));
  }

  /** Upstream's {@code emitEventForUnboundDelayBindingClaim}. */
  private Mono<Void> waitingForConsumer(PersistentVolumeClaim claim) {
    List<String> unscheduled =
        pods.byIndex(InformerStore.BY_NAMESPACE, claim.getMetadata().getNamespace()).stream()
            .filter(p -> PodVolumes.usesClaim(p, claim.getMetadata().getName()))
            .filter(p -> !PodVolumes.isTerminated(p))
            .filter(p -> p.getSpec() == null || VolumeMatching.blank(p.getSpec().getNodeName()))
            .map(p -> p.getMetadata().getName())
            .toList();
    if (unscheduled.isEmpty()) {
      return client.event(
          claim,
          NORMAL,
          WAIT_FOR_FIRST_CONSUMER,
          "waiting for first consumer to be created before binding");
    }
    String message =
        unscheduled.size() > 1
            ? "waiting for pods " + String.join(",", unscheduled) + " to be scheduled"
            : "waiting for pod " + unscheduled.get(0) + " to be scheduled";
    return client.event(claim, NORMAL, "WaitForPodScheduled", message);
  }

  boolean delayBinding(PersistentVolumeClaim claim) {
    String className = VolumeMatching.claimClass(claim);
    if (className.isEmpty()) {
      return false;
    }
    return classes
        .get(className)
        // An unset mode is Immediate, the API's default.
        .map(c -> WAIT_FOR_FIRST_CONSUMER.equals(c.getVolumeBindingMode()))
        .orElse(false);
  }

  /** The default class; of several, the newest (then by name), as upstream's GetDefaultClass. */
  private Optional<StorageClass> defaultClass() {
    return classes.list().stream()
        .filter(c -> "true".equals(annotation(c, DEFAULT_CLASS_ANNOTATION)))
        .max(
            Comparator.comparing(
                    (StorageClass c) ->
                        Objects.requireNonNullElse(c.getMetadata().getCreationTimestamp(), ""))
                .thenComparing(c -> c.getMetadata().getName()));
  }

  static boolean has(io.fabric8.kubernetes.api.model.HasMetadata o, String annotation) {
    Map<String, String> a = o.getMetadata().getAnnotations();
    return a != null && a.containsKey(annotation);
  }

  static String annotation(io.fabric8.kubernetes.api.model.HasMetadata o, String key) {
    return VolumeMatching.annotation(o.getMetadata().getAnnotations(), key);
  }
}
