package io.nauta.controllers.volume;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import reactor.core.publisher.Mono;

/**
 * Every write and live read the persistent volume controllers make, behind one small interface so
 * their logic can be tested with a fake. Updates are guarded by the object's resourceVersion: a
 * stale view ends in a conflict and a retry, never in an overwrite.
 */
public interface VolumeClient {

  Mono<PersistentVolume> updateVolume(PersistentVolume volume);

  Mono<PersistentVolume> updateVolumeStatus(PersistentVolume volume);

  Mono<PersistentVolumeClaim> updateClaim(PersistentVolumeClaim claim);

  Mono<PersistentVolumeClaim> updateClaimStatus(PersistentVolumeClaim claim);

  /** The volume as stored; empty when it does not exist. */
  Mono<PersistentVolume> getVolume(String name);

  /** The claim as stored; empty when it does not exist. */
  Mono<PersistentVolumeClaim> getClaim(String namespace, String name);

  Mono<Void> event(HasMetadata object, String type, String reason, String message);
}
