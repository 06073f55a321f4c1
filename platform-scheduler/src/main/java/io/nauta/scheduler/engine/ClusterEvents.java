package io.nauta.scheduler.engine;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerStore;
import io.nauta.scheduler.cache.SchedulerCache;
import io.nauta.scheduler.plugins.volumebinding.VolumeCache;
import java.util.Objects;

/**
 * Turns informer events into cache updates and queue adds. Bound pods and nodes go into the cache;
 * pending pods this scheduler is responsible for go into the queue. Changes that could let an
 * unschedulable pod fit — a node added, or changed in capacity, labels, taints, schedulability or
 * readiness; a bound pod leaving or changing its labels; a claim, volume or storage class added or
 * changed — send the unschedulable pods round again.
 */
public final class ClusterEvents {

  private final SchedulerCache cache;
  private final SchedulingQueue queue;
  private final PodScheduler scheduler;
  private final VolumeCache volumes;

  public ClusterEvents(
      SchedulerCache cache, SchedulingQueue queue, PodScheduler scheduler, VolumeCache volumes) {
    this.cache = cache;
    this.queue = queue;
    this.scheduler = scheduler;
    this.volumes = volumes;
  }

  /**
   * A claim, volume or storage class changed: pre-binds waiting for bindings look again, and a
   * claim or volume added or changed (a claim made or bound, a volume made Available, a class made)
   * may let a pod the VolumeBinding plugin turned away fit, as Kubernetes' plugin registers for
   * those events.
   */
  public void onVolumeObject(InformerEvent<? extends HasMetadata> event) {
    volumes.changed();
    if (event.type() != InformerEvent.Type.DELETED) {
      queue.moveAllUnschedulable();
    }
  }

  public void onNode(InformerEvent<Node> event) {
    Node node = event.object();
    switch (event.type()) {
      case ADDED -> {
        cache.addOrUpdateNode(node);
        queue.moveAllUnschedulable();
      }
      case UPDATED -> {
        cache.addOrUpdateNode(node);
        if (mayMakeRoom(event.previous(), node)) {
          queue.moveAllUnschedulable();
        }
      }
      case DELETED -> cache.removeNode(node.getMetadata().getName());
    }
  }

  public void onPod(InformerEvent<Pod> event) {
    Pod pod = event.object();
    String key = InformerStore.keyOf(pod);
    if (event.type() == InformerEvent.Type.DELETED) {
      scheduler.deleted(pod.getMetadata().getUid());
      queue.forget(key);
      if (isBound(pod)) {
        cache.removePod(pod.getMetadata().getUid());
        queue.moveAllUnschedulable();
      }
      return;
    }
    if (isBound(pod)) {
      Pod previous = event.previous();
      // Our own binding can show up here before its HTTP answer: that answer ends its latency.
      boolean boundByUs = cache.isAssumed(pod.getMetadata().getUid());
      cache.addOrUpdatePod(pod);
      if (previous == null || !isBound(previous)) {
        if (!boundByUs) {
          scheduler.gone(pod.getMetadata().getUid());
        }
        queue.forget(key);
      } else if (!Objects.equals(previous.getMetadata().getLabels(), pod.getMetadata().getLabels())
          || pod.getMetadata().getDeletionTimestamp() != null) {
        queue.moveAllUnschedulable();
      }
      return;
    }
    if (scheduler.isResponsibleFor(pod)) {
      scheduler.seen(pod);
      // Our own status writes (the PodScheduled condition) come back as updates: only a new pod
      // or a change of what scheduling reads deserves another attempt.
      Pod previous = event.previous();
      if (previous == null
          || !Objects.equals(previous.getSpec(), pod.getSpec())
          || !Objects.equals(previous.getMetadata().getLabels(), pod.getMetadata().getLabels())) {
        queue.add(key);
      }
    } else {
      queue.forget(key);
    }
  }

  private static boolean isBound(Pod pod) {
    return pod.getSpec() != null
        && pod.getSpec().getNodeName() != null
        && !pod.getSpec().getNodeName().isEmpty();
  }

  private static boolean mayMakeRoom(Node before, Node after) {
    if (before == null) {
      return true;
    }
    return !Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels())
        || !Objects.equals(before.getSpec(), after.getSpec())
        || !Objects.equals(allocatable(before), allocatable(after))
        || !Objects.equals(ready(before), ready(after));
  }

  private static Object allocatable(Node node) {
    return node.getStatus() == null ? null : node.getStatus().getAllocatable();
  }

  private static String ready(Node node) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return null;
    }
    return node.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .map(c -> c.getStatus())
        .findFirst()
        .orElse(null);
  }
}
