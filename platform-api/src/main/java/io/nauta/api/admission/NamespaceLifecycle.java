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
import tools.jackson.databind.JsonNode;

/**
 * Kubernetes' {@code NamespaceLifecycle} admission: creation in a namespace that does not exist is
 * refused (404), and so is creation in one being terminated (403). Kept out of the generic store so
 * the store names no kind.
 *
 * <p>As upstream reads its namespace informer and goes live only when the namespace is not there,
 * the namespace comes from this server's watch cache ({@link NamespaceObjects#cachedGet}: no Redis
 * read on a create), and from Redis when the cache does not hold it (made a moment ago through
 * another API server, or really missing: the refusal is then decided on Redis's word). A namespace
 * that another server has just marked for deletion may still look active here for the cache's lag,
 * as it may to upstream's informer; the namespace controller deletes what is created meanwhile. A
 * namespace that only a rewound Redis lost still admits until the cache's rebuild.
 */
@Component
public class NamespaceLifecycle {

  private final RedisObjectStore store;
  private final NamespaceObjects objects;
  private final ObjectCodec codec;

  public NamespaceLifecycle(RedisObjectStore store, NamespaceObjects objects, ObjectCodec codec) {
    this.store = store;
    this.objects = objects;
    this.codec = codec;
  }

  /** Completes when an object of {@code type} may be created in {@code namespace}. */
  public Mono<Void> admitCreate(ResourceType type, String namespace) {
    if (!type.namespaced()) {
      return Mono.empty();
    }
    Mono<JsonNode> live =
        Mono.defer(
            () ->
                store
                    .get(BuiltInResources.NAMESPACES, null, namespace)
                    .map(stored -> (JsonNode) codec.parseStored(stored.json()))
                    .switchIfEmpty(
                        Mono.error(
                            () ->
                                NotFoundException.of(
                                    new ResourceRef("", "namespaces", namespace)))));
    return objects
        .cachedGet(BuiltInResources.NAMESPACES, null, namespace)
        .map(cached -> (JsonNode) cached.node())
        .switchIfEmpty(live)
        .flatMap(
            ns -> {
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
