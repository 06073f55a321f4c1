package io.nauta.faults;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.SharedInformer;
import java.util.HashMap;
import java.util.Map;
import reactor.core.Disposable;

/**
 * Follows every pod event of a watch and records, per owning ReplicaSet, the most active pods (not
 * being deleted) it ever had at one moment: what "no ReplicaSet ever has more pods than desired" is
 * checked against.
 */
final class OwnerHighWater implements AutoCloseable {

  private final Map<String, String> ownerOfActivePod = new HashMap<>();
  private final Map<String, Integer> active = new HashMap<>();
  private final Map<String, Integer> highest = new HashMap<>();
  private int activeTotal;
  private int highestTotal;
  private final Disposable subscription;

  /** Subscribe before the informer starts, so no event is missed. */
  OwnerHighWater(SharedInformer<Pod> informer) {
    this.subscription = informer.events().subscribe(this::apply);
  }

  private synchronized void apply(InformerEvent<Pod> event) {
    Pod pod = event.object();
    String uid = pod.getMetadata().getUid();
    boolean activeNow =
        event.type() != InformerEvent.Type.DELETED
            && pod.getMetadata().getDeletionTimestamp() == null;
    String before = ownerOfActivePod.remove(uid);
    if (before != null) {
      active.merge(before, -1, Integer::sum);
      activeTotal--;
    }
    String owner = owner(pod);
    if (activeNow && owner != null) {
      ownerOfActivePod.put(uid, owner);
      int now = active.merge(owner, 1, Integer::sum);
      highest.merge(owner, now, Math::max);
      activeTotal++;
      highestTotal = Math.max(highestTotal, activeTotal);
    }
  }

  private static String owner(Pod pod) {
    for (OwnerReference ref : pod.getMetadata().getOwnerReferences()) {
      if ("ReplicaSet".equals(ref.getKind()) && Boolean.TRUE.equals(ref.getController())) {
        return ref.getUid();
      }
    }
    return null;
  }

  /**
   * The most active pods owned by ReplicaSets the watch had at any moment, all owners together (two
   * ReplicaSets of one Deployment, each with all its pods, show here). Pods already there when this
   * began following count only from their next event.
   */
  synchronized int highestTotal() {
    return highestTotal;
  }

  /** The most active pods the ReplicaSet with {@code uid} had at any moment. */
  synchronized int highest(String uid) {
    return highest.getOrDefault(uid, 0);
  }

  @Override
  public void close() {
    subscription.dispose();
  }
}
