package io.nauta.core.workqueue;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * N workers reconciling keys from a {@link WorkQueue}. There are no threads parked on the queue:
 * whenever a key may be available or a worker slot frees up, a drain loop hands waiting keys to
 * free slots and subscribes their reconcile on a Reactor {@link Scheduler}. The queue guarantees a
 * key is never held by two workers at once.
 *
 * <p>Outcome of a reconcile: {@link Result#done()} (or an empty Mono) forgets the key's back-off;
 * {@link Result#requeue()} and an error signal re-queue it with back-off; {@link
 * Result#requeueAfter} forgets the back-off and re-queues after the delay.
 *
 * <p>{@link #dispose()} stops the work at once: the queue is shut down (no further key is handed
 * out) and every reconcile in flight is cancelled, so nothing it would still write reaches the API
 * server after the caller stopped leading.
 */
public final class Workers<K> implements Disposable {

  private final WorkQueue<K> queue;
  private final int workers;
  private final Function<K, Mono<Result>> reconcile;
  private final Scheduler scheduler;

  private final AtomicInteger wip = new AtomicInteger();
  private final AtomicInteger active = new AtomicInteger();
  private final Sinks.Empty<Void> terminated = Sinks.empty();
  private final Map<K, InFlight> inFlight = new ConcurrentHashMap<>();
  private volatile Disposable listener;

  /** One reconcile in flight; settled exactly once, by its outcome or by cancellation. */
  private static final class InFlight {
    final AtomicBoolean settled = new AtomicBoolean();
    final Disposable.Swap subscription = Disposables.swap();
  }

  private Workers(
      WorkQueue<K> queue, int workers, Function<K, Mono<Result>> reconcile, Scheduler scheduler) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
    this.queue = Objects.requireNonNull(queue, "queue");
    this.workers = workers;
    this.reconcile = Objects.requireNonNull(reconcile, "reconcile");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
  }

  /**
   * Starts {@code workers} workers on {@code queue}, running each reconcile on {@code scheduler}.
   */
  public static <K> Workers<K> start(
      WorkQueue<K> queue, int workers, Function<K, Mono<Result>> reconcile, Scheduler scheduler) {
    Workers<K> w = new Workers<>(queue, workers, reconcile, scheduler);
    w.listener = queue.onAvailable(w::drain);
    w.drain();
    return w;
  }

  /** Keys being reconciled right now. */
  public int active() {
    return active.get();
  }

  /** Completes once the queue is shut down and no reconcile runs any more. */
  public Mono<Void> terminated() {
    return terminated.asMono();
  }

  /**
   * Shuts the queue down (its waiting keys are dropped) and cancels every reconcile in flight; the
   * cancelled keys are done without a retry.
   */
  @Override
  public void dispose() {
    queue.shutDown();
    for (Map.Entry<K, InFlight> e : List.copyOf(inFlight.entrySet())) {
      InFlight f = e.getValue();
      if (f.settled.compareAndSet(false, true)) {
        f.subscription.dispose();
        finish(e.getKey(), f);
      }
    }
  }

  @Override
  public boolean isDisposed() {
    return queue.isShuttingDown();
  }

  private void drain() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      while (active.get() < workers) {
        Optional<K> key = queue.poll();
        if (key.isEmpty()) {
          break;
        }
        active.incrementAndGet();
        process(key.get());
      }
      if (queue.isDrained() && active.get() == 0) {
        Disposable l = listener;
        if (l != null) {
          l.dispose();
        }
        terminated.tryEmitEmpty();
      }
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }

  private void process(K key) {
    InFlight f = new InFlight();
    // Registered before subscribing, so dispose() can cancel a reconcile that starts meanwhile
    // (a Swap disposed first disposes what is put into it later).
    inFlight.put(key, f);
    f.subscription.update(
        Mono.defer(() -> reconcile.apply(key))
            .subscribeOn(scheduler)
            .defaultIfEmpty(Result.done())
            .subscribe(
                result -> settle(key, f, result, null), error -> settle(key, f, null, error)));
  }

  private void settle(K key, InFlight f, Result result, Throwable error) {
    if (!f.settled.compareAndSet(false, true)) {
      return;
    }
    try {
      if (error != null || result instanceof Result.Requeue) {
        queue.addRateLimited(key);
      } else if (result instanceof Result.RequeueAfter after) {
        queue.forget(key);
        queue.addAfter(key, after.delay());
      } else {
        queue.forget(key);
      }
    } finally {
      finish(key, f);
    }
  }

  private void finish(K key, InFlight f) {
    inFlight.remove(key, f);
    // Decrement before done(): done() signals the drain loop, which must see the free slot.
    active.decrementAndGet();
    queue.done(key);
  }
}
