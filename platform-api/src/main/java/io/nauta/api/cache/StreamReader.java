package io.nauta.api.cache;

import io.lettuce.core.RedisClient;
import io.nauta.api.storage.RedisEventSource;
import io.nauta.api.storage.Snapshot;
import io.nauta.api.storage.StreamEvent;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one watch cache from its type's Redis stream on a dedicated thread: snapshot and history
 * first, then a blocking {@code XREAD} loop. Resource versions of a type are consecutive, so a gap
 * means events were trimmed before this reader saw them (or Redis lost data): it then starts over
 * from a fresh snapshot.
 */
final class StreamReader {

  private static final Logger log = LoggerFactory.getLogger(StreamReader.class);
  private static final Duration BLOCK = Duration.ofSeconds(2);

  private final WatchCache cache;
  private final RedisClient redis;
  private volatile boolean stopped;
  private Thread thread;

  StreamReader(WatchCache cache, RedisClient redis) {
    this.cache = cache;
    this.redis = redis;
  }

  void start() {
    thread = new Thread(this::run, "watch-cache-" + cache.type().groupResource());
    thread.setDaemon(true);
    thread.start();
  }

  void stop() {
    stopped = true;
    if (thread != null) {
      thread.interrupt();
    }
  }

  private void run() {
    long backoffMillis = 100;
    long lastRv = -1;
    int idleReads = 0;
    try (RedisEventSource source = new RedisEventSource(redis, cache.type())) {
      while (!stopped) {
        try {
          if (lastRv < 0) {
            lastRv = initialize(source);
          }
          List<StreamEvent> events = source.readAfter(lastRv, BLOCK);
          if (!cache.isSynced()) {
            cache.markSynced();
          }
          if (!events.isEmpty() && events.get(0).resourceVersion() != lastRv + 1) {
            log.warn(
                "{}: stream jumped from {} to {}; reloading",
                cache.type().groupResource(),
                lastRv,
                events.get(0).resourceVersion());
            lastRv = -1;
            continue;
          }
          if (events.isEmpty()) {
            // Once in a while, check that Redis still has what we applied: a flushed or
            // restarted Redis without persistence starts its counters again.
            if (++idleReads % 15 == 0 && source.currentResourceVersion() < lastRv) {
              log.warn("{}: Redis went back in time; reloading", cache.type().groupResource());
              lastRv = -1;
            }
            continue;
          }
          cache.apply(events);
          lastRv = events.get(events.size() - 1).resourceVersion();
          backoffMillis = 100;
        } catch (RuntimeException e) {
          if (stopped) {
            return;
          }
          log.warn("{}: reading Redis failed: {}", cache.type().groupResource(), e.toString());
          // Keep lastRv: after a reconnect the stream continues where it was, and a gap (events
          // trimmed meanwhile) or a Redis that lost its data is noticed and reloaded above.
          cache.markUnsynced();
          sleep(backoffMillis);
          backoffMillis = Math.min(backoffMillis * 2, 5000);
        }
      }
    }
  }

  private long initialize(RedisEventSource source) {
    Snapshot snapshot = source.snapshot();
    List<StreamEvent> history = source.history();
    cache.reset(snapshot, history);
    long last = snapshot.resourceVersion();
    for (StreamEvent e : history) {
      last = Math.max(last, e.resourceVersion());
    }
    return last;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
