package io.nauta.scheduler.engine;

import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.core.workqueue.Result;
import io.nauta.core.workqueue.WorkQueue;
import io.nauta.core.workqueue.Workers;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Pending pods waiting for a scheduling attempt, by key. A work queue de-duplicates keys, retries
 * failures with per-pod exponential back-off and runs the workers; on top of it this remembers the
 * pods that fit nowhere, so a cluster change that could make room (a node added or changed, a pod
 * leaving) sends all of them round again at once rather than after their back-off.
 *
 * <p>The queue runs only while this scheduler leads: {@link #start} builds a fresh work queue,
 * {@link #stop} shuts it down.
 */
public final class SchedulingQueue {

  private final MeterRegistry registry;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Set<String> unschedulable = ConcurrentHashMap.newKeySet();
  private volatile WorkQueue<String> queue;
  private volatile Workers<String> workers;

  public SchedulingQueue(MeterRegistry registry, Duration initialBackoff, Duration maxBackoff) {
    this.registry = registry;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
  }

  /**
   * Starts {@code parallelism} workers running {@code attempt} on {@code scheduler}, first queueing
   * the keys {@code pending} lists. The queue takes adds before {@code pending} is read, so a pod
   * that arrives meanwhile is in one or the other (or both: keys are de-duplicated).
   */
  public synchronized void start(
      int parallelism,
      Function<String, Mono<Result>> attempt,
      Scheduler scheduler,
      Supplier<Collection<String>> pending) {
    if (queue != null) {
      return;
    }
    WorkQueue<String> q =
        WorkQueue.<String>builder("scheduler")
            .meterRegistry(registry)
            .backoff(initialBackoff, maxBackoff)
            .build();
    this.queue = q;
    pending.get().forEach(q::add);
    this.workers = Workers.start(q, parallelism, attempt, scheduler);
  }

  public synchronized void stop() {
    if (workers != null) {
      workers.dispose();
    }
    workers = null;
    queue = null;
    unschedulable.clear();
  }

  public boolean isRunning() {
    return queue != null;
  }

  /** A pod to try now (new, or changed in a way that may change the decision). */
  public void add(String key) {
    WorkQueue<String> q = queue;
    if (q != null) {
      q.add(key);
    }
  }

  /** A pod whose attempt failed outside a worker: tried again after its back-off. */
  public void retry(String key) {
    WorkQueue<String> q = queue;
    if (q != null) {
      q.addRateLimited(key);
    }
  }

  /** The pod fit nowhere; it will be retried after its back-off or on the next cluster change. */
  public void markUnschedulable(String key) {
    unschedulable.add(key);
  }

  /** The pod was bound or is gone: stop counting it. */
  public void forget(String key) {
    unschedulable.remove(key);
  }

  /** A change that may make room: every unschedulable pod goes round again now. */
  public void moveAllUnschedulable() {
    WorkQueue<String> q = queue;
    if (q == null) {
      return;
    }
    for (String key : List.copyOf(unschedulable)) {
      q.add(key);
    }
  }

  /** Pods waiting for an attempt (not counting those waiting out a back-off). */
  public int activeCount() {
    WorkQueue<String> q = queue;
    return q == null ? 0 : q.depth();
  }

  public int unschedulableCount() {
    return unschedulable.size();
  }
}
