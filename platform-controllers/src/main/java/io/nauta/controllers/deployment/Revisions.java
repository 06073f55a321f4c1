package io.nauta.controllers.deployment;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The annotations a deployment and its replica sets carry, with Kubernetes' names: what {@code
 * kubectl rollout history} and {@code undo} read, and what proportional scaling remembers.
 */
final class Revisions {

  static final String REVISION = "deployment.kubernetes.io/revision";
  static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
  static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
  static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
  static final String ROLLBACK_TO = "deprecated.deployment.rollback.to";
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  /** Kubernetes keeps at most this many characters of revision history on a replica set. */
  static final int MAX_HISTORY_CHARS = 2000;

  /** Deployment annotations that are not copied to its replica sets. */
  static final Set<String> NOT_COPIED =
      Set.of(LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO);

  private Revisions() {}

  static String annotation(HasMetadata o, String key) {
    Map<String, String> a = o.getMetadata().getAnnotations();
    return a == null ? null : a.get(key);
  }

  private static Map<String, String> annotations(HasMetadata o) {
    if (o.getMetadata().getAnnotations() == null) {
      o.getMetadata().setAnnotations(new LinkedHashMap<>());
    }
    return o.getMetadata().getAnnotations();
  }

  /** The revision of a replica set (0 when absent or unreadable, as Kubernetes treats it). */
  static long of(ReplicaSet rs) {
    String v = annotation(rs, REVISION);
    if (v == null) {
      return 0;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static long max(Collection<ReplicaSet> rss) {
    return rss.stream().filter(Objects::nonNull).mapToLong(Revisions::of).max().orElse(0);
  }

  /** Sets the deployment's revision annotation; true when it changed. */
  static boolean setDeploymentRevision(Deployment d, String revision) {
    if (Objects.equals(annotation(d, REVISION), revision)) {
      return false;
    }
    annotations(d).put(REVISION, revision);
    return true;
  }

  static boolean replicasAnnotationsNeedUpdate(ReplicaSet rs, int desired, int max) {
    return !String.valueOf(desired).equals(annotation(rs, DESIRED_REPLICAS))
        || !String.valueOf(max).equals(annotation(rs, MAX_REPLICAS));
  }

  /** Records the deployment size a replica set was scaled for; true when it changed. */
  static boolean setReplicasAnnotations(ReplicaSet rs, int desired, int max) {
    boolean changed = false;
    Map<String, String> a = annotations(rs);
    if (!String.valueOf(desired).equals(a.get(DESIRED_REPLICAS))) {
      a.put(DESIRED_REPLICAS, String.valueOf(desired));
      changed = true;
    }
    if (!String.valueOf(max).equals(a.get(MAX_REPLICAS))) {
      a.put(MAX_REPLICAS, String.valueOf(max));
      changed = true;
    }
    return changed;
  }

  static Integer intAnnotation(ReplicaSet rs, String key) {
    String v = annotation(rs, key);
    if (v == null) {
      return null;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Kubernetes' SetNewReplicaSetAnnotations: copies the deployment's own annotations (e.g. {@code
   * kubernetes.io/change-cause}), raises the revision to {@code newRevision} when lower (keeping
   * the revisions it had in {@code revision-history}: a rollback re-uses an old replica set), and
   * on a replica set about to be created records the replica annotations. True when anything
   * changed.
   */
  static boolean setNewReplicaSetAnnotations(
      Deployment d, ReplicaSet rs, String newRevision, boolean exists) {
    boolean changed = copyDeploymentAnnotations(d, rs);
    Map<String, String> a = annotations(rs);
    String oldRevision = a.get(REVISION);
    long oldInt;
    if (oldRevision == null || oldRevision.isEmpty()) {
      oldInt = 0;
    } else {
      try {
        oldInt = Long.parseLong(oldRevision);
      } catch (NumberFormatException e) {
        return changed;
      }
    }
    long newInt = Long.parseLong(newRevision);
    if (oldInt < newInt) {
      a.put(REVISION, newRevision);
      changed = true;
      if (oldRevision != null) {
        String history = a.get(REVISION_HISTORY);
        if (history == null || history.isEmpty()) {
          a.put(REVISION_HISTORY, oldRevision);
        } else {
          List<String> revisions = new ArrayList<>(Arrays.asList(history.split(",")));
          int total = history.length() + oldRevision.length() + 1;
          while (total > MAX_HISTORY_CHARS && !revisions.isEmpty()) {
            total -= revisions.remove(0).length() + 1;
          }
          if (total <= MAX_HISTORY_CHARS) {
            revisions.add(oldRevision);
            a.put(REVISION_HISTORY, String.join(",", revisions));
          }
        }
      }
    }
    if (!exists) {
      int replicas = Deployments.replicas(d);
      if (setReplicasAnnotations(rs, replicas, replicas + Fenceposts.maxSurge(d))) {
        changed = true;
      }
    }
    return changed;
  }

  private static boolean copyDeploymentAnnotations(Deployment d, ReplicaSet rs) {
    Map<String, String> from = d.getMetadata().getAnnotations();
    if (from == null) {
      return false;
    }
    boolean changed = false;
    for (Map.Entry<String, String> e : from.entrySet()) {
      if (NOT_COPIED.contains(e.getKey())
          || Objects.equals(annotation(rs, e.getKey()), e.getValue())) {
        continue;
      }
      annotations(rs).put(e.getKey(), e.getValue());
      changed = true;
    }
    return changed;
  }
}
