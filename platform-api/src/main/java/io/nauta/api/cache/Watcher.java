package io.nauta.api.cache;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;

/**
 * One open watch: its filter and the queue its live events wait in until the client reads them.
 * Events are queued only by the cache while it holds its write lock, so each watcher sees every
 * event of its type once and in resourceVersion order; they are delivered (encoded, written to the
 * connection) on the watcher's own worker, never by the cache's thread, so neither the lock nor the
 * other watchers wait for one client.
 */
final class Watcher {

  final ObjectFilter filter;
  final boolean bookmarks;
  private final Sinks.Many<WatchEvent> live;
  private final int prefetch;
  long lastBookmarkMillis;
  private volatile boolean closed;

  /**
   * Events at or below this resourceVersion are skipped: a watch must not see what came before the
   * version it starts from.
   */
  private long skipUpTo;

  Watcher(ObjectFilter filter, boolean bookmarks, int backlog) {
    this.filter = filter;
    this.bookmarks = bookmarks;
    this.live = Sinks.many().unicast().onBackpressureBuffer(Queues.<WatchEvent>get(backlog).get());
    // The delivery worker's own queue adds to the backlog: keep it small beside it.
    this.prefetch = Math.max(1, Math.min(Queues.SMALL_BUFFER_SIZE, backlog));
    this.lastBookmarkMillis = System.currentTimeMillis();
  }

  /**
   * What the client receives: {@code initial} (the current objects or the replayed history) and
   * then the live events. The initial events are not held in the bounded live queue: a watch of
   * more objects than the backlog must not overflow on its own first dump. Everything reaches the
   * client on a worker of {@code delivery} of this watcher's own (each subscription to {@code
   * publishOn} takes one), and an error (410 after a rewind) only after the events queued before
   * it.
   */
  Flux<WatchEvent> events(Flux<WatchEvent> initial, Scheduler delivery) {
    return initial.concatWith(live.asFlux()).publishOn(delivery, prefetch);
  }

  /**
   * Sends watch events, one thread per core, shared by every watch of every type. Not Reactor's
   * parallel scheduler: its threads run the timers of the whole server (request timeouts, a
   * consistent read's wait), which 1,000 watchers' deliveries must not hold up.
   */
  private static final Scheduler DELIVERY =
      Schedulers.newParallel("watch-delivery", Runtime.getRuntime().availableProcessors(), true);

  /** As {@link #events(Flux, Scheduler)} on the watch-delivery threads. */
  Flux<WatchEvent> events(Flux<WatchEvent> initial) {
    return events(initial, DELIVERY);
  }

  /** Queues a live event; a watcher too slow to keep up is closed, and its client re-watches. */
  void offer(WatchEvent event) {
    if (closed) {
      return;
    }
    if (live.tryEmitNext(event).isFailure()) {
      close();
    }
  }

  void skipUpTo(long rv) {
    this.skipUpTo = rv;
  }

  /** Ends the watch once the events queued so far are sent; the server then closes the stream. */
  void close() {
    closed = true;
    live.tryEmitComplete();
  }

  /**
   * Ends the watch with {@code error} after the events queued so far: the client gets them, then an
   * ERROR event, and lists again.
   */
  void fail(Throwable error) {
    closed = true;
    live.tryEmitError(error);
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * The event this watcher must see for a write, given whether the object matched its filter before
   * and after: entering the selection is ADDED, leaving it is DELETED, as in Kubernetes. A
   * modification whose previous state the cache does not know (it happened before the cache's
   * history began) is a MODIFIED for a filter that only selects by namespace, which no update can
   * change; the cache does not replay such events to a watch with a label or field selector.
   */
  WatchEvent translate(CacheEvent e) {
    if (e.resourceVersion() <= skipUpTo) {
      return null;
    }
    boolean now = filter.matches(e.object());
    boolean before = e.previousKnown() ? e.previous() != null && filter.matches(e.previous()) : now;
    return switch (e.type()) {
      case WatchEvent.ADDED -> now ? e.seen().of(WatchEvent.ADDED) : null;
      case WatchEvent.DELETED -> now ? e.seen().of(WatchEvent.DELETED) : null;
      default -> {
        if (now && before) {
          yield e.seen().of(WatchEvent.MODIFIED);
        } else if (now) {
          yield e.seen().of(WatchEvent.ADDED);
        } else if (before) {
          yield e.seen().of(WatchEvent.DELETED);
        }
        yield null;
      }
    };
  }
}
