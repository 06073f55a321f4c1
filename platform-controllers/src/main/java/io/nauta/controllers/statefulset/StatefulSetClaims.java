package io.nauta.controllers.statefulset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.nauta.controllers.pods.PodConditions;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.PatchType;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.events.EventRecorder;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.registry.BuiltInResources;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A StatefulSet's claims: made from its volumeClaimTemplates before each pod (upstream's
 * createPersistentVolumeClaims), made again for a pending pod that lost one, and owned as {@code
 * persistentVolumeClaimRetentionPolicy} asks.
 */
final class StatefulSetClaims {

  private final InformerStore<PersistentVolumeClaim> claims;
  private final KubeClient client;
  private final ResourceClient<PersistentVolumeClaim> claimApi;
  private final EventRecorder events;

  StatefulSetClaims(
      InformerStore<PersistentVolumeClaim> claims, KubeClient client, EventRecorder events) {
    this.claims = claims;
    this.client = client;
    this.claimApi =
        client.resource(BuiltInResources.PERSISTENT_VOLUME_CLAIMS, PersistentVolumeClaim.class);
    this.events = events;
  }

  /** A claim missing or on its way out: the pod waits (upstream's createPersistentVolumeClaims). */
  static final class ClaimError extends RuntimeException {
    ClaimError(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Upstream's createMissingPersistentVolumeClaims for pending pods: a claim deleted after its pod
   * was made is made again, or the pod could never be scheduled. A claim still on its way out is
   * left to finish; a later pass makes it again.
   */
  Mono<Void> pendingPodsClaims(StatefulSet set, List<Pod> members) {
    return Flux.fromIterable(members)
        .filter(p -> !StatefulPods.isTerminating(p) && "Pending".equals(PodConditions.phase(p)))
        .concatMap(
            p ->
                createClaims(
                        set, StatefulPods.ordinal(set, p).orElseThrow(), p.getMetadata().getName())
                    .onErrorResume(ClaimError.class, e -> Mono.empty()))
        .then();
  }

  Mono<Void> createClaims(StatefulSet set, int ordinal, String podName) {
    String setName = set.getMetadata().getName();
    return Flux.fromIterable(StatefulPods.claims(set, ordinal))
        .concatMap(
            claim -> {
              String name = claim.getMetadata().getName();
              Optional<PersistentVolumeClaim> existing =
                  claims.get(InformerStore.key(set.getMetadata().getNamespace(), name));
              if (existing.isPresent()) {
                if (existing.get().getMetadata().getDeletionTimestamp() != null) {
                  return Mono.error(
                      new ClaimError(
                          "pod "
                              + podName
                              + " of StatefulSet "
                              + setName
                              + " is waiting for PVC "
                              + name
                              + " to be deleted",
                          null));
                }
                return Mono.empty();
              }
              if (wantsSetOwner(set)) {
                claim.getMetadata().setOwnerReferences(List.of(ownerRef(set)));
              }
              return claimApi
                  .create(claim)
                  .flatMap(
                      c ->
                          events.normal(
                              set,
                              "SuccessfulCreate",
                              "create Claim "
                                  + name
                                  + " Pod "
                                  + podName
                                  + " in StatefulSet "
                                  + setName
                                  + " success"))
                  .onErrorResume(AlreadyExistsException.class, e -> Mono.empty())
                  .onErrorResume(
                      e -> !(e instanceof ClaimError),
                      e ->
                          events
                              .warning(
                                  set,
                                  "FailedCreate",
                                  "create Claim "
                                      + name
                                      + " for Pod "
                                      + podName
                                      + " in StatefulSet "
                                      + setName
                                      + " failed error: "
                                      + e.getMessage())
                              .then(Mono.error(new ClaimError(e.getMessage(), e))));
            })
        .then();
  }

  private static boolean wantsSetOwner(StatefulSet set) {
    var p = set.getSpec().getPersistentVolumeClaimRetentionPolicy();
    return p != null && "Delete".equals(p.getWhenDeleted());
  }

  private static boolean wantsPodOwnerWhenScaled(StatefulSet set) {
    var p = set.getSpec().getPersistentVolumeClaimRetentionPolicy();
    return p != null && "Delete".equals(p.getWhenScaled());
  }

  private static OwnerReference ownerRef(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion() == null ? "apps/v1" : owner.getApiVersion())
        .withKind(owner.getKind() == null ? "StatefulSet" : owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .build();
  }

  /**
   * Upstream's claim ownership for {@code persistentVolumeClaimRetentionPolicy}: with whenDeleted
   * Delete a claim is owned by the StatefulSet; with whenScaled Delete the claim of a condemned pod
   * (an ordinal the scale-down leaves out) is owned by that pod, so the garbage collector deletes
   * the claim with its owner. Retain removes those references again.
   */
  Mono<Void> claimOwners(StatefulSet set, List<Pod> members) {
    int start = StatefulPods.startOrdinal(set);
    int end = start + StatefulPods.replicas(set);
    List<Mono<Void>> patches = new ArrayList<>();
    for (Pod pod : members) {
      if (StatefulPods.isTerminating(pod)) {
        continue;
      }
      int ord = StatefulPods.ordinal(set, pod).orElseThrow();
      boolean condemned = ord < start || ord >= end;
      for (PersistentVolumeClaim want : StatefulPods.claims(set, ord)) {
        Optional<PersistentVolumeClaim> have =
            claims.get(
                InformerStore.key(set.getMetadata().getNamespace(), want.getMetadata().getName()));
        if (have.isEmpty() || have.get().getMetadata().getDeletionTimestamp() != null) {
          continue;
        }
        PersistentVolumeClaim claim = have.get();
        List<OwnerReference> refs = new ArrayList<>();
        List<OwnerReference> existing =
            claim.getMetadata().getOwnerReferences() == null
                ? List.of()
                : claim.getMetadata().getOwnerReferences();
        for (OwnerReference r : existing) {
          boolean setRef = set.getMetadata().getUid().equals(r.getUid());
          boolean podRef =
              "Pod".equals(r.getKind()) && pod.getMetadata().getName().equals(r.getName());
          if (!setRef && !podRef) {
            refs.add(r);
          }
        }
        boolean podOwns = condemned && wantsPodOwnerWhenScaled(set);
        // both Delete: a scaled-away pod's claim is the pod's alone, or it would outlive the pod
        if (wantsSetOwner(set) && !podOwns) {
          refs.add(ownerRef(set));
        }
        if (podOwns) {
          refs.add(
              new OwnerReferenceBuilder()
                  .withApiVersion("v1")
                  .withKind("Pod")
                  .withName(pod.getMetadata().getName())
                  .withUid(pod.getMetadata().getUid())
                  .build());
        }
        if (sameRefs(existing, refs)) {
          continue;
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("ownerReferences", refs);
        metadata.put("uid", claim.getMetadata().getUid());
        metadata.put("resourceVersion", claim.getMetadata().getResourceVersion());
        String body = client.mapper().writeValueAsString(Map.of("metadata", metadata));
        patches.add(
            claimApi
                .patch(
                    claim.getMetadata().getNamespace(),
                    claim.getMetadata().getName(),
                    PatchType.MERGE,
                    body)
                .then());
      }
    }
    return Flux.concat(patches).then();
  }

  private static boolean sameRefs(List<OwnerReference> a, List<OwnerReference> b) {
    if (a.size() != b.size()) {
      return false;
    }
    Set<String> ua = new HashSet<>();
    a.forEach(r -> ua.add(r.getUid() + "/" + r.getKind()));
    Set<String> ub = new HashSet<>();
    b.forEach(r -> ub.add(r.getUid() + "/" + r.getKind()));
    return ua.equals(ub);
  }
}
