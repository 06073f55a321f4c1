package io.nauta.api.cache;

import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.api.config.NautaProperties;
import io.nauta.api.storage.RedisObjectStore;
import io.nauta.core.registry.ResourceRegistry;
import io.nauta.core.registry.ResourceType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

/**
 * One watch cache per served type, each fed by its own stream reader thread, plus the housekeeping
 * that trims watch history (in memory and in Redis) and sends bookmarks.
 */
@Component
public class WatchCaches implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(WatchCaches.class);

  private final Map<String, WatchCache> caches = new ConcurrentHashMap<>();
  private final Map<String, StreamReader> readers = new ConcurrentHashMap<>();
  private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();
  private final RedisObjectStore store;
  private final RedisClient redis;
  private final JsonMapper mapper;
  private final MeterRegistry meters;
  private final NautaProperties.Watch config;
  private ScheduledExecutorService housekeeping;
  private volatile boolean running;

  public WatchCaches(
      ResourceRegistry registry,
      RedisClient redis,
      RedisObjectStore store,
      JsonMapper mapper,
      NautaProperties props,
      MeterRegistry meters) {
    this.store = store;
    this.redis = redis;
    this.mapper = mapper;
    this.meters = meters;
    this.config = props.watch();
    for (ResourceType type : registry.storageTypes()) {
      add(type);
    }
    store.onAcknowledged(
        (type, rv) -> {
          WatchCache cache = get(type);
          if (cache != null) {
            cache.acknowledged(rv);
          }
        });
    // Custom resources come and go at run time: their caches start and stop with them.
    registry.addListener(
        change -> {
          change.removedStorage().forEach(this::remove);
          change.addedStorage().forEach(this::add);
        });
  }

  private synchronized void add(ResourceType type) {
    if (!type.stored() || caches.containsKey(type.groupResource())) {
      return; // reviews are answered, never stored
    }
    WatchCache cache = new WatchCache(type, mapper, config);
    StreamReader reader = new StreamReader(cache, redis, store.values());
    caches.put(type.groupResource(), cache);
    readers.put(type.groupResource(), reader);
    gauges.put(
        type.groupResource(),
        Gauge.builder("nauta.watch.open", cache, WatchCache::watcherCount)
            .description("Open watches served from the watch cache")
            .tag("resource", type.groupResource())
            .register(meters));
    if (running) {
      reader.start();
    }
  }

  private synchronized void remove(ResourceType type) {
    StreamReader reader = readers.remove(type.groupResource());
    WatchCache cache = caches.remove(type.groupResource());
    Gauge gauge = gauges.remove(type.groupResource());
    if (reader != null) {
      reader.stop();
    }
    if (cache != null) {
      cache.closeWatchers();
    }
    if (gauge != null) {
      meters.remove(gauge);
    }
  }

  /**
   * The cache of {@code type}'s resource (one per resource, whichever served version names it);
   * null when the resource is not served (any more).
   */
  public WatchCache get(ResourceType type) {
    return caches.get(type.groupResource());
  }

  /** Each rebuild after a rewind of one of these types' caches, as it happens. */
  public Flux<ResourceType> rebuiltAfterRewind(List<ResourceType> types) {
    return Flux.merge(
        types.stream().map(t -> get(t).rebuiltAfterRewind().map(count -> t)).toList());
  }

  /** True once every type's cache has loaded its snapshot and follows its stream. */
  public boolean allSynced() {
    return caches.values().stream().allMatch(WatchCache::isSynced);
  }

  @Override
  public synchronized void start() {
    readers.values().forEach(StreamReader::start);
    housekeeping =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "watch-cache-housekeeping");
              t.setDaemon(true);
              return t;
            });
    housekeeping.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    housekeeping.scheduleWithFixedDelay(this::trimStreams, 10, 10, TimeUnit.SECONDS);
    running = true;
  }

  private void tick() {
    long now = System.currentTimeMillis();
    caches.values().forEach(c -> c.tick(now));
  }

  private void trimStreams() {
    long cutoff = System.currentTimeMillis() - config.historyWindow().toMillis();
    for (WatchCache cache : caches.values()) {
      ResourceType type = cache.type();
      store
          .trimBefore(type, cutoff)
          .subscribe(
              n -> {}, e -> log.debug("trimming {} failed: {}", type.plural(), e.toString()));
    }
  }

  @Override
  public synchronized void stop() {
    running = false;
    if (housekeeping != null) {
      housekeeping.shutdownNow();
    }
    readers.values().forEach(StreamReader::stop);
    caches.values().forEach(WatchCache::closeWatchers);
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
