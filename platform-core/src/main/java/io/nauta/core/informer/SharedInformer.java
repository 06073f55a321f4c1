package io.nauta.core.informer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.client.StatusErrors;
import io.nauta.core.client.WatchEvent;
import io.nauta.core.errors.GoneException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * Keeps a local copy of one resource type (optionally one namespace and selectors) in step with the
 * API server: list, replace the store (dropping what disappeared), watch from the list's
 * resourceVersion. As client-go's reflector does, a watch that ends or fails for any other reason
 * than 410 Gone (a dropped connection, an API server restart, a server-side timeout) is resumed
 * from the last resourceVersion seen (after an exponential back-off when it failed), so a restart
 * of the API server costs no list; only 410 Gone, which means the server no longer keeps the events
 * since that resourceVersion, leads to a re-list. A failed list is retried after the back-off.
 * Every change to the store is published on {@link #events()}; handlers should only enqueue keys
 * and read the store, so a missed or repeated event does no harm.
 *
 * <p>Each watch asks for a {@code timeoutSeconds} as the reflector does ({@link
 * #DEFAULT_MIN_WATCH_TIMEOUT}), and the client gives up on a watch that stays silent a little
 * longer than that: a half-open connection (a peer or network that vanished without closing it)
 * costs one watch timeout, not the informer.
 */
public final class SharedInformer<T extends HasMetadata> implements AutoCloseable {

  private static final Log log = LogFactory.getLog(SharedInformer.class);

  /**
   * A watch that ends this soon without a single event is treated as a failure and retried after
   * the back-off, so a server that closes every watch at once is not hammered (client-go: "very
   * short watch").
   */
  private static final Duration SHORT_WATCH = Duration.ofSeconds(1);

  /**
   * client-go's reflector asks every watch for a {@code timeoutSeconds} drawn from [min, 2·min]
   * with min 5 minutes: watches end and are renewed regularly, spread out so that they do not all
   * end at once, and the client knows how long a silent watch may last before its connection counts
   * as dead.
   */
  public static final Duration DEFAULT_MIN_WATCH_TIMEOUT = Duration.ofMinutes(5);

  private final ResourceClient<T> client;
  private final String namespace;
  private final ListOptions selectors;
  private final Duration minBackoff;
  private final Duration maxBackoff;
  private final Duration minWatchTimeout;
  private final InformerStore<T> store = new InformerStore<>();
  private final Sinks.Many<InformerEvent<T>> events = Sinks.many().multicast().directBestEffort();
  private final Sinks.One<Void> synced = Sinks.one();
  private final Sinks.Many<String> rewinds = Sinks.many().multicast().directBestEffort();

  private volatile boolean hasSynced;
  private volatile String lastResourceVersion;
  // The highest resourceVersion a list or event carried, when Nauta's numeric versions are used.
  private volatile long highestRv = -1;
  private final AtomicLong lists = new AtomicLong();
  private Disposable running;

  /** An informer on every object of the client's type in {@code namespace} ({@code null}: all). */
  public SharedInformer(ResourceClient<T> client, String namespace) {
    this(client, namespace, ListOptions.none(), Duration.ofMillis(200), Duration.ofSeconds(30));
  }

  /**
   * @param selectors label and field selectors; their resourceVersion, limit and continue are
   *     ignored
   */
  public SharedInformer(
      ResourceClient<T> client,
      String namespace,
      ListOptions selectors,
      Duration minBackoff,
      Duration maxBackoff) {
    this(client, namespace, selectors, minBackoff, maxBackoff, DEFAULT_MIN_WATCH_TIMEOUT);
  }

  /**
   * @param minWatchTimeout each watch asks the server to end it after a random time between this
   *     and twice this ({@link #DEFAULT_MIN_WATCH_TIMEOUT} unless a test needs it shorter)
   */
  public SharedInformer(
      ResourceClient<T> client,
      String namespace,
      ListOptions selectors,
      Duration minBackoff,
      Duration maxBackoff,
      Duration minWatchTimeout) {
    this.client = client;
    this.namespace = namespace;
    this.selectors =
        new ListOptions(
            selectors.labelSelector(), selectors.fieldSelector(), null, null, null, null, true);
    this.minBackoff = minBackoff;
    this.maxBackoff = maxBackoff;
    if (minWatchTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("minWatchTimeout must be at least 1s: " + minWatchTimeout);
    }
    this.minWatchTimeout = minWatchTimeout;
  }

  /** Starts listing and watching; idempotent. */
  public synchronized SharedInformer<T> start() {
    if (running == null) {
      running =
          loop()
              .subscribe(
                  x -> {},
                  e -> log.error("informer for " + client.type().plural() + " stopped", e));
    }
    return this;
  }

  @Override
  public synchronized void close() {
    if (running != null) {
      running.dispose();
      running = null;
    }
    events.tryEmitComplete();
  }

  /** True once the first list has been stored. */
  public boolean hasSynced() {
    return hasSynced;
  }

  /** Completes when the first list has been stored. */
  public Mono<Void> synced() {
    return synced.asMono();
  }

  public InformerStore<T> store() {
    return store;
  }

  /** The resourceVersion of the last list or event applied. */
  public String lastResourceVersion() {
    return lastResourceVersion;
  }

  /** How many times the store was filled from a list: 1 after the first sync, +1 per re-list. */
  public long listCount() {
    return lists.get();
  }

  /**
   * Changes applied to the store from now on. A subscriber that needs the current state as well
   * reads {@link #store()} after subscribing.
   */
  public Flux<InformerEvent<T>> events() {
    return events.asFlux().onBackpressureBuffer();
  }

  /**
   * Each time this informer learns that the storage went back in time (Redis lost or rewound its
   * data), with how it learned it: a watch ended with 410 {@link GoneException#STORAGE_REWOUND}, or
   * a list answered a resourceVersion below one the informer had already seen. The store follows
   * the new history after its next list; a component that built more on what it saw (queues,
   * expectations, assumed pods) should start afresh. Nothing is replayed to a late subscriber.
   */
  public Flux<String> storageRewinds() {
    return rewinds.asFlux();
  }

  /** List, then watch until the server says the watch expired; list again; forever. */
  private Flux<String> loop() {
    return Flux.defer(
            () -> list().flatMapMany(rv -> Flux.concat(Mono.just(rv), watchUntilExpired())))
        .repeat()
        .retryWhen(
            Retry.backoff(Long.MAX_VALUE, minBackoff)
                .maxBackoff(maxBackoff)
                .transientErrors(true)
                .doBeforeRetry(
                    s ->
                        log.warn(
                            client.type().plural()
                                + ": list failed, retrying: "
                                + s.failure().toString())));
  }

  /**
   * Watches from the last resourceVersion; when a watch ends, starts the next from where it left
   * off, and when one fails, does the same after the back-off. Completes on 410 Gone.
   */
  private Flux<String> watchUntilExpired() {
    return watchOnce()
        .repeat()
        .retryWhen(
            Retry.backoff(Long.MAX_VALUE, minBackoff)
                .maxBackoff(maxBackoff)
                .transientErrors(true)
                .filter(e -> !(e instanceof GoneException))
                .doBeforeRetry(
                    s ->
                        log.warn(
                            client.type().plural()
                                + ": watch failed, resuming from resourceVersion "
                                + lastResourceVersion
                                + ": "
                                + s.failure().toString())))
        .onErrorResume(
            GoneException.class,
            e -> {
              log.info(client.type().plural() + ": watch expired, re-listing: " + e.getMessage());
              if (e.storageRewound()) {
                rewound("a watch of " + client.type().plural() + " ended: " + e.getMessage());
              }
              return Flux.empty();
            });
  }

  private Flux<String> watchOnce() {
    return Flux.defer(
        () -> {
          long started = System.nanoTime();
          AtomicBoolean sawEvent = new AtomicBoolean();
          return client
              .watch(
                  namespace,
                  selectors
                      .withResourceVersion(lastResourceVersion)
                      .withTimeoutSeconds(watchTimeoutSeconds()))
              .map(this::apply)
              .doOnNext(rv -> sawEvent.set(true))
              .concatWith(
                  Mono.defer(
                      () ->
                          !sawEvent.get() && System.nanoTime() - started < SHORT_WATCH.toNanos()
                              ? Mono.error(
                                  new IllegalStateException(
                                      "very short watch: the server ended it at once"))
                              : Mono.empty()));
        });
  }

  /** A random whole number of seconds in [minWatchTimeout, 2·minWatchTimeout]. */
  private long watchTimeoutSeconds() {
    long min = minWatchTimeout.toSeconds();
    return min + ThreadLocalRandom.current().nextLong(min + 1);
  }

  private Mono<String> list() {
    return client
        .listAll(namespace, selectors.withResourceVersion(null).withBookmarks(false))
        .map(
            page -> {
              lists.incrementAndGet();
              long listed = numeric(page.resourceVersion());
              if (listed >= 0 && listed < highestRv) {
                // A consistent list is never older than what was seen before, unless the storage
                // went back in time (its counter restarted after a FLUSHALL, say).
                rewound(
                    "a list of "
                        + client.type().plural()
                        + " answered resourceVersion "
                        + listed
                        + ", below "
                        + highestRv
                        + " seen before");
              }
              highestRv = listed;
              publish(store.replace(page.items()));
              lastResourceVersion = page.resourceVersion();
              if (!hasSynced) {
                hasSynced = true;
                synced.tryEmitEmpty();
              }
              return page.resourceVersion() == null ? "" : page.resourceVersion();
            });
  }

  private String apply(WatchEvent<T> event) {
    switch (event.type()) {
      case ADDED, MODIFIED -> store.upsert(event.object()).ifPresent(this::publish);
      case DELETED -> store.remove(event.object()).ifPresent(this::publish);
      case BOOKMARK -> {}
      case ERROR -> throw StatusErrors.fromStatus(event.status());
    }
    String rv =
        event.object().getMetadata() == null
            ? null
            : event.object().getMetadata().getResourceVersion();
    if (rv != null && !rv.isEmpty()) {
      lastResourceVersion = rv;
      long n = numeric(rv);
      if (n > highestRv) {
        highestRv = n;
      }
    }
    return rv == null ? "" : rv;
  }

  private void rewound(String how) {
    log.warn(client.type().plural() + ": the storage went back in time (" + how + ")");
    rewinds.tryEmitNext(how);
  }

  /** A resourceVersion as a number, or -1 when it is not one (they are opaque to clients). */
  private static long numeric(String rv) {
    if (rv == null || rv.isEmpty() || rv.length() > 18) {
      return -1;
    }
    for (int i = 0; i < rv.length(); i++) {
      if (!Character.isDigit(rv.charAt(i))) {
        return -1;
      }
    }
    return Long.parseLong(rv);
  }

  private void publish(List<InformerEvent<T>> changes) {
    changes.forEach(this::publish);
  }

  private void publish(InformerEvent<T> change) {
    events.tryEmitNext(change);
  }
}
