package io.nauta.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.PatchType;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.registry.ResourceType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/** {@link GcClient} on the API server. */
final class ApiGcClient implements GcClient {

  private final KubeClient client;

  ApiGcClient(KubeClient client) {
    this.client = client;
  }

  @SuppressWarnings("unchecked")
  private ResourceClient<HasMetadata> resource(ResourceType type) {
    return client.resource(type, (Class<HasMetadata>) type.modelClass());
  }

  @Override
  public Mono<HasMetadata> get(ResourceType type, String namespace, String name) {
    return resource(type)
        .get(namespace, name)
        .onErrorResume(NotFoundException.class, e -> Mono.empty());
  }

  @Override
  public Mono<Void> delete(
      ResourceType type, String namespace, String name, String uid, String propagationPolicy) {
    return resource(type)
        .delete(
            namespace,
            name,
            new DeleteOptionsBuilder()
                .withNewPreconditions()
                .withUid(uid)
                .endPreconditions()
                .withPropagationPolicy(propagationPolicy)
                .build())
        .onErrorResume(NotFoundException.class, e -> Mono.empty())
        // A uid precondition that fails: the object was replaced by a new one of the same name.
        .onErrorResume(ConflictException.class, e -> Mono.empty());
  }

  @Override
  public Mono<Void> patchOwnerReferences(
      ResourceType type, String namespace, String name, String patch) {
    return resource(type)
        .patch(namespace, name, PatchType.STRATEGIC_MERGE, patch)
        .then()
        .onErrorResume(NotFoundException.class, e -> Mono.empty());
  }

  @Override
  public Mono<Void> mergePatchOwnerReferences(
      ResourceType type, String namespace, String name, String mergePatch) {
    return resource(type)
        .patch(namespace, name, PatchType.MERGE, mergePatch)
        .then()
        .onErrorResume(NotFoundException.class, e -> Mono.empty());
  }

  /** A merge patch with the read resourceVersion as precondition, re-read on conflict. */
  @Override
  public Mono<Void> removeFinalizer(
      ResourceType type, String namespace, String name, String finalizer) {
    ResourceClient<HasMetadata> r = resource(type);
    return Mono.defer(
            () ->
                get(type, namespace, name)
                    .flatMap(
                        live -> {
                          List<String> finalizers =
                              live.getMetadata().getFinalizers() == null
                                  ? List.of()
                                  : live.getMetadata().getFinalizers();
                          if (!finalizers.contains(finalizer)) {
                            return Mono.empty();
                          }
                          List<String> rest = new ArrayList<>(finalizers);
                          rest.removeIf(finalizer::equals);
                          Map<String, Object> meta = new LinkedHashMap<>();
                          meta.put("finalizers", rest);
                          meta.put("resourceVersion", live.getMetadata().getResourceVersion());
                          String patch =
                              client.mapper().writeValueAsString(Map.of("metadata", meta));
                          return r.patch(namespace, name, PatchType.MERGE, patch).then();
                        }))
        .retryWhen(Retry.max(5).filter(ConflictException.class::isInstance))
        .onErrorResume(NotFoundException.class, e -> Mono.empty());
  }
}
