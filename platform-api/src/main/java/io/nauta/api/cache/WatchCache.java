package io.nauta.api.cache;

import io.nauta.api.config.NautaProperties;
import io.nauta.api.storage.Snapshot;
import io.nauta.api.storage.StoredObject;
import io.nauta.api.storage.StreamEvent;
import io.nauta.api.storage.encryption.UnreadableValueException;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The in-memory view of one resource type: its current objects and its recent events, fed by one
 * reader of the type's Redis stream. Every list and watch of the type is served from here, so Redis
 * is read once per event, not once per watcher.
 *
 * <p>All state changes happen under the write lock, and events are queued for watchers while it is
 * held: a watch registered under the same lock gets its replayed history and then the live events
 * with neither a gap nor a duplicate. Each event is queued once per watcher that can select it
 * ({@link WatcherIndex}) as one shared {@link WatchEvent}, encoded once; each watcher sends its
 * queue on its own worker, outside the lock.
 */
public final class WatchCache {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(WatchCache.class);

  private final ResourceType type;
  private final JsonMapper mapper;
  private final NautaProperties.Watch config;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final NavigableMap<String, CachedObject> objects = new TreeMap<>();
  private final KeyCounter keys = new KeyCounter();
  private final ArrayDeque<CacheEvent> history = new ArrayDeque<>();
  private final WatcherIndex watchers = new WatcherIndex();
  private final List<Waiter> waiters = new ArrayList<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  /**
   * Objects whose stored value cannot be decrypted (a key missing from the encryption
   * configuration, or changed bytes), by sort key. They are left out of the cache, so the other
   * objects are served as before; a list that would include one fails with its 500, as Kubernetes'
   * list fails with "unable to transform key".
   */
  private final NavigableMap<String, UnreadableValueException> unreadable = new TreeMap<>();

  /** Every event with a resourceVersion above this one is in {@link #history}. */
  private long floorRv;

  /**
   * The last event in {@link #history} whose previous state is unknown (loaded at start-up, its
   * object last written before the stream's history). What an object looked like before it cannot
   * be told, so a watch with a selector or a list as of an older version is answered 410, as
   * Kubernetes answers every version from before its watch cache started.
   */
  private long unknownPreviousUpToRv;

  private volatile long appliedRv;
  private volatile boolean synced;

  /** How many times the cache was rebuilt because Redis went back in time. */
  private final AtomicLong rewinds = new AtomicLong();

  private final Sinks.Many<Long> rebuilt = Sinks.many().multicast().directBestEffort();

  /**
   * The highest resourceVersion at which Redis acknowledged a write of this type made through this
   * API server, in the current timeline: a rebuild after Redis went back in time resets it, as
   * those versions may now name other writes or none.
   */
  private final AtomicLong acknowledgedRv = new AtomicLong();

  /** Compared by identity: two requests for the same version are two waiters. */
  private static final class Waiter {
    private final long resourceVersion;
    private final long rewinds;
    private final long releasedByRebuildAfter;
    private final MonoSink<Void> sink;

    Waiter(long resourceVersion, long rewinds, long releasedByRebuildAfter, MonoSink<Void> sink) {
      this.resourceVersion = resourceVersion;
      this.rewinds = rewinds;
      this.releasedByRebuildAfter = releasedByRebuildAfter;
      this.sink = sink;
    }

    long resourceVersion() {
      return resourceVersion;
    }

