package io.nauta.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.nauta.core.workqueue.Result;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Server-side rollback (Kubernetes' rollback.go), asked for through the {@code
 * deprecated.deployment.rollback.to} annotation that old clients (extensions/v1beta1 rollbackTo)
 * leave: the deployment's template becomes the chosen revision's. Today's {@code kubectl rollout
 * undo} does the same on the client (it patches the template), and the rollout that follows re-uses
 * the old replica set, whose template hash matches again.
 */
final class RollbackRollout {

  static final String EVENT_ROLLBACK = "DeploymentRollback";
  static final String EVENT_NOT_FOUND = "DeploymentRollbackRevisionNotFound";
  static final String EVENT_UNCHANGED = "DeploymentRollbackTemplateUnchanged";

  private final DeploymentSync sync;

  RollbackRollout(DeploymentSync sync) {
    this.sync = sync;
  }

  /** The revision asked for (0: the previous one), or null when no rollback is asked for. */
  static Long rollbackTo(Deployment d) {
    String v = Revisions.annotation(d, Revisions.ROLLBACK_TO);
    if (v == null) {
      return null;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  Mono<Result> rollback(Rollout r) {
    return sync.getAllReplicaSetsAndSyncRevision(r, true)
        .flatMap(
            no -> {
              Deployment d = r.d;
              long to = rollbackTo(d);
              List<ReplicaSet> all = r.current(no.all());
              if (to == 0) {
                to = previousRevision(all);
                if (to == 0) {
                  sync.api().event(d, "Warning", EVENT_NOT_FOUND, "Unable to find last revision.");
                  return finish(r);
                }
              }
              for (ReplicaSet rs : all) {
                if (rs != null && Revisions.of(rs) == to) {
                  if (PodTemplates.equalIgnoreHash(
                      d.getSpec().getTemplate(), rs.getSpec().getTemplate())) {
                    sync.api()
                        .event(
                            d,
                            "Warning",
                            EVENT_UNCHANGED,
                            "The rollback revision contains the same template as current"
                                + " deployment \""
                                + d.getMetadata().getName()
                                + "\"");
                  } else {
                    d.getSpec().setTemplate(PodTemplates.withoutHash(rs.getSpec().getTemplate()));
                    takeAnnotations(d, rs);
                    sync.api()
                        .event(
                            d,
                            "Normal",
                            EVENT_ROLLBACK,
                            "Rolled back deployment \""
                                + d.getMetadata().getName()
                                + "\" to revision "
                                + to);
                  }
                  return finish(r);
                }
              }
              sync.api()
                  .event(
                      d, "Warning", EVENT_NOT_FOUND, "Unable to find the revision to rollback to.");
              return finish(r);
            });
  }

  /** Clears the request and writes the (possibly restored) deployment. */
  private Mono<Result> finish(Rollout r) {
    r.d.getMetadata().getAnnotations().remove(Revisions.ROLLBACK_TO);
    return sync.api().updateDeployment(r.d).thenReturn(Result.done());
  }

  /** The second-highest revision: the one before the current. */
  static long previousRevision(List<ReplicaSet> all) {
    long max = 0;
    long second = 0;
    for (ReplicaSet rs : all) {
      if (rs == null) {
        continue;
      }
      long v = Revisions.of(rs);
      if (v > max) {
        second = max;
        max = v;
      } else if (v > second && v < max) {
        second = v;
      }
    }
    return second;
  }

  /** The deployment takes the replica set's copied annotations (e.g. its change-cause). */
  private static void takeAnnotations(Deployment d, ReplicaSet rs) {
    Map<String, String> next = new LinkedHashMap<>();
    Map<String, String> current = d.getMetadata().getAnnotations();
    if (current != null) {
      current.forEach(
          (k, v) -> {
            if (Revisions.NOT_COPIED.contains(k)) {
              next.put(k, v);
            }
          });
    }
    Map<String, String> from = rs.getMetadata().getAnnotations();
    if (from != null) {
      from.forEach(
          (k, v) -> {
            if (!Revisions.NOT_COPIED.contains(k)) {
              next.put(k, v);
            }
          });
    }
    d.getMetadata().setAnnotations(next);
  }
}
