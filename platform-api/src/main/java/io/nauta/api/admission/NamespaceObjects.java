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
 * Other objects that admission plugins read (a namespace, its limit ranges and quotas, a service
 * account, the default classes), from this API server's watch caches, in two strengths:
 *
 * <ul>
 *   <li>{@link #list} is a <em>consistent read</em>: it reads the type's counter in Redis and waits
 *       until the cache has applied it, so it reflects every write any server made before it;
 *   <li>{@link #cached} and {@link #cachedGet} read no Redis at all: they wait only until the cache
 *       has applied the writes of the type acknowledged through <em>this</em> server ({@link
 *       WatchCache#waitForOwnWrites}), which is where Kubernetes' admission plugins stand with
 *       their informers. They are for every-request decisions (pod creates), with upstream's live
 *       lookup ({@link LiveLookupCache}) or a conditional write behind them where a stale answer
 *       would matter.
 * </ul>
 */
@Component
public class NamespaceObjects {

  private final RedisObjectStore store;
  private final WatchCaches caches;

  public NamespaceObjects(RedisObjectStore store, WatchCaches caches) {
    this.store = store;
    this.caches = caches;
  }

  /** The objects of {@code type} in {@code namespace} (all, for null) as Redis holds them now. */
  public Mono<List<CachedObject>> list(ResourceType type, String namespace) {
    WatchCache cache = cacheOf(type);
    if (cache == null) {
      return Mono.just(List.of()); // a server that does not serve the type has none
    }
    return Mono.defer(
        () -> {
          WatchCache.ReadPoint before = cache.readPoint();
          return store
              .currentResourceVersion(type)
              .flatMap(rv -> cache.waitForCurrent(rv, before))
              .then(Mono.fromSupplier(() -> items(cache, namespace)));
        });
  }

  /**
   * The objects of {@code type} in {@code namespace} as this server's cache holds them once it has
   * applied this server's own writes of the type; may miss a write made a moment ago through
   * another API server, or show one Redis lost until the cache's rebuild.
   */
  public Mono<List<CachedObject>> cached(ResourceType type, String namespace) {
    WatchCache cache = cacheOf(type);
    if (cache == null) {
      return Mono.just(List.of());
    }
    return cache.waitForOwnWrites().then(Mono.fromSupplier(() -> items(cache, namespace)));
  }

  /**
   * As {@link #cached}, else, when the cache holds none there, upstream's live lookup: a consistent
   * read, remembered for a while per namespace by {@code lookups}.
   */
  public Mono<List<CachedObject>> cachedElseLive(
      ResourceType type, String namespace, LiveLookupCache lookups) {
    return cached(type, namespace)
        .flatMap(
            items ->
                items.isEmpty()
                    ? lookups.get(namespace, () -> list(type, namespace))
                    : Mono.just(items));
  }

  /** One object as {@link #cached} sees it; empty when the cache does not hold it. */
  public Mono<CachedObject> cachedGet(ResourceType type, String namespace, String name) {
    WatchCache cache = cacheOf(type);
    if (cache == null) {
      return Mono.empty();
    }
    return cache.waitForOwnWrites().then(Mono.fromSupplier(() -> cache.get(namespace, name)));
  }

  /** The type's cache; null when the type is not served, or there are no caches (a bare store). */
  private WatchCache cacheOf(ResourceType type) {
    return caches == null ? null : caches.get(type);
  }

  private static List<CachedObject> items(WatchCache cache, String namespace) {
    return cache
        .list(
            new ObjectFilter(namespace, LabelSelector.everything(), FieldSelector.everything()),
            0,
            null)
        .items();
  }
}
