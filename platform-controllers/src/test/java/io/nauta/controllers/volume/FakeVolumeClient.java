package io.nauta.controllers.volume;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.nauta.core.informer.InformerStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;

/**
 * A {@link VolumeClient} whose writes succeed with the next resourceVersion and are recorded, while
 * the informer stores of the test stay behind them; live reads answer from {@link #stored}.
 */
final class FakeVolumeClient implements VolumeClient {
  final List<String> writes = new ArrayList<>();
  final List<String> events = new ArrayList<>();
  final AtomicLong rv = new AtomicLong(100);
  volatile boolean failClaimWrites;

  /** What the API server holds, by informer key, for live reads. */
  final Map<String, HasMetadata> stored = new ConcurrentHashMap<>();

  private <T extends HasMetadata> Mono<T> write(T o, String what) {
    writes.add(what);
    o.getMetadata().setResourceVersion(Long.toString(rv.incrementAndGet()));
    stored.put(InformerStore.keyOf(o), o);
    return Mono.just(o);
  }

  @Override
  public Mono<PersistentVolume> updateVolume(PersistentVolume v) {
    return write(v, "volume " + v.getMetadata().getName());
  }

  @Override
  public Mono<PersistentVolume> updateVolumeStatus(PersistentVolume v) {
    return write(v, "volume-status " + v.getMetadata().getName() + " " + v.getStatus().getPhase());
  }

  @Override
  public Mono<PersistentVolumeClaim> updateClaim(PersistentVolumeClaim c) {
    if (failClaimWrites) {
      return Mono.error(new IllegalStateException("the API server went away"));
    }
    return write(c, "claim " + c.getMetadata().getName());
  }

  @Override
  public Mono<PersistentVolumeClaim> updateClaimStatus(PersistentVolumeClaim c) {
    return write(c, "claim-status " + c.getMetadata().getName() + " " + c.getStatus().getPhase());
  }

  @Override
  public Mono<PersistentVolume> getVolume(String name) {
    return Mono.justOrEmpty((PersistentVolume) stored.get(name));
  }

  @Override
  public Mono<PersistentVolumeClaim> getClaim(String namespace, String name) {
    return Mono.justOrEmpty((PersistentVolumeClaim) stored.get(namespace + "/" + name));
  }

  @Override
  public Mono<Void> event(HasMetadata object, String type, String reason, String message) {
    events.add(type + " " + reason + " " + message);
    return Mono.empty();
  }
}
