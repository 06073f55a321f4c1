package io.nauta.api.cache;

import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * One open watch: its filter and the queue its events wait in until the client reads them. Events
 * are pushed only by the cache while it holds its write lock, so each watcher sees every event of
 * its type once and in resourceVersion order.
 */
final class Watcher {

  final ObjectFilter filter;
  final boolean bookmarks;
  final Sinks.Many<WatchEvent> sink;
  long lastBookmarkMillis;
  private volatile boolean closed;

  /**
   * Events at or below this resourceVersion are skipped: a watch may start from a version the cache
   * has not applied yet, and must not see what came before it.
   */
  private long skipUpTo;

  Watcher(ObjectFilter filter, boolean bookmarks, int backlog) {
    this.filter = filter;
    this.bookmarks = bookmarks;
    this.sink = Sinks.many().unicast().onBackpressureBuffer(Queues.<WatchEvent>get(backlog).get());
    this.lastBookmarkMillis = System.currentTimeMillis();
  }

  /** Queues an event; a watcher too slow to keep up is closed, and its client re-watches. */
  void offer(WatchEvent event) {
    if (closed) {
      return;
    }
    if (sink.tryEmitNext(event).isFailure()) {
      close();
    }
  }

  void skipUpTo(long rv) {
    this.skipUpTo = rv;
  }

  void close() {
    closed = true;
    sink.tryEmitComplete();
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * The event this watcher must see for a write, given whether the object matched its filter before
   * and after: entering the selection is ADDED, leaving it is DELETED, as in Kubernetes.
   */
  WatchEvent translate(CacheEvent e) {
    if (e.resourceVersion() <= skipUpTo) {
      return null;
    }
    boolean now = filter.matches(e.object());
    boolean before = e.previous() != null && filter.matches(e.previous());
    return switch (e.type()) {
      case WatchEvent.ADDED -> now ? new WatchEvent(WatchEvent.ADDED, e.object().json()) : null;
      case WatchEvent.DELETED -> now ? new WatchEvent(WatchEvent.DELETED, e.object().json()) : null;
      default -> {
        if (now && before) {
          yield new WatchEvent(WatchEvent.MODIFIED, e.object().json());
        } else if (now) {
          yield new WatchEvent(WatchEvent.ADDED, e.object().json());
        } else if (before) {
          yield new WatchEvent(WatchEvent.DELETED, e.object().json());
        }
        yield null;
      }
    };
  }
}
