package io.nauta.controllers.daemonset;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.nauta.controllers.pods.PodConditions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Upstream's {@code updateDaemonSetStatus}: the counts per node, from the oldest pod there. */
final class DaemonSetStatuses {

  private DaemonSetStatuses() {}

  static DaemonSetStatus calculate(
      DaemonSet ds,
      List<Node> nodes,
      Map<String, List<Pod>> byNode,
      String hash,
      boolean observed,
      Instant now) {
    int desired = 0;
    int current = 0;
    int misscheduled = 0;
    int ready = 0;
    int available = 0;
    int updated = 0;
    int minReady =
        ds.getSpec().getMinReadySeconds() == null ? 0 : ds.getSpec().getMinReadySeconds();
    for (Node node : nodes) {
      List<Pod> pods = new ArrayList<>();
      for (Pod p : byNode.getOrDefault(node.getMetadata().getName(), List.of())) {
        // a pod being deleted that already ended no longer counts
        boolean ended =
            "Succeeded".equals(PodConditions.phase(p)) || "Failed".equals(PodConditions.phase(p));
        if (p.getMetadata().getDeletionTimestamp() == null || !ended) {
          pods.add(p);
        }
      }
      boolean scheduled = !pods.isEmpty();
      if (NodeEligibility.of(node, ds).shouldRun()) {
        desired++;
        if (!scheduled) {
          continue;
        }
        current++;
        pods.sort(RollingUpdate.OLDEST_RUNNING_FIRST);
        Pod pod = pods.get(0);
        if (PodConditions.isReady(pod)) {
          ready++;
          if (PodConditions.isAvailable(pod, minReady, now)) {
            available++;
          }
        }
        if (DaemonPods.isUpdated(pod, hash)) {
          updated++;
        }
      } else if (scheduled) {
        misscheduled++;
      }
    }
    DaemonSetStatus was = ds.getStatus();
    Long generation =
        observed
            ? ds.getMetadata().getGeneration()
            : was == null ? null : was.getObservedGeneration();
    return new DaemonSetStatusBuilder()
        .withDesiredNumberScheduled(desired)
        .withCurrentNumberScheduled(current)
        .withNumberMisscheduled(misscheduled)
        .withNumberReady(ready)
        .withNumberAvailable(available)
        .withNumberUnavailable(desired - available)
        .withUpdatedNumberScheduled(updated)
        .withObservedGeneration(generation)
        .withCollisionCount(was == null ? null : was.getCollisionCount())
        .build();
  }

  static boolean same(DaemonSetStatus a, DaemonSetStatus b) {
    if (a == null) {
      return false;
    }
    return Objects.equals(a.getDesiredNumberScheduled(), b.getDesiredNumberScheduled())
        && Objects.equals(a.getCurrentNumberScheduled(), b.getCurrentNumberScheduled())
        && Objects.equals(a.getNumberMisscheduled(), b.getNumberMisscheduled())
        && Objects.equals(a.getNumberReady(), b.getNumberReady())
        && Objects.equals(a.getNumberAvailable(), b.getNumberAvailable())
        && Objects.equals(orZero(a.getNumberUnavailable()), orZero(b.getNumberUnavailable()))
        && Objects.equals(
            orZero(a.getUpdatedNumberScheduled()), orZero(b.getUpdatedNumberScheduled()))
        && Objects.equals(a.getObservedGeneration(), b.getObservedGeneration());
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }
}
