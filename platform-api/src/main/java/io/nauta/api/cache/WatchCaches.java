package io.nauta.api.cache;

import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.api.config.NautaProperties;
import io.nauta.api.storage.RedisObjectStore;
import io.nauta.core.registry.ResourceRegistry;
import io.nauta.core.registry.ResourceType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  private final Map<ResourceType, WatchCache> caches = new LinkedHashMap<>();
  private final Map<ResourceType, StreamReader> readers = new LinkedHashMap<>();
  private final RedisObjectStore store;
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
    this.config = props.watch();
    for (ResourceType type : registry.all()) {
      if (type.createOnly()) {
        continue; // reviews are answered, never stored
      }
      WatchCache cache = new WatchCache(type, mapper, config);
      caches.put(type, cache);
      readers.put(type, new StreamReader(cache, redis, store.values()));
      Gauge.builder("nauta.watch.open", cache, WatchCache::watcherCount)
          .description("Open watches served from the watch cache")
          .tag("resource", type.groupResource())
          .register(meters);
    }
  }

  public WatchCache get(ResourceType type) {
    return caches.get(type);
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
  public void start() {
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
    for (ResourceType type : caches.keySet()) {
      store
          .trimBefore(type, cutoff)
          .subscribe(
              n -> {}, e -> log.debug("trimming {} failed: {}", type.plural(), e.toString()));
    }
  }

  @Override
  public void stop() {
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
