package io.nauta.scheduler.plugins.volumebinding;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.nauta.core.informer.InformerStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Claims, volumes and storage classes as the scheduler sees them: the informers' objects, except
 * where a scheduled pod has <em>assumed</em> a change not yet seen back from the API server (a
 * static volume's {@code claimRef} to its claim, a claim's selected node), as Kubernetes' assume
 * cache does. An assumption holds while the informer still has the version it was made on; any
 * newer version of the object replaces it, so the cache never hides a change made by others.
 */
public final class VolumeCache {

  private final InformerStore<PersistentVolumeClaim> claims;
  private final InformerStore<PersistentVolume> volumes;
  private final InformerStore<StorageClass> classes;
  private final Map<String, Assumed<PersistentVolume>> assumedVolumes = new ConcurrentHashMap<>();
  private final Map<String, Assumed<PersistentVolumeClaim>> assumedClaims =
      new ConcurrentHashMap<>();
  private final Sinks.Many<Boolean> changes = Sinks.many().multicast().directBestEffort();

  /** An assumed object and the resourceVersion of the informer's object it was made on. */
  private record Assumed<T>(T object, String baseVersion) {}

  public VolumeCache(
      InformerStore<PersistentVolumeClaim> claims,
      InformerStore<PersistentVolume> volumes,
      InformerStore<StorageClass> classes) {
    this.claims = claims;
    this.volumes = volumes;
    this.classes = classes;
  }

  /** The claim {@code namespace/name}, or {@code null}. */
  public PersistentVolumeClaim claim(String namespace, String name) {
    String key = InformerStore.key(namespace, name);
    return effective(assumedClaims, key, claims.get(key).orElse(null));
  }

  /** The volume {@code name}, or {@code null}. */
  public PersistentVolume volume(String name) {
    return effective(assumedVolumes, name, volumes.get(name).orElse(null));
  }

  /** Every volume, assumptions applied. */
  public List<PersistentVolume> volumes() {
    List<PersistentVolume> out = new ArrayList<>();
    for (PersistentVolume pv : volumes.list()) {
      out.add(effective(assumedVolumes, pv.getMetadata().getName(), pv));
    }
    return out;
  }

  /** The storage class {@code name}, or {@code null}. */
  public StorageClass storageClass(String name) {
    return classes.get(name).orElse(null);
  }

  /** Counts {@code pv} (a changed copy of the cached volume) in place of the cached one. */
  public void assume(PersistentVolume pv, String baseVersion) {
    assumedVolumes.put(pv.getMetadata().getName(), new Assumed<>(pv, baseVersion));
  }

  /** Counts {@code claim} (a changed copy of the cached claim) in place of the cached one. */
  public void assume(PersistentVolumeClaim claim, String baseVersion) {
    assumedClaims.put(InformerStore.keyOf(claim), new Assumed<>(claim, baseVersion));
  }

  /** Drops the assumption about volume {@code name}, if it is still {@code pv}. */
  public void restore(PersistentVolume pv) {
    Assumed<PersistentVolume> a = assumedVolumes.get(pv.getMetadata().getName());
    if (a != null && a.object() == pv) {
      assumedVolumes.remove(pv.getMetadata().getName(), a);
    }
  }

  /** Drops the assumption about {@code claim}'s key, if it is still {@code claim}. */
  public void restore(PersistentVolumeClaim claim) {
    String key = InformerStore.keyOf(claim);
    Assumed<PersistentVolumeClaim> a = assumedClaims.get(key);
    if (a != null && a.object() == claim) {
      assumedClaims.remove(key, a);
    }
  }

  /** A claim, volume or class changed: waiting pre-binds look again. */
  public void changed() {
    changes.tryEmitNext(Boolean.TRUE);
  }

  /** Emits (best effort) on every {@link #changed()}. */
  public Flux<Boolean> changes() {
    return changes.asFlux();
  }

  private static <T extends HasMetadata> T effective(
      Map<String, Assumed<T>> assumed, String key, T informed) {
    Assumed<T> a = assumed.get(key);
    if (a == null) {
      return informed;
    }
    String current = informed == null ? null : informed.getMetadata().getResourceVersion();
    if (informed == null || !Objects.equals(current, a.baseVersion())) {
      // The informer has moved on (or the object is gone): the assumption is stale.
      assumed.remove(key, a);
      return informed;
    }
    return a.object();
  }
}
