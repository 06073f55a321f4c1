package io.nauta.controllers.volume;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.controllers.app.ControllersProperties;
import io.nauta.controllers.app.EventRecorders;
import io.nauta.controllers.app.ManagedController;
import io.nauta.core.client.KubeClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Kubernetes' persistent volume controller (the binder): two work queues as upstream's, one of
 * claims ({@link ClaimSync}) and one of volumes ({@link VolumeSync}), one worker each so two claims
 * never race for one volume. This bean runs the claims' queue; {@link
 * PersistentVolumeBinderVolumes} hands the manager the volumes'. A volume event wakes the claim it
 * points to and, when it is free, the unbound claims of its class; a class event wakes the unbound
 * claims of that class; a claim event wakes its volume.
 */
@Component
public class PersistentVolumeBinder implements ManagedController {

  /** The reporting component of the events, as upstream's. */
  static final String EVENTS = "persistentvolume-controller";

  static final String BY_CLAIM = "persistentVolumeClaimRef";

  private final InformerStore<PersistentVolumeClaim> claimStore;
  private final InformerStore<PersistentVolume> volumeStore;
  private final LatestObjects<PersistentVolumeClaim> latestClaims;
  private final LatestObjects<PersistentVolume> latestVolumes;
  private final Controller claims;
  private final Controller volumes;

  @Autowired
  public PersistentVolumeBinder(
      InformerFactory informers,
      KubeClient client,
      EventRecorders events,
      ControllersProperties props,
      MeterRegistry meters) {
    this(informers, new ApiVolumeClient(client, events.forComponent(EVENTS)), props, meters);
  }

  PersistentVolumeBinder(
      InformerFactory informers,
      VolumeClient client,
      ControllersProperties props,
      MeterRegistry meters) {
    SharedInformer<PersistentVolumeClaim> claimInformer =
        informers.informer(BuiltInResources.PERSISTENT_VOLUME_CLAIMS, PersistentVolumeClaim.class);
    SharedInformer<PersistentVolume> volumeInformer =
        informers.informer(BuiltInResources.PERSISTENT_VOLUMES, PersistentVolume.class);
    SharedInformer<StorageClass> classInformer =
        informers.informer(BuiltInResources.STORAGE_CLASSES, StorageClass.class);
    SharedInformer<Pod> podInformer = informers.informer(BuiltInResources.PODS, Pod.class);
    this.claimStore = claimInformer.store();
    this.volumeStore = volumeInformer.store();
    volumeStore.addIndex(BY_CLAIM, PersistentVolumeBinder::claimKeys);

    this.latestClaims = new LatestObjects<>(claimStore);
    this.latestVolumes = new LatestObjects<>(volumeStore);
    Binder binder = new Binder(client, latestVolumes, latestClaims);
    ClaimSync claimSync =
        new ClaimSync(
            latestClaims,
            latestVolumes,
            classInformer.store(),
            podInformer.store(),
            binder,
            props.pvClaimBinderSyncPeriod());
    this.claims =
        Controller.builder("persistentvolume-binder-claims")
            .primary(claimInformer)
            .watch(volumeInformer, this::claimsOfVolume)
            .watch(classInformer, this::claimsOfClass)
            .reconcile(claimSync::sync)
            .workers(1)
            .meterRegistry(meters)
            .build();
    VolumeSync volumeSync =
        new VolumeSync(
            latestVolumes,
            latestClaims,
            podInformer.store(),
            binder,
            claims::enqueue,
            props.pvClaimBinderSyncPeriod());
    this.volumes =
        Controller.builder("persistentvolume-binder-volumes")
            .primary(volumeInformer)
            .watch(claimInformer, this::volumesOfClaim)
            .reconcile(volumeSync::sync)
            .workers(1)
            .meterRegistry(meters)
            .build();
  }

  @Override
  public Controller controller() {
    return claims;
  }

  Controller volumeController() {
    return volumes;
  }

  private static Collection<String> claimKeys(PersistentVolume volume) {
    ObjectReference ref = volume.getSpec() == null ? null : volume.getSpec().getClaimRef();
    return ref == null || ref.getName() == null
        ? List.of()
        : List.of(InformerStore.key(ref.getNamespace(), ref.getName()));
  }

  /** The claim a volume points to; the unbound claims of its class when it is free to take. */
  private Collection<String> claimsOfVolume(InformerEvent<PersistentVolume> event) {
    if (event.type() == InformerEvent.Type.DELETED) {
      latestVolumes.forget(InformerStore.keyOf(event.object()));
    }
    Set<String> keys = new LinkedHashSet<>(claimKeys(event.object()));
    if (event.previous() != null) {
      keys.addAll(claimKeys(event.previous()));
    }
    PersistentVolume v = event.object();
    if (event.type() != InformerEvent.Type.DELETED
        && v.getSpec().getClaimRef() == null
        && v.getMetadata().getDeletionTimestamp() == null) {
      // A free volume can only go to a claim of its class (pre-bound ones are woken above).
      String cls = VolumeMatching.volumeClass(v);
      for (PersistentVolumeClaim c : claimStore.list()) {
        if (unbound(c) && cls.equals(VolumeMatching.claimClass(c))) {
          keys.add(InformerStore.keyOf(c));
        }
      }
    }
    return keys;
  }

  private Collection<String> claimsOfClass(InformerEvent<StorageClass> event) {
    String name = event.object().getMetadata().getName();
    List<String> keys = new ArrayList<>();
    for (PersistentVolumeClaim c : claimStore.list()) {
      if (unbound(c) && name.equals(VolumeMatching.claimClass(c))) {
        keys.add(InformerStore.keyOf(c));
      }
    }
    return keys;
  }

  private Collection<String> volumesOfClaim(InformerEvent<PersistentVolumeClaim> event) {
    PersistentVolumeClaim c = event.object();
    if (event.type() == InformerEvent.Type.DELETED) {
      latestClaims.forget(InformerStore.keyOf(c));
    }
    Set<String> keys = new LinkedHashSet<>();
    if (!VolumeMatching.blank(c.getSpec().getVolumeName())) {
      keys.add(c.getSpec().getVolumeName());
    }
    for (PersistentVolume v : volumeStore.byIndex(BY_CLAIM, InformerStore.keyOf(c))) {
      keys.add(v.getMetadata().getName());
    }
    return keys;
  }

  private static boolean unbound(PersistentVolumeClaim c) {
    return !ClaimSync.has(c, Binder.BIND_COMPLETED);
  }
}
