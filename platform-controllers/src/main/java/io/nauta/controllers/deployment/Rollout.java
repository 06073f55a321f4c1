package io.nauta.controllers.deployment;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One sync of one deployment: a private copy of the deployment (whose status the sync edits, as
 * Kubernetes' controller edits its deep copy), its replica sets as the cache showed them, replaced
 * by what the API answers as the sync writes them, and the pods of each replica set (by uid).
 */
final class Rollout {

  Deployment d;
  private final List<ReplicaSet> replicaSets;
  final Map<String, List<Pod>> podsByReplicaSetUid;

  Rollout(Deployment d, List<ReplicaSet> replicaSets, Map<String, List<Pod>> podsByReplicaSetUid) {
    this.d = d;
    this.replicaSets = new ArrayList<>(replicaSets);
    this.podsByReplicaSetUid = podsByReplicaSetUid;
  }

  List<ReplicaSet> replicaSets() {
    return List.copyOf(replicaSets);
  }

  /** Remembers the API's answer to a write of a replica set (added when new). */
  ReplicaSet written(ReplicaSet rs) {
    for (int i = 0; i < replicaSets.size(); i++) {
      if (Objects.equals(replicaSets.get(i).getMetadata().getName(), rs.getMetadata().getName())) {
        replicaSets.set(i, rs);
        return rs;
      }
    }
    replicaSets.add(rs);
    return rs;
  }

  void deleted(ReplicaSet rs) {
    replicaSets.removeIf(
        r -> Objects.equals(r.getMetadata().getName(), rs.getMetadata().getName()));
  }

  /** The latest known version of {@code rs} (null stays null). */
  ReplicaSet current(ReplicaSet rs) {
    if (rs == null) {
      return null;
    }
    for (ReplicaSet r : replicaSets) {
      if (Objects.equals(r.getMetadata().getName(), rs.getMetadata().getName())) {
        return r;
      }
    }
    return rs;
  }

  List<ReplicaSet> current(List<ReplicaSet> rss) {
    return rss.stream().map(this::current).toList();
  }

  /**
   * Takes the resourceVersion (and metadata) of the API's answer to a deployment write, keeping the
   * status this sync computed, so the next write of this sync is not refused as stale.
   */
  void deploymentWritten(Deployment written) {
    d.getMetadata().setResourceVersion(written.getMetadata().getResourceVersion());
    d.getMetadata().setAnnotations(written.getMetadata().getAnnotations());
  }
}
