package io.nauta.api.admission;

import io.nauta.api.resource.Meta;
import io.nauta.api.resource.ObjectCodec;
import io.nauta.api.storage.RedisObjectStore;
import io.nauta.core.errors.ForbiddenException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes' {@code NamespaceLifecycle} admission: creation in a namespace that does not exist is
 * refused (404), and so is creation in one being terminated (403). Kept out of the generic store so
 * the store names no kind.
 */
@Component
public class NamespaceLifecycle {

  private final RedisObjectStore store;
  private final ObjectCodec codec;

  public NamespaceLifecycle(RedisObjectStore store, ObjectCodec codec) {
    this.store = store;
    this.codec = codec;
  }

  /** Completes when an object of {@code type} may be created in {@code namespace}. */
  public Mono<Void> admitCreate(ResourceType type, String namespace) {
    if (!type.namespaced()) {
      return Mono.empty();
    }
    return store
        .get(BuiltInResources.NAMESPACES, null, namespace)
        .switchIfEmpty(
            Mono.error(() -> NotFoundException.of(new ResourceRef("", "namespaces", namespace))))
        .flatMap(
            stored -> {
              ObjectNode ns = codec.parseStored(stored.json());
              if (Meta.isDeleting(ns)
                  || "Terminating".equals(ns.path("status").path("phase").asString())) {
                return Mono.error(
                    new ForbiddenException(
                        "unable to create new content in namespace "
                            + namespace
                            + " because it is being terminated",
                        new ResourceRef(type.group(), type.plural(), "")));
              }
              return Mono.empty();
            });
  }
}
