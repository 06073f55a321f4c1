package io.nauta.core.workqueue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A controller work queue modelled on client-go's {@code workqueue}: a FIFO of keys that
 *
 * <ul>
 *   <li>de-duplicates: a key added while it waits is queued once ("dirty" set);
 *   <li>hands a key to one worker at a time: a key added while it is processed is queued again only
 *       when that processing is {@link #done done} ("processing" set);
 *   <li>delays keys ({@link #addAfter}, keeping the earliest deadline of a key) and retries them
 *       with per-key exponential back-off ({@link #addRateLimited}, {@link #forget}).
 * </ul>
 *
 * <p>Consumers either {@link #poll()} and {@link #done} keys themselves or {@link #run} workers.
 * {@link #shutDown()} drops every waiting key and pending delay and hands out no key after it: a
 * controller that stops leading must not act on a single further key, since another process may
 * already lead (client-go's {@code ShutDown} lets workers drain the queue; a controller manager
 * that lost its lease there exits instead, which is what this models).
 *
 * <p>Metrics (tag {@code name}): {@code workqueue.depth}, {@code workqueue.adds}, {@code
 * workqueue.queue.duration} (add to hand-out), {@code workqueue.work.duration} (hand-out to done),
 * {@code workqueue.retries}.
 */
public final class WorkQueue<K> {

  private final String name;
  private final Scheduler timer;
  private final ItemExponentialBackoff<K> backoff;

  private final Object lock = new Object();
  private final ArrayDeque<K> queue = new ArrayDeque<>();
  private final Set<K> dirty = new HashSet<>();
  private final Set<K> processing = new HashSet<>();
  private final Map<K, Long> addedAt = new HashMap<>();
  private final Map<K, Long> startedAt = new HashMap<>();
  private final Map<K, Delayed> delayed = new HashMap<>();
  private boolean shuttingDown;

  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  private final Counter adds;
  private final Counter retries;
  private final Timer queueDuration;
  private final Timer workDuration;

  /** A pending delayed add; it is in {@link #delayed} before its task is scheduled. */
  private static final class Delayed {
    final long deadlineNanos;
    volatile Disposable task;

    Delayed(long deadlineNanos) {
      this.deadlineNanos = deadlineNanos;
    }
  }

  private final MeterRegistry registry;
  private final Gauge depthGauge;

  private WorkQueue(Builder<K> b) {
    this.name = b.name;
    this.timer = b.timer;
    this.backoff = new ItemExponentialBackoff<>(b.baseDelay, b.maxDelay);
    MeterRegistry registry = b.registry;
    this.registry = registry;
    this.depthGauge =
        Gauge.builder("workqueue.depth", this, WorkQueue::depth)
            .tag("name", name)
            .description("Keys waiting to be processed")
            .register(registry);
    this.adds =
        Counter.builder("workqueue.adds")
            .tag("name", name)
            .description("Keys added (including duplicates)")
            .register(registry);
    this.retries =
        Counter.builder("workqueue.retries")
            .tag("name", name)
            .description("Rate-limited re-queues")
            .register(registry);
    this.queueDuration =
        Timer.builder("workqueue.queue.duration")
            .tag("name", name)
            .description("How long a key waits in the queue before it is handed out")
            .register(registry);
    this.workDuration =
        Timer.builder("workqueue.work.duration")
            .tag("name", name)
            .description("How long processing a key takes")
            .register(registry);
  }

  public static <K> Builder<K> builder(String name) {
    return new Builder<>(name);
  }

  /** A queue with client-go's default back-off, the parallel scheduler and no metrics backend. */
  public static <K> WorkQueue<K> create(String name) {
    return WorkQueue.<K>builder(name).build();
  }

  public String name() {
    return name;
  }

  /** Queues {@code key} unless it is already waiting; if it is being processed, after that. */
  public void add(K key) {
    Objects.requireNonNull(key, "key");
    synchronized (lock) {
      if (shuttingDown) {
        return;
      }
      adds.increment();
      if (!dirty.add(key)) {
        return;
      }
      addedAt.put(key, System.nanoTime());
      if (processing.contains(key)) {
        return;
      }
      queue.addLast(key);
    }
    signalAvailable();
  }

  /**
   * Adds {@code key} once {@code delay} has passed. A key already waiting for a delay keeps the
   * earlier of the two deadlines.
   */
  public void addAfter(K key, Duration delay) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative() || delay.isZero()) {
      add(key);
      return;
    }
    synchronized (lock) {
      if (shuttingDown) {
        return;
      }
      long deadline = timer.now(TimeUnit.NANOSECONDS) + delay.toNanos();
      Delayed existing = delayed.get(key);
      if (existing != null) {
        if (existing.deadlineNanos <= deadline) {
          return;
        }
        existing.task.dispose();
      }
      Delayed entry = new Delayed(deadline);
      delayed.put(key, entry);
      entry.task =
          timer.schedule(() -> fireDelayed(key, entry), delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void fireDelayed(K key, Delayed entry) {
    synchronized (lock) {
      // A superseded entry whose task was already running when it was disposed must not add.
      if (delayed.get(key) != entry) {
        return;
      }
      delayed.remove(key);
    }
    add(key);
  }

  /** Adds {@code key} after its exponential back-off and counts a retry. */
  public void addRateLimited(K key) {
    synchronized (lock) {
      if (shuttingDown) {
        return;
      }
    }
    retries.increment();
    addAfter(key, backoff.when(key));
  }

  /** Resets the back-off of {@code key}; call it when the key was processed successfully. */
  public void forget(K key) {
    backoff.forget(key);
  }

  /** How many rate-limited re-queues {@code key} has had since it was last forgotten. */
  public int numRequeues(K key) {
    return backoff.numRequeues(key);
  }

  /**
   * Hands out the next waiting key and marks it as processing; the caller must call {@link #done}
   * with it. Empty when no key waits (it never waits itself).
   */
  public Optional<K> poll() {
    synchronized (lock) {
      if (shuttingDown) {
        return Optional.empty();
      }
      K key = queue.pollFirst();
      if (key == null) {
        return Optional.empty();
      }
      processing.add(key);
      dirty.remove(key);
      long now = System.nanoTime();
      Long added = addedAt.remove(key);
      if (added != null) {
        queueDuration.record(now - added, TimeUnit.NANOSECONDS);
      }
      startedAt.put(key, now);
      return Optional.of(key);
    }
  }

  /** Ends processing of {@code key}; if it was added meanwhile, it is queued again now. */
  public void done(K key) {
    synchronized (lock) {
      if (!processing.remove(key)) {
        return;
      }
      Long started = startedAt.remove(key);
      if (started != null) {
        workDuration.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      }
      if (dirty.contains(key) && !shuttingDown) {
        queue.addLast(key);
      }
    }
    // Signalled even when nothing was re-queued: a worker slot is free, and after shutDown the
    // workers need to see the last processing end to stop.
    signalAvailable();
  }

  /**
   * Drops every waiting key and pending delay, ignores new adds and hands out no key from now on.
   * Keys being processed stay so until {@link #done}, and are not queued again.
   */
  public void shutDown() {
    synchronized (lock) {
      if (shuttingDown) {
        return;
      }
      shuttingDown = true;
      delayed.values().forEach(d -> d.task.dispose());
      delayed.clear();
      queue.clear();
      dirty.clear();
      addedAt.clear();
    }
    // A queue of the same name built later (a controller that regains leadership) must own the
    // gauge: Micrometer would ignore its registration and keep reading this queue's depth.
    registry.remove(depthGauge);
    signalAvailable();
  }

  public boolean isShuttingDown() {
    synchronized (lock) {
      return shuttingDown;
    }
  }

  /** Keys waiting to be handed out (not counting delayed or processing keys). */
  public int depth() {
    synchronized (lock) {
      return queue.size();
    }
  }

  /** Keys handed out and not yet done. */
  public int processingCount() {
    synchronized (lock) {
      return processing.size();
    }
  }

  /** True when shut down and nothing is processing: workers may stop. */
  boolean isDrained() {
    synchronized (lock) {
      return shuttingDown && processing.isEmpty();
    }
  }

  /**
   * Starts {@code workers} workers that reconcile keys from this queue: a {@link Result#done()}
   * forgets the key's back-off, {@link Result#requeue()} or an error signal re-queues it with
   * back-off, {@link Result#requeueAfter} forgets it and re-queues it after the delay.
   */
  public Workers<K> run(int workers, Function<K, Mono<Result>> reconcile) {
    return Workers.start(this, workers, reconcile, Schedulers.parallel());
  }

  /** Registers a callback run (outside the queue's lock) when a key may be available. */
  Disposable onAvailable(Runnable listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private void signalAvailable() {
    for (Runnable listener : listeners) {
      listener.run();
    }
  }

  public static final class Builder<K> {
    private final String name;
    private MeterRegistry registry = new CompositeMeterRegistry();
    private Scheduler timer = Schedulers.parallel();
    private Duration baseDelay = ItemExponentialBackoff.DEFAULT_BASE;
    private Duration maxDelay = ItemExponentialBackoff.DEFAULT_MAX;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    public Builder<K> meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** The scheduler that fires delayed adds (a virtual-time scheduler in tests). */
    public Builder<K> timer(Scheduler timer) {
      this.timer = Objects.requireNonNull(timer, "timer");
      return this;
    }

    public Builder<K> backoff(Duration base, Duration max) {
      this.baseDelay = base;
      this.maxDelay = max;
      return this;
    }

    public WorkQueue<K> build() {
      return new WorkQueue<>(this);
    }
  }
}
