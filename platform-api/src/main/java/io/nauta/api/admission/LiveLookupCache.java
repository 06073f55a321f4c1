package io.nauta.api.admission;

import io.nauta.api.cache.CachedObject;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * Kubernetes' live lookups for a namespace whose informer holds no object of a kind (the quota
 * plugin's {@code resource_access.go}, LimitRanger's {@code GetLimitRanges}): the cache may simply
 * not have caught up with one created a moment ago, so the objects are read live, and the answer is
 * remembered for {@link #TTL} in a bounded LRU so that a namespace that really has none is not read
 * live on every request. Concurrent misses for one namespace share one live read (upstream's {@code
 * singleflight}).
 *
 * <p>Only an empty cache is looked past: once the cache holds objects of the namespace it is used,
 * so a remembered answer can only stand in for a cache that has not yet applied an object (at most
 * the stream reader's lag for writes made through other API servers; writes through this one are
 * waited for, see {@link NamespaceObjects#cached}).
 */
final class LiveLookupCache {

  /** Upstream's {@code liveTTL}. */
  static final Duration TTL = Duration.ofSeconds(30);

  private record Entry(long expiresAtMillis, List<CachedObject> items) {}

  private final Clock clock;
  private final Map<String, Entry> entries;
  private final Map<String, Mono<List<CachedObject>>> inFlight = new ConcurrentHashMap<>();

  LiveLookupCache(int capacity) {
    this(capacity, Clock.systemUTC());
  }

  LiveLookupCache(int capacity, Clock clock) {
    this.clock = clock;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The remembered answer for {@code namespace} while fresh, else {@code live}'s, remembered. */
  Mono<List<CachedObject>> get(String namespace, Supplier<Mono<List<CachedObject>>> live) {
    return Mono.defer(
        () -> {
          long now = clock.millis();
          synchronized (entries) {
            Entry e = entries.get(namespace);
            if (e != null && e.expiresAtMillis() > now) {
              return Mono.just(e.items());
            }
          }
          return inFlight.computeIfAbsent(
              namespace,
              ns ->
                  live.get()
                      .doOnNext(
                          items -> {
                            synchronized (entries) {
                              entries.put(
                                  ns,
                                  new Entry(clock.millis() + TTL.toMillis(), List.copyOf(items)));
                            }
                          })
                      .doFinally(s -> inFlight.remove(ns))
                      .cache());
        });
  }
}
