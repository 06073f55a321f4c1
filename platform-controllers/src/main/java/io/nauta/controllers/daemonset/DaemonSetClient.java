package io.nauta.controllers.daemonset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import reactor.core.publisher.Mono;

/** Every write the DaemonSet controller makes, behind one interface. */
interface DaemonSetClient {

  Mono<Pod> createPod(Pod pod);

  /**
   * Deletes a pod; {@code force} with no grace period, for a pod whose node is gone and whose
   * kubelet will never confirm the end (what upstream's pod garbage collector does).
   */
  Mono<Void> deletePod(String namespace, String name, boolean force);

  Mono<ControllerRevision> createRevision(ControllerRevision revision);

  /** From the API server, not a cache: the check after a name collision. */
  Mono<ControllerRevision> getRevision(String namespace, String name);

  /** Renumbers a revision (a rollback makes an old template current again). */
  Mono<ControllerRevision> setRevisionNumber(ControllerRevision revision, long number);

  Mono<Void> deleteRevision(String namespace, String name);

  /** Writes {@code status} through the status subresource. */
  Mono<Void> updateStatus(DaemonSet ds, DaemonSetStatus status);

  /** From the API server, not a cache: the check before adopting. */
  Mono<DaemonSet> getDaemonSet(String namespace, String name);

  /**
   * Makes {@code ds} the controller of an orphaned pod or revision (a patch naming the child's uid,
   * so a re-created child of that name is untouched).
   */
  Mono<Void> adopt(HasMetadata child, DaemonSet ds);

  Mono<Void> event(DaemonSet ds, String type, String reason, String message);
}
