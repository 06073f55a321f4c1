package io.nauta.agent.pods;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.nauta.core.informer.InformerEvent;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells the pod informer's events that only bring back a status this agent wrote itself, so they do
 * not sync the pod again: every status write comes back as an update of the pod, and a sync for it
 * looked at Docker once more (and, while pods start, held a worker) to find nothing to do.
 *
 * <p>An update is such an echo when the pod's spec and metadata are what they were (but for the
 * resource version and managed fields the write changed) and its status is exactly the one last
 * written for the pod. Anything else syncs: a new spec or label, a deletion, or a status somebody
 * else wrote (the node lifecycle controller, an eviction, a {@code kubectl edit}), which the next
 * sync corrects or follows.
 */
final class OwnStatusEchoes {

  /** The status last written per pod uid. */
  private final Map<String, PodStatus> written = new ConcurrentHashMap<>();

  /** Notes a status about to be written (before the write: its echo may come before the reply). */
  void writing(Pod pod) {
    written.put(pod.getMetadata().getUid(), pod.getStatus());
  }

  /** The pod is gone: nothing of it comes back any more. */
  void forget(String uid) {
    written.remove(uid);
  }

  /** Whether the event must sync its pod: false only for the echo of this agent's own write. */
  boolean relevant(InformerEvent<Pod> event) {
    if (event.type() != InformerEvent.Type.UPDATED || event.previous() == null) {
      return true;
    }
    Pod before = event.previous();
    Pod after = event.object();
    String uid = after.getMetadata().getUid();
    PodStatus mine = uid == null ? null : written.get(uid);
    return mine == null
        || !mine.equals(after.getStatus())
        || !Objects.equals(before.getSpec(), after.getSpec())
        || !Objects.equals(comparable(before.getMetadata()), comparable(after.getMetadata()));
  }

  /** The metadata without what a status write changes by itself. */
  private static ObjectMeta comparable(ObjectMeta meta) {
    return meta == null
        ? null
        : new ObjectMetaBuilder(meta).withResourceVersion(null).withManagedFields().build();
  }
}
