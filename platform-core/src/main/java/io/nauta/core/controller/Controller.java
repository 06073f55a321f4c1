package io.nauta.core.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.workqueue.Result;
import io.nauta.core.workqueue.WorkQueue;
import io.nauta.core.workqueue.Workers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A level-triggered controller in Kubernetes' shape: informer events only enqueue keys, a work
 * queue de-duplicates them and retries with back-off, and N workers run the reconcile function,
 * which re-reads current state from the informers' stores. Started when its process becomes the
 * leader and stopped when it stops leading; every start enqueues every key of its primary informer,
 * so a new leader converges everything whatever it missed.
 */
public final class Controller {

  private static final Log log = LogFactory.getLog(Controller.class);

  private final String name;
  private final int workers;
  private final Function<String, Mono<Result>> reconcile;
  private final SharedInformer<?> primary;
  private final List<Watch<?>> watches;
  private final MeterRegistry meters;
  private final Duration baseDelay;
  private final Duration maxDelay;
  private final Scheduler scheduler;

  private WorkQueue<String> queue;
  private Disposable.Composite running;

  private Controller(Builder b) {
    this.name = b.name;
    this.workers = b.workers;
    this.reconcile = Objects.requireNonNull(b.reconcile, "reconcile");
    this.primary = Objects.requireNonNull(b.primary, "primary informer");
    this.watches = List.copyOf(b.watches);
    this.meters = b.meters;
    this.baseDelay = b.baseDelay;
    this.maxDelay = b.maxDelay;
    this.scheduler = b.scheduler;
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  /** Starts the workers and the event subscriptions, and enqueues every primary key. */
  public synchronized void start() {
    if (queue != null) {
      return;
    }
    WorkQueue<String> q =
        WorkQueue.<String>builder(name).meterRegistry(meters).backoff(baseDelay, maxDelay).build();
    Disposable.Composite subs = Disposables.composite();
    for (Watch<?> w : watches) {
      subs.add(w.subscribe(q));
    }
    primary.store().keys().forEach(q::add);
    subs.add(Workers.start(q, workers, this::reconcileLogged, scheduler));
    this.queue = q;
    this.running = subs;
    log.info("controller " + name + " started with " + workers + " workers");
  }

  /** Stops the workers (keys being reconciled finish) and the subscriptions. */
  public synchronized void stop() {
    if (queue == null) {
      return;
    }
    running.dispose();
    queue.shutDown();
    queue = null;
    running = null;
    log.info("controller " + name + " stopped");
  }

  public synchronized boolean isRunning() {
    return queue != null;
  }

  /** Queues {@code key} now (no effect while stopped). */
  public void enqueue(String key) {
    WorkQueue<String> q = queueOrNull();
    if (q != null) {
      q.add(key);
    }
  }

  /** Queues {@code key} after {@code delay} (no effect while stopped). */
  public void enqueueAfter(String key, Duration delay) {
    WorkQueue<String> q = queueOrNull();
    if (q != null) {
      q.addAfter(key, delay);
    }
  }

  private synchronized WorkQueue<String> queueOrNull() {
    return queue;
  }

  private Mono<Result> reconcileLogged(String key) {
    return Mono.defer(() -> reconcile.apply(key))
        .doOnError(e -> log.warn(name + ": reconciling " + key + " failed, will retry: " + e));
  }

  /** An informer whose events map to keys of this controller. */
  private record Watch<T extends HasMetadata>(
      SharedInformer<T> informer, Function<InformerEvent<T>, Collection<String>> keys) {

    Disposable subscribe(WorkQueue<String> queue) {
      return informer
          .events()
          .subscribe(
              event -> {
                for (String key : keys.apply(event)) {
                  if (key != null) {
                    queue.add(key);
                  }
                }
              });
    }
  }

  public static final class Builder {
    private final String name;
    private int workers = 2;
    private Function<String, Mono<Result>> reconcile;
    private SharedInformer<?> primary;
    private final List<Watch<?>> watches = new ArrayList<>();
    private MeterRegistry meters = new SimpleMeterRegistry();
    private Duration baseDelay = Duration.ofMillis(5);
    private Duration maxDelay = Duration.ofSeconds(1000);
    private Scheduler scheduler = Schedulers.parallel();

    private Builder(String name) {
      this.name = name;
    }

    /** The informer of the kind this controller reconciles; its object keys are the work keys. */
    public <T extends HasMetadata> Builder primary(SharedInformer<T> informer) {
      this.primary = informer;
      return watch(informer, e -> List.of(InformerStore.keyOf(e.object())));
    }

    /**
     * The primary informer, whose events enqueue their object's key only when {@code relevant} says
     * so (e.g. not for the echo of a status this controller wrote itself); the initial keys and the
     * keys of other watches are enqueued as ever.
     */
    public <T extends HasMetadata> Builder primary(
        SharedInformer<T> informer, Predicate<InformerEvent<T>> relevant) {
      this.primary = informer;
      return watch(
          informer, e -> relevant.test(e) ? List.of(InformerStore.keyOf(e.object())) : List.of());
    }

    /**
     * Another informer whose events enqueue the keys {@code keys} derives (e.g. a child's
     * controller owner); null keys are skipped.
     */
    public <T extends HasMetadata> Builder watch(
        SharedInformer<T> informer, Function<InformerEvent<T>, Collection<String>> keys) {
      watches.add(new Watch<>(informer, keys));
      return this;
    }

    public Builder reconcile(Function<String, Mono<Result>> reconcile) {
      this.reconcile = reconcile;
      return this;
    }

    public Builder workers(int workers) {
      this.workers = workers;
      return this;
    }

    public Builder meterRegistry(MeterRegistry meters) {
      this.meters = meters;
      return this;
    }

    public Builder backoff(Duration base, Duration max) {
      this.baseDelay = base;
      this.maxDelay = max;
      return this;
    }

    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = scheduler;
      return this;
    }

    public Controller build() {
      return new Controller(this);
    }
  }
}