    /**
     * Ready once the cache applied the version, after at least this many rebuilds; or, for a wait
     * for this server's own writes, once the cache was rebuilt after a rewind (the version may
     * never come again).
     */
    boolean readyAt(long applied, long rebuilt) {
      return resourceVersion <= applied && rewinds <= rebuilt || rebuilt > releasedByRebuildAfter;
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
   * Hears every change the cache makes, in order and under its write lock, so an index built from
   * it (the node authorizer's graph) is never behind the cache: by the time a watcher or a list
   * sees a change, the listener has applied it. Implementations must be quick and must not call
   * back into the cache.
   */
  public interface Listener {

    /** The cache starts over with these objects (at start-up, after a rewind). */
    void replaced(List<CachedObject> objects);

    /** One object changed; {@code previous} is null when it is new, {@code deleted} when gone. */
    void applied(CachedObject object, CachedObject previous, boolean deleted);
  }

  /** A listener's failure is its own: the cache and its watchers go on. */
  private void tell(Listener listener, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.error("{} listener {} failed", type.plural(), listener, e);
    }
  }

  /** Adds a listener and hands it the objects held now. */
  public void listen(Listener listener) {
    lock.writeLock().lock();
    try {
      listener.replaced(List.copyOf(objects.values()));
      listeners.add(listener);
    } finally {
      lock.writeLock().unlock();
    }
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
      keys.clear();
      history.clear();
      unreadable.clear();
      for (StoredObject o : snapshot.objects()) {
        CachedObject c = parse(o.json(), o.resourceVersion());
        objects.put(c.sortKey(), c);
        keys.add(c.sortKey());
      }
      snapshot.unreadable().forEach((field, e) -> markUnreadable(field, e));
      if (!listeners.isEmpty()) {
        List<CachedObject> loaded = List.copyOf(objects.values());
        listeners.forEach(l -> tell(l, () -> l.replaced(loaded)));
      }
      // Replay the history to learn each event's previous state (needed to translate events for
      // watchers with selectors and to list as of an older version). An update or delete of an
      // object last written before the window has no known previous state.
      Map<String, CachedObject> replay = new HashMap<>();
      List<StreamEvent> after = new ArrayList<>();
      unknownPreviousUpToRv = 0;
      for (StreamEvent e : streamHistory) {
        if (e.resourceVersion() > snapshot.resourceVersion()) {
          after.add(e);
          continue;
        }
        if (e.unreadable() != null) {
          // Its write is left out of the history: a watch from before it misses it, as the
          // objects that follow it in the history are still served.
          unknownPreviousUpToRv = e.resourceVersion();
          continue;
        }
        CachedObject c = parse(e.json(), e.resourceVersion());
        boolean known = WatchEvent.ADDED.equals(e.type()) || replay.containsKey(c.sortKey());
        CachedObject previous =
            WatchEvent.DELETED.equals(e.type())
                ? replay.remove(c.sortKey())
                : replay.put(c.sortKey(), c);
        if (!known) {
          unknownPreviousUpToRv = e.resourceVersion();
        }
        history.addLast(
            new CacheEvent(e.type(), e.resourceVersion(), c, previous, known, e.timestampMillis()));
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

  /**
   * Starts over after Redis lost or rewound this type's data. Resource versions the clients hold
   * may now name other writes, so no watch may resume from them: every open watch ends with an
   * ERROR event carrying 410 Expired (what Kubernetes sends when a watch's history is gone), and
   * its client lists again.
   */
  void rebuildAfterRewind(Snapshot snapshot, List<StreamEvent> streamHistory) {
    lock.writeLock().lock();
    try {
      GoneException gone =
          GoneException.storageRewound(
              "The resourceVersion for the provided watch is too old: the storage lost or"
                  + " rewound its data; list again");
      for (Watcher w : watchers.all()) {
        // Events already queued go out first, then the error; the watch ends with it.
        w.fail(gone);
      }
      watchers.clear();
      acknowledgedRv.set(0);
      rewinds.incrementAndGet();
      reset(snapshot, streamHistory);
    } finally {
      lock.writeLock().unlock();
    }
    // Only this cache's reader rebuilds it, so emissions never race.
    rebuilt.tryEmitNext(rewinds.get());
  }

  /**
   * Signals each rebuild after Redis went back in time, once the cache holds what Redis has now;
   * nothing is replayed to a late subscriber. Work that repairs what every server must have (the
   * bootstrap RBAC policy, the system namespaces) runs again on it instead of waiting for its
   * periodic check.
   */
  public Flux<Long> rebuiltAfterRewind() {
    return rebuilt.asFlux();
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
    if (e.unreadable() != null) {
      applyUnreadable(e);
      return;
    }
    CachedObject c = parse(e.json(), e.resourceVersion());
    unreadable.remove(c.sortKey());
    boolean deleted = WatchEvent.DELETED.equals(e.type());
    CachedObject previous = deleted ? objects.remove(c.sortKey()) : objects.put(c.sortKey(), c);
    if (deleted) {
      keys.remove(c.sortKey());
    } else if (previous == null) {
      keys.add(c.sortKey());
    }
    CacheEvent event =
        new CacheEvent(e.type(), e.resourceVersion(), c, previous, true, e.timestampMillis());
    history.addLast(event);
    while (history.size() > config.historyMaxEvents()) {
      floorRv = history.removeFirst().resourceVersion();
    }
    for (Listener l : listeners) {
      tell(l, () -> l.applied(c, previous, WatchEvent.DELETED.equals(e.type())));
    }
    appliedRv = e.resourceVersion();
    // Queuing is all that happens here: the watcher's worker encodes (once, shared) and sends.
    watchers.candidates(event, offerTo(event));
    event.seen().release();
  }

  /**
   * A write whose object cannot be decrypted: the object leaves the cache (its old state is no
   * longer what Redis holds) and lists name it until a readable write replaces it. Watchers are not
   * sent anything for it: there is no object to send, and Kubernetes' cache would stop serving the
   * whole resource instead.
   */
  private void applyUnreadable(StreamEvent e) {
    String key = sortKeyOf(e.field());
    log.warn(
        "{}: event {} is not readable: {}",
        type.groupResource(),
        e.resourceVersion(),
        e.unreadable().getMessage());
    CachedObject previous = objects.remove(key);
    if (previous != null) {
      keys.remove(key);
      for (Listener l : listeners) {
        tell(l, () -> l.applied(previous, previous, true));
      }
    }
    if (WatchEvent.DELETED.equals(e.type())) {
      unreadable.remove(key);
    } else {
      unreadable.put(key, e.unreadable());
    }
    appliedRv = e.resourceVersion();
  }

  private void markUnreadable(String field, UnreadableValueException e) {
    log.warn("{}: {}", type.groupResource(), e.getMessage());
    unreadable.put(sortKeyOf(field), e);
  }

  /** The sort key of a hash field: {@code <namespace>/<name>}, or the name if cluster-scoped. */
  private static String sortKeyOf(String field) {
    int slash = field == null ? -1 : field.indexOf('/');
    return slash < 0
        ? CachedObject.sortKey("", field)
        : CachedObject.sortKey(field.substring(0, slash), field.substring(slash + 1));
  }

  /** A list must not pretend an object it cannot read is not there: it fails as Kubernetes'. */
  private void failIfUnreadable(ObjectFilter filter) {
    if (unreadable.isEmpty()) {
      return;
    }
    if (filter.namespace() == null) {
      throw unreadable.firstEntry().getValue();
    }
    String from = CachedObject.sortKey(filter.namespace(), "");
    Map.Entry<String, UnreadableValueException> in = unreadable.ceilingEntry(from);
    if (in != null && in.getKey().startsWith(from)) {
      throw in.getValue();
    }
  }

  private static Consumer<Watcher> offerTo(CacheEvent event) {
    return w -> {
      WatchEvent out = w.translate(event);
      if (out != null) {
        w.offer(out);
      }
    };
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
    return waitFor(rv, 0);
  }

  /**
   * Where the cache stands: what it applied and how many rebuilds after a rewind it made, read
   * together (a rebuild changes both under the write lock). A consistent read takes it
   * <em>before</em> reading the type's counter and passes it to {@link #waitForCurrent}.
   */
  public ReadPoint readPoint() {
    lock.readLock().lock();
    try {
      return new ReadPoint(appliedRv, rewinds.get());
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The cache's position before a consistent read asked Redis for the counter. */
  public record ReadPoint(long appliedRv, long rewinds) {}

  /**
   * For a consistent read: completes when the cache holds what Redis holds at {@code currentRv},
   * the type's counter read just now, {@code before} taken (with {@link #readPoint()}) before
   * reading it. Redis's counter is never below what the cache had applied before it was read,
   * unless Redis went back in time: then the cache still shows writes Redis lost and none of those
   * it acknowledged since, until the reader notices (at the latest at its next idle check) and
   * rebuilds, so the read waits for that rebuild instead of answering from a history Redis no
   * longer has. (Comparing with what the cache applied <em>after</em> the counter was read would
   * take every write the cache applied meanwhile for a rewind, and make a list that runs beside
   * writes wait for a rebuild that never comes.)
   */
  public Mono<Void> waitForCurrent(long currentRv, ReadPoint before) {
    // Whether or not the reader is following Redis right now: after losing Redis it marks the
    // cache synced again as soon as a read succeeds, before it has checked the counter.
    if (currentRv < before.appliedRv() && rewinds.get() == before.rewinds()) {
      return waitFor(currentRv, before.rewinds() + 1);
    }
    return waitFor(currentRv, 0);
  }

  /** Notes that Redis acknowledged a write of this type made through this server at {@code rv}. */
  void acknowledged(long rv) {
    acknowledgedRv.accumulateAndGet(rv, Math::max);
  }

  /**
   * Completes once the cache holds every write of this type that Redis acknowledged through this
   * API server before the call, without asking Redis anything: usually at once, else after the
   * stream reader's next batch (milliseconds). For admission decisions that Kubernetes takes from
   * an informer (a namespace's labels, its LimitRanges and quotas): like an informer the cache may
   * lag behind writes made through <em>other</em> API servers, but a client that wrote a LimitRange
   * through this server and then creates a pod here sees it applied, as it would with a read of
   * Redis. A wait that outlives a rebuild after a rewind ends with it: the versions it waited for
   * were the lost timeline's.
   */
  public Mono<Void> waitForOwnWrites() {
    // Rebuilds counted first: one that resets the mark after it was read still ends the wait.
    long rebuilds = rewinds.get();
    long rv = acknowledgedRv.get();
    // Not only while the reader follows Redis: a cache that lost Redis still holds every write it
    // applied, and the write that follows the lookup fails on its own (within the command
    // timeout) while Redis is away, as it did when admission read Redis.
    if (appliedRv >= rv) {
      return Mono.empty();
    }
    return waitFor(rv, 0, rebuilds);
  }

  private Mono<Void> waitFor(long rv, long minRewinds) {
    return waitFor(rv, minRewinds, Long.MAX_VALUE);
  }

  private Mono<Void> waitFor(long rv, long minRewinds, long releasedByRebuildAfter) {
    if (synced && appliedRv >= rv && rewinds.get() >= minRewinds) {
      return Mono.empty();
    }
    return Mono.<Void>create(
            sink -> {
              Waiter w = new Waiter(rv, minRewinds, releasedByRebuildAfter, sink);
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
    long rebuilt = rewinds.get();
    List<Waiter> ready = new ArrayList<>();
    synchronized (waiters) {
      for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
        Waiter w = it.next();
        if (w.readyAt(applied, rebuilt)) {
          ready.add(w);
          it.remove();
        }
      }
    }
    ready.forEach(w -> w.sink().success());
  }

  /**
   * The object named so as the cache holds it now, or null: an in-memory read for checks made on
   * every request (a service-account token's account and bound pod), never a trip to Redis.
   */
  public CachedObject get(String namespace, String name) {
    lock.readLock().lock();
    try {
      return objects.get(CachedObject.sortKey(namespace, name));
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * A page of the objects that pass the filter, in namespace/name order, starting after {@code
   * continueAfter} (a sort key from a previous page's token) when given.
   */
  public ListResult list(ObjectFilter filter, long limit, String continueAfter) {
    lock.readLock().lock();
    try {
      failIfUnreadable(filter);
      return page(
          appliedRv,
          range(objects, filter, continueAfter).values().iterator(),
          filter,
          limit,
          null);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * A page as the objects were at {@code rv} (a version the cache has applied): the current objects
   * with every change made after {@code rv} undone from the history. Fails with 410 when {@code rv}
   * is older than the history kept, as Kubernetes answers once etcd has compacted it.
   */
  public ListResult listAt(long rv, ObjectFilter filter, long limit, String continueAfter) {
    lock.readLock().lock();
    try {
      failIfUnreadable(filter);
      if (rv >= appliedRv) {
        return page(
            appliedRv,
            range(objects, filter, continueAfter).values().iterator(),
            filter,
            limit,
            null);
      }
      long oldest = Math.max(floorRv, unknownPreviousUpToRv);
      if (rv < oldest) {
        throw new GoneException("too old resource version: " + rv + " (" + oldest + ")");
      }
      // Each object changed since rv, as it was at rv (null: it did not exist then).
      NavigableMap<String, CachedObject> then = new TreeMap<>();
      for (Iterator<CacheEvent> it = history.descendingIterator(); it.hasNext(); ) {
        CacheEvent e = it.next();
        if (e.resourceVersion() <= rv) {
          break;
        }
        // Walking backwards, the earliest change after rv is seen last and wins.
        then.put(e.object().sortKey(), e.previous());
      }
      Iterator<CachedObject> merged =
          new MergedObjects(
              range(objects, filter, continueAfter), range(then, filter, continueAfter));
      return page(rv, merged, filter, limit, then);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Takes the first {@code limit} matching objects (all without a limit) and stops: a page costs
   * its own length (plus the objects a selector skips), not a walk to the end of the list, so
   * paging through N objects is not O(N²/limit). After a full page, a list without a label or field
   * selector tells how many objects follow by counting keys ({@link #countAfter}); with one, it
   * only looks for one more match and leaves {@code remainingItemCount} out, as Kubernetes does
   * ("we return nil" for a non-empty predicate, its count would include what does not match).
   *
   * @param then for a list as of an older version, the changes undone (see {@link #listAt})
   */
  private ListResult page(
      long rv,
      Iterator<CachedObject> objects,
      ObjectFilter filter,
      long limit,
      NavigableMap<String, CachedObject> then) {
    List<CachedObject> page = new ArrayList<>();
    String lastKey = null;
    while (objects.hasNext() && (limit <= 0 || page.size() < limit)) {
      CachedObject o = objects.next();
      if (filter.matches(o)) {
        page.add(o);
        lastKey = o.sortKey();
      }
    }
    if (limit <= 0 || page.size() < limit || lastKey == null) {
      return new ListResult(rv, page, null, null);
    }
    if (filter.selectsByContent()) {
      while (objects.hasNext()) {
        if (filter.matches(objects.next())) {
          return new ListResult(rv, page, lastKey, null);
        }
      }
      return new ListResult(rv, page, null, null);
    }
    long remaining = countAfter(lastKey, filter.namespace(), then);
    return remaining == 0
        ? new ListResult(rv, page, null, null)
        : new ListResult(rv, page, lastKey, remaining);
  }

  /**
   * How many objects sort after {@code key} in {@code namespace} (all namespaces when null): the
   * current ones, counted from {@link #keys}, corrected by the changes undone for a list as of an
   * older version ({@code then}: a key mapped to null did not exist then, one absent now did).
   */
  private long countAfter(String key, String namespace, NavigableMap<String, CachedObject> then) {
    String end = namespace == null ? null : namespace + '\1';
    long count = (end == null ? keys.size() : keys.rank(end, false)) - keys.rank(key, true);
    if (then != null) {
      Map<String, CachedObject> changed =
          end == null ? then.tailMap(key, false) : then.subMap(key, false, end, false);
      for (Map.Entry<String, CachedObject> c : changed.entrySet()) {
        boolean existedThen = c.getValue() != null;
        boolean existsNow = objects.containsKey(c.getKey());
        count += (existedThen ? 1 : 0) - (existsNow ? 1 : 0);
      }
    }
    return count;
  }

  /**
   * The part of {@code map} in the filter's namespace and after {@code continueAfter}. A key from
   * another namespace's list selects what follows it, never an error.
   */
  private static NavigableMap<String, CachedObject> range(
      NavigableMap<String, CachedObject> map, ObjectFilter filter, String continueAfter) {
    String from = filter.namespace() == null ? null : filter.namespace() + '\0';
    String to = filter.namespace() == null ? null : filter.namespace() + '\1';
    boolean inclusive = true;
    if (continueAfter != null && (from == null || continueAfter.compareTo(from) >= 0)) {
      from = continueAfter;
      inclusive = false;
    }
    if (from == null) {
      return map;
    }
    if (to != null && from.compareTo(to) >= 0) {
      return Collections.emptyNavigableMap();
    }
    NavigableMap<String, CachedObject> tail = map.tailMap(from, inclusive);
    return to == null ? tail : tail.headMap(to, false);
  }

  /**
   * Opens a watch. Without a resourceVersion (or with "0") it starts with an ADDED event for every
   * selected object, then follows; with one, it replays what came after it, or fails with 410 when
   * that is older than the history kept.
   */
  public Flux<WatchEvent> watch(ObjectFilter filter, Long fromRv, boolean bookmarks) {
    return watch(filter, fromRv, bookmarks, false);
  }

  /**
   * Opens a watch; with {@code initialEventsEnd} (a watch-list, {@code sendInitialEvents=true}) the
   * ADDED events of the current objects are followed by a BOOKMARK annotated {@code
   * k8s.io/initial-events-end} at the version they were read at, when bookmarks are allowed.
   */
  public Flux<WatchEvent> watch(
      ObjectFilter filter, Long fromRv, boolean bookmarks, boolean initialEventsEnd) {
    return open(
        filter,
        bookmarks,
        w -> {
          if (fromRv == null || fromRv == 0) {
            w.skipUpTo(appliedRv);
            return currentObjects(filter, bookmarks && initialEventsEnd);
          }
          return replay(w, fromRv);
        });
  }

  /** Opens a watch from the latest version applied, without initial events. */
  public Flux<WatchEvent> watchFromLatest(ObjectFilter filter, boolean bookmarks) {
    return open(
        filter,
        bookmarks,
        w -> {
          w.skipUpTo(appliedRv);
          return Flux.empty();
        });
  }

  /**
   * Registers a watcher; {@code start} gives its first events and runs under the write lock, so the
   * live events that follow neither miss nor repeat one.
   */
  private Flux<WatchEvent> open(
      ObjectFilter filter, boolean bookmarks, Function<Watcher, Flux<WatchEvent>> start) {
    Watcher w = new Watcher(filter, bookmarks, config.maxWatcherBacklog());
    Flux<WatchEvent> initial;
    lock.writeLock().lock();
    try {
      initial = start.apply(w);
      watchers.add(w);
    } finally {
      lock.writeLock().unlock();
    }
    return w.events(initial).doFinally(signal -> remove(w));
  }

  private Flux<WatchEvent> currentObjects(ObjectFilter filter, boolean endBookmark) {
    // References to immutable objects: the events are made as the client reads them.
    List<CachedObject> current = new ArrayList<>(range(objects, filter, null).values());
    Flux<WatchEvent> added =
        Flux.fromIterable(current)
            .filter(filter::matches)
            .map(o -> new WatchEvent(WatchEvent.ADDED, o.json()));
    if (!endBookmark) {
      return added;
    }
    WatchEvent end = new WatchEvent(WatchEvent.BOOKMARK, initialEventsEndBookmark(appliedRv));
    return added.concatWith(Flux.just(end));
  }

  private Flux<WatchEvent> replay(Watcher w, long fromRv) {
    if (fromRv < floorRv) {
      throw new GoneException("too old resource version: " + fromRv + " (" + floorRv + ")");
    }
    if (fromRv < unknownPreviousUpToRv && w.filter.selectsByContent()) {
      throw new GoneException(
          "too old resource version: " + fromRv + " (" + unknownPreviousUpToRv + ")");
    }
    List<WatchEvent> events = new ArrayList<>();
    for (CacheEvent e : history) {
      if (e.resourceVersion() > fromRv) {
        WatchEvent out = w.translate(e);
        if (out != null) {
          events.add(out);
        }
      }
    }
    w.skipUpTo(fromRv);
    return Flux.fromIterable(events);
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
      for (Watcher w : watchers.all()) {
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

  private String initialEventsEndBookmark(long rv) {
    return "{\"kind\":\""
        + type.kind()
        + "\",\"apiVersion\":\""
        + type.apiVersion()
        + "\",\"metadata\":{\"resourceVersion\":\""
        + rv
        + "\",\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}}}";
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
    for (Watcher w : watchers.all()) {
      w.close();
    }
    watchers.clear();
  }
}
