package io.nauta.api.cache;

import io.lettuce.core.RedisClient;
import io.nauta.api.storage.RedisEventSource;
import io.nauta.api.storage.RedisEventSource.StoreState;
import io.nauta.api.storage.Snapshot;
import io.nauta.api.storage.StoredValues;
import io.nauta.api.storage.StreamEvent;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one watch cache from its type's Redis stream on a dedicated thread: snapshot and history
 * first, then a blocking {@code XREAD} loop.
 *
 * <p>It also checks that the history it follows is still the one Redis holds. Redis can go back in
 * time: a replica promoted before it had every write, a crash under {@code appendfsync everysec}, a
 * {@code FLUSHALL}, a restored backup. Resource versions are then handed out again for other
 * writes, and a reader waiting past its last version would wait forever. So the reader notices, on
 * every read and not only while idle:
 *
 * <ul>
 *   <li>a gap in the stream (events trimmed before it read them): it reloads;
 *   <li>an event of another epoch, or one whose predecessor is not the write it applied last (a
 *       rewritten history), and, when no event comes, a missing or other epoch, a counter below its
 *       last version, a counter equal to it but made by another write, or a counter that stays
 *       above it with no event to show for it: Redis lost or rewound data. It rebuilds the cache
 *       and ends every open watch with 410 Expired, so clients list again.
 * </ul>
 */
final class StreamReader {

  private static final Logger log = LoggerFactory.getLogger(StreamReader.class);
  private static final Duration BLOCK = Duration.ofSeconds(2);

  private final WatchCache cache;
  private final RedisClient redis;
  private final StoredValues values;
  private volatile boolean stopped;
  private Thread thread;

  /** What the cache was built from; null until the first snapshot. */
  private String epoch;

  private long lastRv = -1;
  private String lastWriteId = "";

  /** The counter stood above {@link #lastRv} with no event read at the last idle check. */
  private boolean aheadWithoutEvents;

  StreamReader(WatchCache cache, RedisClient redis, StoredValues values) {
    this.cache = cache;
    this.redis = redis;
    this.values = values;
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
    String rewound = null;
    try (RedisEventSource source = new RedisEventSource(redis, cache.type(), values)) {
      while (!stopped) {
        try {
          if (rewound != null) {
            rebuild(source, rewound);
            rewound = null;
          } else if (lastRv < 0) {
            initialize(source);
          }
          List<StreamEvent> events = source.readAfter(lastRv, BLOCK);
          if (!cache.isSynced()) {
            cache.markSynced();
          }
          if (events.isEmpty()) {
            rewound = checkIdle(source.state());
            continue;
          }
          aheadWithoutEvents = false;
          if (events.get(0).resourceVersion() != lastRv + 1) {
            log.warn(
                "{}: stream jumped from {} to {}; reloading",
                cache.type().groupResource(),
                lastRv,
                events.get(0).resourceVersion());
            lastRv = -1;
            continue;
          }
          int valid = followingEvents(events);
          if (valid > 0) {
            List<StreamEvent> applied = events.subList(0, valid);
            cache.apply(applied);
            StreamEvent last = applied.get(valid - 1);
            lastRv = last.resourceVersion();
            if (last.writeId() != null) {
              lastWriteId = last.writeId();
            }
          }
          if (valid < events.size()) {
            rewound =
                "event " + events.get(valid).resourceVersion() + " belongs to another history";
          }
          backoffMillis = 100;
        } catch (RuntimeException e) {
          if (stopped) {
            return;
          }
          log.warn("{}: reading Redis failed: {}", cache.type().groupResource(), e.toString());
          // Keep lastRv: after a reconnect the stream continues where it was, and a gap (events
          // trimmed meanwhile) or a Redis that lost its data is noticed and handled above.
          cache.markUnsynced();
          sleep(backoffMillis);
          backoffMillis = Math.min(backoffMillis * 2, 5000);
        }
      }
    }
  }

  /**
   * How many of these consecutive events continue the history this reader applied: same epoch, each
   * following the write before it. Entries written before epochs existed carry none and are taken
   * as they are.
   */
  private int followingEvents(List<StreamEvent> events) {
    String previous = lastWriteId;
    for (int i = 0; i < events.size(); i++) {
      StreamEvent e = events.get(i);
      if (e.epoch() != null) {
        if (!e.epoch().equals(epoch) || !Objects.equals(e.previousWriteId(), previous)) {
          return i;
        }
      }
      previous = e.writeId() == null ? previous : e.writeId();
    }
    return events.size();
  }

  /** Why the cache no longer matches Redis, seen while no event came; null if it still does. */
  private String checkIdle(StoreState now) {
    if (!Objects.equals(now.epoch(), epoch)) {
      return "the epoch changed from " + epoch + " to " + now.epoch() + " (data lost or flushed)";
    }
    if (now.resourceVersion() < lastRv) {
      return "the resourceVersion went back from " + lastRv + " to " + now.resourceVersion();
    }
    if (now.resourceVersion() == lastRv && !now.lastWriteId().equals(lastWriteId)) {
      return "resourceVersion " + lastRv + " was made again by another write";
    }
    if (now.resourceVersion() > lastRv) {
      // A write may have landed between the read and this check; only a counter that stays
      // ahead with no event to read means the stream lost entries the counter still counts.
      if (aheadWithoutEvents) {
        aheadWithoutEvents = false;
        return "the resourceVersion is "
            + now.resourceVersion()
            + " but the stream has nothing after "
            + lastRv;
      }
      aheadWithoutEvents = true;
    } else {
      aheadWithoutEvents = false;
    }
    return null;
  }

  private void initialize(RedisEventSource source) {
    Snapshot snapshot = source.snapshot();
    List<StreamEvent> history = source.history();
    cache.reset(snapshot, history);
    follow(snapshot, history);
  }

  private void rebuild(RedisEventSource source, String why) {
    log.warn(
        "{}: Redis went back in time: {}; rebuilding the cache and ending every watch with 410",
        cache.type().groupResource(),
        why);
    Snapshot snapshot = source.snapshot();
    List<StreamEvent> history = source.history();
    cache.rebuildAfterRewind(snapshot, history);
    follow(snapshot, history);
  }

  private void follow(Snapshot snapshot, List<StreamEvent> history) {
    epoch = snapshot.epoch();
    lastRv = snapshot.resourceVersion();
    lastWriteId = snapshot.lastWriteId();
    aheadWithoutEvents = false;
    for (StreamEvent e : history) {
      if (e.resourceVersion() > lastRv) {
        lastRv = e.resourceVersion();
        if (e.writeId() != null) {
          lastWriteId = e.writeId();
        }
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
