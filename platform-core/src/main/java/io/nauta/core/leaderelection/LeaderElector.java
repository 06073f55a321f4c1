package io.nauta.core.leaderelection;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpecBuilder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.NotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Elects one leader among the processes that campaign for one {@code coordination.k8s.io/v1} Lease,
 * as client-go's {@code leaderelection} does: a candidate creates the lease when it is missing,
 * takes it over when its holder let it expire, and the leader renews it every {@code retryPeriod}.
 * Writes carry the lease's resourceVersion, so of two candidates racing for one lease only one wins
 * (the other gets 409 Conflict and stays a candidate).
 *
 * <p>Expiry is judged by this process's own clock: a lease held by another counts as expired only
 * when {@code leaseDuration} has passed since this elector last saw the lease <em>change</em>,
 * never by comparing the holder's {@code renewTime} with the local time, so clock skew between
 * hosts cannot make two leaders. The leader renews every {@code retryPeriod} and gives up leading
 * when a renewal round, retried every {@code retryPeriod}, has not succeeded within {@code
 * renewDeadline} (client-go's {@code renew()}), or at once when it sees another holder. After
 * losing leadership it campaigns again.
 *
 * <p>On {@link #stop()} (and {@link #close()}) a leader first stops leading, then releases the
 * lease (empty holder, 1 s duration) so that a standby takes over within a retry period instead of
 * waiting the lease out (client-go's {@code ReleaseOnCancel}).
 *
 * <p>In a Spring Boot component:
 *
 * <pre>{@code
 * @Component
 * class ControllerLeadership implements SmartLifecycle {
 *   private final LeaderElector elector; // new LeaderElector(leases, config, meterRegistry)
 *   private volatile Disposable work;
 *
 *   public void start() {
 *     elector.run(() -> work = startWorkers(), () -> work.dispose());
 *   }
 *   public void stop(Runnable done) {
 *     elector.stop().doFinally(s -> done.run()).subscribe();
 *   }
 *   public void stop() { elector.close(); }
 *   public boolean isRunning() { return elector.isRunning(); }
 * }
 * }</pre>
 *
 * The callbacks run on a Reactor thread while the elector holds its lock: they must only start or
 * stop work (subscribe, dispose), never block.
 */
public final class LeaderElector implements AutoCloseable {

  private static final Log log = LogFactory.getLog(LeaderElector.class);

  /** The gauge: 1 while this process leads, else 0; tagged with the lease name. */
  public static final String LEADER_METRIC = "nauta.leader_election.leader";

  private enum Outcome {
    /** We hold the lease now (acquired or renewed). */
    LEADING,
    /** Another holder's lease is still valid. */
    HELD_BY_OTHER,
    /** The request failed or lost a race; try again next period. */
    FAILED
  }

  private final LeaseLock lock;
  private final LeaderElectionConfig config;
  private final Clock clock;
  private final LongSupplier nanoTime;
  private final String lease;
  private final Sinks.Many<Boolean> leadership = Sinks.many().replay().latest();

  // Written by the campaign, which takes one step at a time.
  private volatile LeaseSpec observedSpec;
  private volatile long observedAtNanos;
  // When the last attempt that left this process holding the lease began, by the local clock.
  private volatile long renewedAtNanos;

  private volatile boolean leader;
  private boolean stopped = true;
  private Disposable campaign;
  private Runnable onStartedLeading = () -> {};
  private Runnable onStoppedLeading = () -> {};

  public LeaderElector(ResourceClient<Lease> leases, LeaderElectionConfig config) {
    this(leases, config, null);
  }

  /**
   * @param meters where to register the {@value #LEADER_METRIC} gauge; {@code null} for none
   */
  public LeaderElector(
      ResourceClient<Lease> leases, LeaderElectionConfig config, MeterRegistry meters) {
    this(
        LeaseLock.of(leases, config.leaseNamespace(), config.leaseName()),
        config,
        meters,
        Clock.systemUTC(),
        System::nanoTime);
  }

  /**
   * @param clock the wall clock written into the lease's acquire and renew times
   * @param nanoTime the local monotonic clock that measures expiry and the renew deadline
   */
  LeaderElector(
      LeaseLock lock,
      LeaderElectionConfig config,
      MeterRegistry meters,
      Clock clock,
      LongSupplier nanoTime) {
    this.lock = lock;
    this.config = Objects.requireNonNull(config, "config");
    this.clock = clock;
    this.nanoTime = nanoTime;
    this.lease = config.describeLease();
    leadership.tryEmitNext(false);
    if (meters != null) {
      Gauge.builder(LEADER_METRIC, this, e -> e.isLeader() ? 1 : 0)
          .description("1 while this process holds the leader lease, else 0")
          .tag("lease", config.leaseName())
          .register(meters);
    }
  }

  public LeaderElectionConfig config() {
    return config;
  }

  /**
   * Starts campaigning. {@code onStartedLeading} runs each time this process becomes the leader,
   * {@code onStoppedLeading} each time it stops (lost the lease, could not renew, or stopped).
   * Disposing the result is {@link #stop()}.
   */
  public synchronized Disposable run(Runnable onStartedLeading, Runnable onStoppedLeading) {
    if (campaign != null) {
      throw new IllegalStateException("leader election for " + lease + " is already running");
    }
    this.onStartedLeading = Objects.requireNonNull(onStartedLeading, "onStartedLeading");
    this.onStoppedLeading = Objects.requireNonNull(onStoppedLeading, "onStoppedLeading");
    stopped = false;
    log.info(config.identity() + ": campaigning for lease " + lease);
    campaign =
        Mono.defer(this::acquire)
            .then(Mono.fromRunnable(this::startLeading))
            .then(Mono.defer(this::renewUntilLost))
            .then(Mono.fromRunnable(this::stopLeading))
            .repeat()
            .subscribe(x -> {}, e -> log.error("leader election for " + lease + " stopped", e));
    return new Disposable() {
      @Override
      public void dispose() {
        stop();
      }

      @Override
      public boolean isDisposed() {
        return !isRunning();
      }
    };
  }

  /** Campaigns without callbacks; follow {@link #leadership()} or poll {@link #isLeader()}. */
  public Disposable run() {
    return run(() -> {}, () -> {});
  }

  public synchronized boolean isRunning() {
    return campaign != null;
  }

  /** True while this process holds the lease and has renewed it within the renew deadline. */
  public boolean isLeader() {
    return leader;
  }

  /**
   * True while this process leads and the last renewal that succeeded began less than {@code
   * renewDeadline} ago by the local monotonic clock. A standby takes the lease over only {@code
   * leaseDuration} after it saw that renewal land, so a write sent while this holds reaches the
   * server before any other process can lead, unless it is delayed by more than {@code
   * leaseDuration - renewDeadline} on its way. Unlike {@link #isLeader()} it turns false on its
   * own, the moment a process frozen past its lease runs again, before the elector's next step.
   */
  public boolean holdsFreshLease() {
    return leader && nanoTime.getAsLong() - renewedAtNanos < config.renewDeadline().toNanos();
  }

  /** The current leadership (replayed to each subscriber), then every change. */
  public Flux<Boolean> leadership() {
    return leadership.asFlux();
  }

  /**
   * Stops campaigning at once: a leader stops leading ({@code onStoppedLeading} runs before this
   * returns) and releases the lease. The result completes when the release is written, or when it
   * could not be (then the lease simply expires); errors are logged, not signalled.
   */
  public Mono<Void> stop() {
    synchronized (this) {
      if (campaign == null) {
        return Mono.empty();
      }
      stopped = true;
      campaign.dispose();
      campaign = null;
      stopLeading();
    }
    Mono<Void> released = release().cache();
    released.subscribe();
    return released;
  }

  /**
   * {@link #stop()}, waiting (at most the renew deadline) for the lease to be released, except on a
   * non-blocking thread, where it does not wait.
   */
  @Override
  public void close() {
    Mono<Void> released = stop();
    if (!Schedulers.isInNonBlockingThread()) {
      try {
        released.block(config.renewDeadline().plusSeconds(1));
      } catch (RuntimeException e) {
        log.warn(config.identity() + ": gave up waiting for the release of lease " + lease, e);
      }
    }
  }

  // The campaign.

  /** Tries every retry period (with jitter) until this process holds the lease. */
  private Mono<Void> acquire() {
    return Mono.defer(() -> tryAcquireOrRenew(config.renewDeadline()))
        .filter(outcome -> outcome == Outcome.LEADING)
        .repeatWhenEmpty(attempts -> attempts.concatMap(i -> Mono.delay(jittered())))
        .then();
  }

  /**
   * Renews every retry period; completes when leadership is lost. As client-go's {@code renew()}:
   * each round starts a retry period after the last one ended and tries every retry period until it
   * renews, giving up when {@code renewDeadline} has passed since the round began (not since the
   * last successful request was sent, which would step down a retry period early).
   */
  private Mono<Void> renewUntilLost() {
    return Mono.delay(config.retryPeriod())
        .then(Mono.defer(this::renewRound))
        .repeat()
        .takeUntil(lost -> lost)
        .then();
  }

  /** One round of renewals; true when leadership is lost. */
  private Mono<Boolean> renewRound() {
    long began = nanoTime.getAsLong();
    return Mono.defer(() -> renewOnce(began))
        .repeatWhenEmpty(attempts -> attempts.concatMap(i -> Mono.delay(config.retryPeriod())));
  }

  /**
   * One try of the round that began at {@code began}: false when renewed, true when leadership is
   * lost, empty to try again.
   */
  private Mono<Boolean> renewOnce(long began) {
    long left = began + config.renewDeadline().toNanos() - nanoTime.getAsLong();
    if (left <= 0) {
      logDeadlinePassed();
      return Mono.just(true);
    }
    return tryAcquireOrRenew(Duration.ofNanos(left))
        .flatMap(
            outcome ->
                switch (outcome) {
                  case LEADING -> Mono.just(false);
                  case HELD_BY_OTHER -> {
                    log.warn(
                        config.identity()
                            + ": lease "
                            + lease
                            + " was taken over by "
                            + holderOf(observedSpec)
                            + "; giving up leadership");
                    yield Mono.just(true);
                  }
                  case FAILED -> {
                    if (nanoTime.getAsLong() - began >= config.renewDeadline().toNanos()) {
                      logDeadlinePassed();
                      yield Mono.just(true);
                    }
                    yield Mono.empty();
                  }
                });
  }

  private void logDeadlinePassed() {
    log.warn(
        config.identity()
            + ": could not renew lease "
            + lease
            + " within "
            + config.renewDeadline()
            + "; giving up leadership");
  }

  /**
   * Reads the lease and, when it is missing, free, expired or ours, writes it with this process as
   * the holder.
   */
  private Mono<Outcome> tryAcquireOrRenew(Duration timeout) {
    return Mono.defer(
        () -> {
          long began = nanoTime.getAsLong();
          return lock.get()
              .flatMap(this::takeOrRenew)
              .onErrorResume(NotFoundException.class, e -> create())
              .timeout(timeout)
              .doOnNext(
                  outcome -> {
                    if (outcome == Outcome.LEADING) {
                      renewedAtNanos = began;
                    }
                  })
              .onErrorResume(
                  e -> {
                    if (e instanceof ConflictException || e instanceof AlreadyExistsException) {
                      // Another candidate wrote the lease first: it won this round.
                      log.debug(config.identity() + ": lost a race for lease " + lease);
                    } else {
                      log.warn(
                          config.identity()
                              + ": failed to acquire or renew lease "
                              + lease
                              + ": "
                              + e);
                    }
                    return Mono.just(Outcome.FAILED);
                  });
        });
  }

  private Mono<Outcome> create() {
    ZonedDateTime now = now();
    Lease fresh =
        new LeaseBuilder()
            .withNewMetadata()
            .withNamespace(config.leaseNamespace())
            .withName(config.leaseName())
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(config.identity())
            .withLeaseDurationSeconds(config.leaseDurationSeconds())
            .withAcquireTime(now)
            .withRenewTime(now)
            .withLeaseTransitions(0)
            .endSpec()
            .build();
    return lock.create(fresh).map(created -> won(created));
  }

  private Mono<Outcome> takeOrRenew(Lease current) {
    LeaseSpec spec = current.getSpec() == null ? new LeaseSpec() : current.getSpec();
    long now = nanoTime.getAsLong();
    observe(spec, now);
    String holder = spec.getHolderIdentity();
    boolean mine = config.identity().equals(holder);
    if (!isEmpty(holder) && !mine && now - observedAtNanos < durationNanos(spec)) {
      return Mono.just(Outcome.HELD_BY_OTHER);
    }
    ZonedDateTime at = now();
    int transitions = spec.getLeaseTransitions() == null ? 0 : spec.getLeaseTransitions();
    LeaseSpec next =
        new LeaseSpecBuilder(spec)
            .withHolderIdentity(config.identity())
            .withLeaseDurationSeconds(config.leaseDurationSeconds())
            .withRenewTime(at)
            .withAcquireTime(mine && spec.getAcquireTime() != null ? spec.getAcquireTime() : at)
            .withLeaseTransitions(mine ? transitions : transitions + 1)
            .build();
    if (!mine) {
      log.info(
          config.identity()
              + ": taking over lease "
              + lease
              + (isEmpty(holder) ? " (released)" : " (expired, held by " + holder + ")"));
    }
    return lock.update(new LeaseBuilder(current).withSpec(next).build())
        .map(updated -> won(updated));
  }

  private Outcome won(Lease written) {
    observe(written.getSpec(), nanoTime.getAsLong());
    return Outcome.LEADING;
  }

  /** Remembers when the lease record last changed, by the local clock. */
  private void observe(LeaseSpec spec, long now) {
    LeaseSpec previous = observedSpec;
    if (Objects.equals(spec, previous)) {
      return;
    }
    observedSpec = spec;
    observedAtNanos = now;
    String holder = holderOf(spec);
    if (!Objects.equals(holder, holderOf(previous)) && !config.identity().equals(holder)) {
      log.info(
          config.identity()
              + ": lease "
              + lease
              + (isEmpty(holder) ? " is free" : " is held by " + holder));
    }
  }

  private long durationNanos(LeaseSpec spec) {
    Integer seconds = spec.getLeaseDurationSeconds();
    return seconds == null || seconds <= 0
        ? config.leaseDuration().toNanos()
        : Duration.ofSeconds(seconds).toNanos();
  }

  private Duration jittered() {
    long period = config.retryPeriod().toNanos();
    double extra =
        ThreadLocalRandom.current().nextDouble() * LeaderElectionConfig.JITTER_FACTOR * period;
    return Duration.ofNanos(period + (long) extra);
  }

  // Transitions, serialised with stop() so a callback never runs after the elector stopped.

  private synchronized void startLeading() {
    if (stopped || leader) {
      return;
    }
    leader = true;
    log.info(config.identity() + ": became the leader of lease " + lease);
    leadership.tryEmitNext(true);
    invoke(onStartedLeading, "onStartedLeading");
  }

  private synchronized void stopLeading() {
    if (!leader) {
      return;
    }
    leader = false;
    log.info(config.identity() + ": stopped leading lease " + lease);
    leadership.tryEmitNext(false);
    invoke(onStoppedLeading, "onStoppedLeading");
  }

  private void invoke(Runnable callback, String name) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      log.error(config.identity() + ": " + name + " failed for lease " + lease, e);
    }
  }

  /**
   * Hands the lease back when the server says this process holds it (also after a write that landed
   * while the campaign was being cancelled): empty holder, 1 s duration, renewed now.
   */
  private Mono<Void> release() {
    return Mono.defer(lock::get)
        .flatMap(
            current -> {
              LeaseSpec spec = current.getSpec();
              if (spec == null || !config.identity().equals(spec.getHolderIdentity())) {
                return Mono.<Lease>empty();
              }
              ZonedDateTime at = now();
              LeaseSpec released =
                  new LeaseSpecBuilder(spec)
                      .withHolderIdentity("")
                      .withLeaseDurationSeconds(1)
                      .withAcquireTime(at)
                      .withRenewTime(at)
                      .build();
              return lock.update(new LeaseBuilder(current).withSpec(released).build());
            })
        // A renewal cancelled in flight may still have landed: read again and retry.
        .retryWhen(Retry.max(3).filter(ConflictException.class::isInstance))
        .timeout(config.renewDeadline())
        .doOnNext(l -> log.info(config.identity() + ": released lease " + lease))
        .onErrorResume(NotFoundException.class, e -> Mono.empty())
        .onErrorResume(
            e -> {
              log.warn(
                  config.identity()
                      + ": could not release lease "
                      + lease
                      + "; it expires after "
                      + config.leaseDuration()
                      + ": "
                      + e);
              return Mono.empty();
            })
        .then();
  }

  private ZonedDateTime now() {
    // MicroTime: RFC 3339 with microseconds, in UTC (the model's format writes a literal 'Z').
    return ZonedDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }

  private static String holderOf(LeaseSpec spec) {
    return spec == null ? null : spec.getHolderIdentity();
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }
}
