package io.nauta.agent.pods;

import io.fabric8.kubernetes.api.model.Pod;
import reactor.core.publisher.Mono;

/** The pod writes the agent makes: its status, and the final removal of a stopped pod. */
public interface PodWriter {

  /**
   * Writes {@code pod}'s status (optimistic concurrency on its resourceVersion); completes empty
   * when the pod changed or went meanwhile, as a newer version then follows through the informer.
   */
  Mono<Void> writeStatus(Pod pod);

  /**
   * Deletes the pod with grace period 0 and {@code uid} as a precondition; completes empty when it
   * is gone already or the name now belongs to another pod.
   */
  Mono<Void> remove(String namespace, String name, String uid);
}
