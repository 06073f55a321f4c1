package io.nauta.api.admission;

import io.nauta.api.cache.CachedObject;
import io.nauta.api.cache.ObjectFilter;
import io.nauta.api.cache.WatchCache;
import io.nauta.api.cache.WatchCaches;
import io.nauta.api.storage.RedisObjectStore;
import io.nauta.core.registry.ResourceType;
import io.nauta.core.selector.FieldSelector;
import io.nauta.core.selector.LabelSelector;
import java.util.List;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The objects of one type in one namespace as of now, for admission plugins that read other objects
 * (limit ranges, quotas): a consistent read of the type's watch cache, which has applied every
 * write Redis acknowledged before the read began.
 */
@Component
public class NamespaceObjects {

  private final RedisObjectStore store;
  private final WatchCaches caches;

  public NamespaceObjects(RedisObjectStore store, WatchCaches caches) {
    this.store = store;
    this.caches = caches;
  }

  public Mono<List<CachedObject>> list(ResourceType type, String namespace) {
    WatchCache cache = caches.get(type);
    if (cache == null) {
      return Mono.just(List.of()); // a server that does not serve the type has none
    }
    return Mono.defer(
        () -> {
          WatchCache.ReadPoint before = cache.readPoint();
          return store
              .currentResourceVersion(type)
              .flatMap(rv -> cache.waitForCurrent(rv, before))
              .then(
                  Mono.fromSupplier(
                      () ->
                          cache
                              .list(
                                  new ObjectFilter(
                                      namespace,
                                      LabelSelector.everything(),
                                      FieldSelector.everything()),
                                  0,
                                  null)
                              .items()));
        });
  }
}
