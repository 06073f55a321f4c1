package io.nauta.controllers.volume;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.events.EventRecorder;
import io.nauta.core.registry.BuiltInResources;
import reactor.core.publisher.Mono;

/** {@link VolumeClient} on the API server. */
final class ApiVolumeClient implements VolumeClient {

  private final ResourceClient<PersistentVolume> volumes;
  private final ResourceClient<PersistentVolumeClaim> claims;
  private final EventRecorder events;

  ApiVolumeClient(KubeClient client, EventRecorder events) {
    this.volumes = client.resource(BuiltInResources.PERSISTENT_VOLUMES, PersistentVolume.class);
    this.claims =
        client.resource(BuiltInResources.PERSISTENT_VOLUME_CLAIMS, PersistentVolumeClaim.class);
    this.events = events;
  }

  @Override
  public Mono<PersistentVolume> updateVolume(PersistentVolume volume) {
    return volumes.update(volume);
  }

  @Override
  public Mono<PersistentVolume> updateVolumeStatus(PersistentVolume volume) {
    return volumes.updateStatus(volume);
  }

  @Override
  public Mono<PersistentVolumeClaim> updateClaim(PersistentVolumeClaim claim) {
    return claims.update(claim);
  }

  @Override
  public Mono<PersistentVolumeClaim> updateClaimStatus(PersistentVolumeClaim claim) {
    return claims.updateStatus(claim);
  }

  @Override
  public Mono<PersistentVolume> getVolume(String name) {
    return volumes.get(null, name).onErrorResume(NotFoundException.class, e -> Mono.empty());
  }

  @Override
  public Mono<PersistentVolumeClaim> getClaim(String namespace, String name) {
    return claims.get(namespace, name).onErrorResume(NotFoundException.class, e -> Mono.empty());
  }

  @Override
  public Mono<Void> event(HasMetadata object, String type, String reason, String message) {
    return events.record(object, type, reason, message);
  }
}
