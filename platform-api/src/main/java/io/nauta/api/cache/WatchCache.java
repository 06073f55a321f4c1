package io.nauta.api.cache;

import io.nauta.api.config.NautaProperties;
import io.nauta.api.storage.Snapshot;
import io.nauta.api.storage.StoredObject;
import io.nauta.api.storage.StreamEvent;
import io.nauta.core.errors.GoneException;
import io.nauta.core.registry.ResourceType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The in-memory view of one resource type: its current objects and its recent events, fed by one
 * reader of the type's Redis stream. Every list and watch of the type is served from here, so Redis
 * is read once per event, not once per watcher.
 *
 * <p>All state changes happen under the write lock, and events reach watchers while it is held: a
 * watch registered under the same lock gets its replayed history and then the live events with
 * neither a gap nor a duplicate.
 */
public final class WatchCache {

  private final ResourceType type;
  private final JsonMapper mapper;
  private final NautaProperties.Watch config;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final NavigableMap<String, CachedObject> objects = new TreeMap<>();
  private final ArrayDeque<CacheEvent> history = new ArrayDeque<>();
  private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();

  /** Every event with a resourceVersion above this one is in {@link #history}. */
  private long floorRv;

  private volatile long appliedRv;
  private volatile boolean synced;

  /** Compared by identity: two requests for the same version are two waiters. */
  private static final class Waiter {
    private final long resourceVersion;
    private final MonoSink<Void> sink;

    Waiter(long resourceVersion, MonoSink<Void> sink) {
      this.resourceVersion = resourceVersion;
      this.sink = sink;
    }

    long resourceVersion() {
      return resourceVersion;
    }

    MonoSink<Void> sink() {
      return sink;
    }
  }

  public WatchCache(ResourceType type, JsonMapper mapper, NautaProperties.Watch config) {
    this.type = type;
    this.mapper = mapper;
    this.config = config;
  }

  public ResourceType type() {
    return type;
  }

  public boolean isSynced() {
    return synced;
  }

  public long appliedResourceVersion() {
    return appliedRv;
  }

  public int watcherCount() {
    return watchers.size();
  }

  /**
   * Starts over from a snapshot and the stream's history. Open watches are closed: their clients
   * re-watch from their last resourceVersion, and get 410 if that is no longer kept.
   */
  void reset(Snapshot snapshot, List<StreamEvent> streamHistory) {
    lock.writeLock().lock();
    try {
      closeWatchers();
      objects.clear();
      history.clear();
      for (StoredObject o : snapshot.objects()) {
        CachedObject c = parse(o.json(), o.resourceVersion());
        objects.put(c.sortKey(), c);
      }
      // Replay the history to learn each event's previous state (needed to translate events for
      // watchers with selectors); what came before the window is unknown and stays null.
      Map<String, CachedObject> replay = new HashMap<>();
      List<StreamEvent> after = new ArrayList<>();
      for (StreamEvent e : streamHistory) {
        if (e.resourceVersion() > snapshot.resourceVersion()) {
          after.add(e);
          continue;
        }
        CachedObject c = parse(e.json(), e.resourceVersion());
        CachedObject previous =
            WatchEvent.DELETED.equals(e.type())
                ? replay.remove(c.sortKey())
                : replay.put(c.sortKey(), c);
        history.addLast(
            new CacheEvent(e.type(), e.resourceVersion(), c, previous, e.timestampMillis()));
      }
      floorRv =
          history.isEmpty()
              ? snapshot.resourceVersion()
              : history.peekFirst().resourceVersion() - 1;
      appliedRv = snapshot.resourceVersion();
      for (StreamEvent e : after) {
        applyLocked(e);
      }
      synced = true;
    } finally {
      lock.writeLock().unlock();
    }
    releaseWaiters();
  }

  /** Marks the cache out of date (its reader lost Redis); lists wait until it is back. */
  void markUnsynced() {
    synced = false;
  }

  /** The reader follows the stream again after losing Redis for a while. */
  void markSynced() {
    synced = true;
    releaseWaiters();
  }

  /** Applies events read from the stream, in order. */
  void apply(List<StreamEvent> events) {
    lock.writeLock().lock();
    try {
      for (StreamEvent e : events) {
        applyLocked(e);
      }
    } finally {
      lock.writeLock().unlock();
    }
    releaseWaiters();
  }

  private void applyLocked(StreamEvent e) {
    CachedObject c = parse(e.json(), e.resourceVersion());
    CachedObject previous =
        WatchEvent.DELETED.equals(e.type())
            ? objects.remove(c.sortKey())
            : objects.put(c.sortKey(), c);
    CacheEvent event =
        new CacheEvent(e.type(), e.resourceVersion(), c, previous, e.timestampMillis());
    history.addLast(event);
    while (history.size() > config.historyMaxEvents()) {
      floorRv = history.removeFirst().resourceVersion();
    }
    appliedRv = e.resourceVersion();
    for (Watcher w : watchers) {
      WatchEvent out = w.translate(event);
      if (out != null) {
        w.offer(out);
      }
    }
  }

  private CachedObject parse(String json, long rv) {
    ObjectNode node = (ObjectNode) mapper.readTree(json);
    JsonNode meta = node.path("metadata");
    Map<String, String> labels = new LinkedHashMap<>();
    meta.path("labels").properties().forEach(p -> labels.put(p.getKey(), p.getValue().asString()));
    String namespace = meta.path("namespace").asString("");
    String name = meta.path("name").asString("");
    return new CachedObject(
        CachedObject.sortKey(namespace, name),
        namespace,
        name,
        rv,
        node,
        json,
        Collections.unmodifiableMap(labels));
  }

