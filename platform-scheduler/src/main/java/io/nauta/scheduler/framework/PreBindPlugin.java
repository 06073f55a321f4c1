package io.nauta.scheduler.framework;

import reactor.core.publisher.Mono;

/**
 * Work that must be done before a pod is bound to its node (Kubernetes' PreBind extension point),
 * such as writing and then waiting for its volumes' bindings. It may take long: the scheduler runs
 * it apart from its workers, so other pods are not held back meanwhile.
 */
public interface PreBindPlugin extends Plugin {

  /**
   * Whether {@link #preBind} has anything to do for this pod on {@code nodeName} (Kubernetes'
   * PreBindPreFlight): pods without such work are bound at once, as before.
   */
  boolean hasPreBindWork(CycleState state, PodInfo pod, String nodeName);

  /**
   * Does the work; completes with success once the pod may be bound, or with a non-success status
   * (never an error signal) when it may not: the scheduler then unreserves and retries the pod.
   */
  Mono<Status> preBind(CycleState state, PodInfo pod, String nodeName);
}
