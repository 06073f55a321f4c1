package io.nauta.core.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Writes Events beside a component's work instead of inside it, as client-go's event broadcaster
 * does for kube-scheduler and kube-controller-manager: {@link #write} returns at once, at most
 * {@code maxInFlight} writes run at a time, and at most {@code capacity} wait; when the backlog is
 * full the event is dropped and counted (client-go's {@code DropIfChannelFull}), because an event
 * is a hint and must never hold a binding or a pod create back or grow without bound while the API
 * server is slow.
 */
public final class EventWriter {

  private final int maxInFlight;
  private final int capacity;
  private final Queue<Supplier<Mono<Void>>> backlog = new ConcurrentLinkedQueue<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger wip = new AtomicInteger();
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Disposable> running = new ConcurrentHashMap<>();
  private final Counter dropped;
  private volatile boolean stopped;

  /**
   * @param droppedMeter the name of the counter of events dropped for a full backlog, e.g. {@code
   *     nauta.scheduler.events.dropped}
   */
  public EventWriter(int maxInFlight, int capacity, MeterRegistry registry, String droppedMeter) {
    if (maxInFlight < 1 || capacity < 0) {
      throw new IllegalArgumentException(
          "maxInFlight must be at least 1 and capacity not negative");
    }
    this.maxInFlight = maxInFlight;
    this.capacity = capacity;
    this.dropped = registry.counter(droppedMeter);
  }

  /**
   * Queues {@code event} (a write that completes when done and never fails, as {@link
   * EventRecorder}'s do); false when it was dropped because the backlog is full.
   */
  public boolean write(Supplier<Mono<Void>> event) {
    if (waiting.incrementAndGet() > capacity) {
      waiting.decrementAndGet();
      dropped.increment();
      return false;
    }
    backlog.add(event);
    drain();
    return true;
  }

  /** Events waiting for a free slot. */
  public int backlog() {
    return waiting.get();
  }

  /** Writes running now. */
  public int inFlight() {
    return inFlight.get();
  }

  /** (Re)starts taking events, after {@link #stop}. */
  public void start() {
    stopped = false;
  }

  /**
   * Drops the backlog and cancels the writes in flight: a scheduler that stopped leading writes
   * nothing more.
   */
  public void stop() {
    stopped = true;
    drain();
    for (Disposable d : running.values()) {
      d.dispose();
    }
  }

  private void drain() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      if (stopped) {
        while (backlog.poll() != null) {
          waiting.decrementAndGet();
        }
      }
      while (!stopped && inFlight.get() < maxInFlight) {
        Supplier<Mono<Void>> next = backlog.poll();
        if (next == null) {
          break;
        }
        waiting.decrementAndGet();
        inFlight.incrementAndGet();
        start(next);
      }
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }

  private void start(Supplier<Mono<Void>> event) {
    long id = ids.incrementAndGet();
    Disposable d =
        Mono.defer(event)
            .onErrorResume(e -> Mono.empty())
            .doFinally(
                signal -> {
                  running.remove(id);
                  inFlight.decrementAndGet();
                  drain();
                })
            .subscribe();
    if (!d.isDisposed()) {
      running.put(id, d);
      // Finished between subscribe and put: do not keep it.
      if (d.isDisposed()) {
        running.remove(id);
      }
    }
  }
}