  /**
   * Completes when the cache has applied {@code rv}, or fails with 504 "Too large resource version"
   * after the wait (Kubernetes waits 3 s). A waiter is removed however it ends, so a client asking
   * for a version from the far future leaves nothing behind.
   */
  public Mono<Void> waitFor(long rv) {
    if (synced && appliedRv >= rv) {
      return Mono.empty();
    }
    return Mono.<Void>create(
            sink -> {
              Waiter w = new Waiter(rv, sink);
              synchronized (waiters) {
                waiters.add(w);
              }
              sink.onDispose(() -> removeWaiter(w));
              releaseWaiters();
            })
        .timeout(
            config.consistentReadTimeout(),
            Mono.error(() -> new TooLargeResourceVersionException(rv, appliedRv)));
  }

  private void removeWaiter(Waiter w) {
    synchronized (waiters) {
      waiters.remove(w);
    }
  }

  /** Requests waiting for the cache to reach their resourceVersion. */
  public int waiterCount() {
    synchronized (waiters) {
      return waiters.size();
    }
  }

  private void releaseWaiters() {
    if (!synced) {
      return;
    }
    long applied = appliedRv;
    List<Waiter> ready = new ArrayList<>();
    synchronized (waiters) {
      for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
        Waiter w = it.next();
        if (w.resourceVersion() <= applied) {
          ready.add(w);
          it.remove();
        }
      }
    }
    ready.forEach(w -> w.sink().success());
  }

  /**
   * A page of the objects that pass the filter, in namespace/name order, starting after {@code
   * continueAfter} (a sort key from a previous page's token) when given.
   */
  public ListResult list(ObjectFilter filter, long limit, String continueAfter) {
    lock.readLock().lock();
    try {
      NavigableMap<String, CachedObject> range = objects;
      if (filter.namespace() != null) {
        range = range.subMap(filter.namespace() + '\0', true, filter.namespace() + '\1', false);
      }
      if (continueAfter != null) {
        range = range.tailMap(continueAfter, false);
      }
      List<CachedObject> page = new ArrayList<>();
      String lastKey = null;
      long remaining = 0;
      for (CachedObject o : range.values()) {
        if (!filter.matches(o)) {
          continue;
        }
        if (limit <= 0 || page.size() < limit) {
          page.add(o);
          lastKey = o.sortKey();
        } else {
          remaining++;
        }
      }
      return remaining == 0
          ? new ListResult(appliedRv, page, null, null)
          : new ListResult(appliedRv, page, lastKey, remaining);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Opens a watch. Without a resourceVersion (or with "0") it starts with an ADDED event for every
   * selected object, then follows; with one, it replays what came after it, or fails with 410 when
   * that is older than the history kept.
   */
  public Flux<WatchEvent> watch(ObjectFilter filter, Long fromRv, boolean bookmarks) {
    Watcher w = new Watcher(filter, bookmarks, config.maxWatcherBacklog());
    lock.writeLock().lock();
    try {
      if (fromRv == null || fromRv == 0) {
        for (CachedObject o : objects.values()) {
          if (filter.matches(o)) {
            w.offer(new WatchEvent(WatchEvent.ADDED, o.json()));
          }
        }
      } else {
        if (fromRv < floorRv) {
          throw new GoneException("too old resource version: " + fromRv + " (" + floorRv + ")");
        }
        for (CacheEvent e : history) {
          if (e.resourceVersion() > fromRv) {
            WatchEvent out = w.translate(e);
            if (out != null) {
              w.offer(out);
            }
          }
        }
        w.skipUpTo(fromRv);
      }
      watchers.add(w);
    } finally {
      lock.writeLock().unlock();
    }
    return w.sink.asFlux().doFinally(signal -> remove(w));
  }

  private void remove(Watcher w) {
    w.close();
    watchers.remove(w);
  }

  /**
   * Housekeeping, called about once a second: drops history older than the window and sends
   * bookmarks to watches that asked for them.
   */
  void tick(long nowMillis) {
    lock.writeLock().lock();
    try {
      long cutoff = nowMillis - config.historyWindow().toMillis();
      while (!history.isEmpty() && history.peekFirst().timestampMillis() < cutoff) {
        floorRv = history.removeFirst().resourceVersion();
      }
      long interval = config.bookmarkInterval().toMillis();
      for (Watcher w : watchers) {
        if (w.isClosed()) {
          watchers.remove(w);
        } else if (w.bookmarks && nowMillis - w.lastBookmarkMillis >= interval) {
          w.lastBookmarkMillis = nowMillis;
          w.offer(new WatchEvent(WatchEvent.BOOKMARK, bookmarkObject(appliedRv)));
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  private String bookmarkObject(long rv) {
    return "{\"kind\":\""
        + type.kind()
        + "\",\"apiVersion\":\""
        + type.apiVersion()
        + "\",\"metadata\":{\"resourceVersion\":\""
        + rv
        + "\"}}";
  }

  /** Ends every open watch (on reset and on shutdown). */
  void closeWatchers() {
    for (Watcher w : watchers) {
      w.close();
    }
    watchers.clear();
  }
}
