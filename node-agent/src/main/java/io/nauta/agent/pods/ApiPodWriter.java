package io.nauta.agent.pods;

import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.NotFoundException;
import reactor.core.publisher.Mono;

/** {@link PodWriter} through the API server. */
public final class ApiPodWriter implements PodWriter {

  private final ResourceClient<Pod> pods;

  public ApiPodWriter(ResourceClient<Pod> pods) {
    this.pods = pods;
  }

  @Override
  public Mono<Void> writeStatus(Pod pod) {
    return pods.updateStatus(pod)
        .then()
        .onErrorResume(ConflictException.class, e -> Mono.empty())
        .onErrorResume(NotFoundException.class, e -> Mono.empty());
  }

  @Override
  public Mono<Void> remove(String namespace, String name, String uid) {
    return pods.delete(
            namespace,
            name,
            new DeleteOptionsBuilder()
                .withGracePeriodSeconds(0L)
                .withNewPreconditions()
                .withUid(uid)
                .endPreconditions()
                .build())
        .onErrorResume(NotFoundException.class, e -> Mono.empty())
        // The uid precondition failed: the name belongs to another pod now.
        .onErrorResume(ConflictException.class, e -> Mono.empty());
  }
}
