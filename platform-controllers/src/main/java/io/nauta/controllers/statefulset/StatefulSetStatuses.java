package io.nauta.controllers.statefulset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.nauta.controllers.pods.PodConditions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A StatefulSet's status as upstream's updateStatefulSet and completeRollingUpdate write it. */
final class StatefulSetStatuses {

  private StatefulSetStatuses() {}

  static StatefulSetStatus calculate(
      StatefulSet set, List<Pod> members, String current, String update, Instant now) {
    int replicas = 0;
    int ready = 0;
    int available = 0;
    int currentReplicas = 0;
    int updated = 0;
    int minReady = StatefulPods.minReadySeconds(set);
    for (Pod p : members) {
      boolean created = p.getStatus() != null && p.getStatus().getPhase() != null;
      if (created) {
        replicas++;
      }
      if (StatefulPods.isRunningAndReady(p)) {
        ready++;
        if (PodConditions.isAvailable(p, minReady, now)) {
          available++;
        }
      }
      if (created && !StatefulPods.isTerminating(p)) {
        String revision = StatefulPods.revision(p);
        if (revision.equals(current)) {
          currentReplicas++;
        }
        if (revision.equals(update)) {
          updated++;
        }
      }
    }
    String currentRevision = current;
    String type =
        set.getSpec().getUpdateStrategy() == null
            ? "RollingUpdate"
            : set.getSpec().getUpdateStrategy().getType();
    if ("RollingUpdate".equals(type) && updated == replicas && ready == replicas) {
      currentReplicas = updated;
      currentRevision = update;
    }
    return new StatefulSetStatusBuilder()
        .withObservedGeneration(set.getMetadata().getGeneration())
        .withReplicas(replicas)
        .withReadyReplicas(ready)
        .withAvailableReplicas(available)
        .withCurrentReplicas(currentReplicas)
        .withUpdatedReplicas(updated)
        .withCurrentRevision(currentRevision)
        .withUpdateRevision(update)
        .withCollisionCount(
            set.getStatus() == null || set.getStatus().getCollisionCount() == null
                ? 0
                : set.getStatus().getCollisionCount())
        .build();
  }

  static boolean same(StatefulSetStatus a, StatefulSetStatus b) {
    if (a == null) {
      return false;
    }
    return Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
        && z(a.getReplicas()) == z(b.getReplicas())
        && z(a.getReadyReplicas()) == z(b.getReadyReplicas())
        && z(a.getAvailableReplicas()) == z(b.getAvailableReplicas())
        && z(a.getCurrentReplicas()) == z(b.getCurrentReplicas())
        && z(a.getUpdatedReplicas()) == z(b.getUpdatedReplicas())
        && Objects.equals(a.getCurrentRevision(), b.getCurrentRevision())
        && Objects.equals(a.getUpdateRevision(), b.getUpdateRevision())
        && z(a.getCollisionCount()) == z(b.getCollisionCount());
  }

  /**
   * A merge patch naming every field, so it needs no resourceVersion; upstream's omitempty counts
   * are left out when zero (replicas and availableReplicas are always written).
   */
  static Map<String, Object> patch(StatefulSetStatus s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("observedGeneration", s.getObservedGeneration());
    m.put("replicas", s.getReplicas());
    m.put("readyReplicas", zeroAsNull(s.getReadyReplicas()));
    m.put("currentReplicas", zeroAsNull(s.getCurrentReplicas()));
    m.put("updatedReplicas", zeroAsNull(s.getUpdatedReplicas()));
    m.put("availableReplicas", s.getAvailableReplicas());
    m.put("currentRevision", s.getCurrentRevision());
    m.put("updateRevision", s.getUpdateRevision());
    m.put("collisionCount", s.getCollisionCount());
    return m;
  }

  private static int z(Integer v) {
    return v == null ? 0 : v;
  }

  private static Integer zeroAsNull(Integer v) {
    return v == null || v == 0 ? null : v;
  }
}
