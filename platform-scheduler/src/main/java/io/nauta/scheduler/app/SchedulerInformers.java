package io.nauta.scheduler.app;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.nauta.core.informer.SharedInformer;

/**
 * The informers the scheduler reads: live pods (bound and pending) and nodes, and for the
 * VolumeBinding plugin claims, volumes and storage classes.
 */
public record SchedulerInformers(
    SharedInformer<Pod> pods,
    SharedInformer<Node> nodes,
    SharedInformer<PersistentVolumeClaim> claims,
    SharedInformer<PersistentVolume> volumes,
    SharedInformer<StorageClass> storageClasses) {

  public boolean hasSynced() {
    return pods.hasSynced()
        && nodes.hasSynced()
        && claims.hasSynced()
        && volumes.hasSynced()
        && storageClasses.hasSynced();
  }
}
