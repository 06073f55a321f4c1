package io.nauta.core.component;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.ClientRateLimit;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.LeaseFence;
import io.nauta.core.client.WriteFence;
import io.nauta.core.controller.Controller;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.leaderelection.LeaderElectionConfig;
import io.nauta.core.leaderelection.LeaderElector;
import io.nauta.core.registry.BuiltInResources;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs one Nauta component in the role of controller-runtime's Manager: it owns the API client and
 * the shared informers, starts the informers, and once they have synced campaigns for the
 * component's lease (when leader election is on); the work registered {@link #whileLeading} runs
 * only while this process leads; the campaign speaks to the API server on a client of its own (its
 * own connections and event loop, no rate limit), so renewals do not queue behind the component's
 * own requests. A component without leader election (the node agent) leads from the moment its
 * informers synced until it stops. Work registered {@link #whileRunning} (node upkeep, a service
 * proxy, feeding informer events into a cache) runs from {@link #start} to {@link #stop}, leader or
 * not.
 *
 * <p>Order: {@link #start} starts the running work (in registration order, before the informers, so
 * it may subscribe to their events first), then the informers, then, once they synced, the leader
 * work. {@link #stop} stops the leader work, then the running work (each in reverse order), then
 * closes the informers.
 *
 * <p>Losing the lease is decided here, once for every component: all work is stopped at once
 * (queues dropped, reconciles in flight cancelled), the process stops campaigning, and the {@link
 * LeaseLossAction} runs, in production an exit so the launcher starts a fresh process. It never
 * leads again with the state it had: a re-acquired lease would otherwise run on stale caches and
 * expectations beside whatever the other leader did meanwhile. A component whose leader work keeps
 * nothing from one start to the next (the federation gateway's controllers, whose process also
 * serves the users' API) asks instead to {@linkplain Builder#campaignAgainAfterLeaseLoss() campaign
 * again}: the work is cancelled the same way, the informers keep running as a standby's do, and the
 * work starts afresh if the lease is won again. Stopping the runner ({@link #stop}) is not a loss:
 * the work stops and the lease is released for a standby.
 *
 * <p>An informer that sees the storage go back in time (Redis lost or rewound its data) is handled
 * the same way, leader or not: every cache, queue and expectation of this process may describe
 * writes that no longer exist, and a re-list alone does not undo what was built on them, so the
 * process stops its work and the {@link LeaseLossAction#storageRewound} runs (an exit and a fresh
 * start in production), as Kubernetes asks of every component after an etcd restore.
 *
 * <p>A {@link ConnectionProbe} asks the API server for {@code /version} every few seconds on the
 * component's client and closes all its connections when the server stops answering (and once more
 * when it answers again), so informers whose watches sat on a connection that a broken network
 * keeps open and silent watch again at once, for every component, leader-elected or not.
 */
public final class ComponentRunner {

  private static final Log log = LogFactory.getLog(ComponentRunner.class);
  private static final String LEASES_API = "/apis/coordination.k8s.io/";

  /**
   * How often the {@link ConnectionProbe} asks the API server, unless the builder says otherwise.
   */
  public static final Duration DEFAULT_PROBE_PERIOD = Duration.ofSeconds(10);

  /** How long a probe waits for its answer, unless the builder says otherwise. */
  public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(5);

  private final String component;
  private final KubeClient client;
  private final KubeClient electionClient;
  private final InformerFactory informers;
  private final Campaign campaign;
  private final LeaseLossAction onLeaseLost;
  private final boolean campaignAgain;
  private final AtomicInteger leaseLosses = new AtomicInteger();
  private final List<LeaderWork> work = new CopyOnWriteArrayList<>();
  private final List<LeaderWork> always = new CopyOnWriteArrayList<>();
  private final List<ReadinessCheck> readiness = new CopyOnWriteArrayList<>();
  private volatile ConnectionProbe connectionProbe;

  private final Object workLock = new Object();
  private volatile boolean leading;
  private volatile boolean fenceReported;

  private volatile boolean started;
  private volatile boolean stopping;
  private volatile boolean leaseLost;
  private volatile boolean storageRewound;
  private Disposable waiting;
  private Disposable rewinds;

  private ComponentRunner(Builder b) {
    this.component = b.component;
    this.client = b.client != null ? b.client : new KubeClient(b.clientConfig);
    if (b.client == null) {
      client.userAgent(userAgent(component));
    }
    if (b.rateLimit != null) {
      client.limitRate(b.rateLimit);
    }
    this.informers = new InformerFactory(client);
    this.connectionProbe =
        b.probePeriod.isZero()
            ? null
            : new ConnectionProbe(component, client, b.probePeriod, b.probeTimeout);
    this.onLeaseLost = b.onLeaseLost;
    this.campaignAgain = b.campaignAgain;
    if (b.campaign == null && b.leaderElection != null) {
      // kube-controller-manager's leader election has a client of its own: renewals must not wait
      // for the rate limit, a pooled connection or an event loop behind a flood of creates.
      this.electionClient =
          client.withOwnConnections(
              component.replaceAll("[^A-Za-z0-9]+", "-") + "-leader-election");
      this.campaign =
          Campaign.of(
              new LeaderElector(
                  electionClient.resource(BuiltInResources.LEASES, Lease.class),
                  b.leaderElection,
                  b.meters));
    } else {
      this.electionClient = null;
      this.campaign = b.campaign;
    }
    if (campaign != null) {
      LeaseFence lease = campaign.fence();
      if (lease != null) {
        client.fenceWrites(this::writeRefusal, lease);
      } else {
        client.fenceWrites(this::writeRefusal);
      }
    }
  }

  /**
   * The fence on a leader-elected component's writes: only while it leads on a fresh lease (the
   * elector's own lease requests excepted). A process frozen past its lease (kill -STOP, a long GC
   * or VM pause) resumes with reconciles and queued creates in flight; without this they would go
   * out in the moment before its elector sees the lease is gone, beside the new leader's.
   */
  private String writeRefusal(HttpMethod method, URI target) {
    if (target.getPath().startsWith(LEASES_API)) {
      return null;
    }
    return leaderRefusal();
  }

  /** Why leader work may not write now, or {@code null} while it leads on a fresh lease. */
  private String leaderRefusal() {
    if (!leading) {
      return component + " is not leading";
    }
    if (campaign == null || campaign.holdsFreshLease()) {
      if (fenceReported) {
        fenceReported = false;
      }
      return null;
    }
    if (!fenceReported) {
      fenceReported = true;
      log.warn(component + ": lease not renewed within its renew deadline; writes refused");
    }
    return component + "'s lease was not renewed within its renew deadline";
  }

  /**
   * The fence this runner's own client has, for the other clients its leader work writes with (the
   * federation gateway's member clusters, which know nothing of this component's lease): a write
   * goes out only while this process leads on a lease renewed within its renew deadline, checked
   * when the request is about to be sent. Unlike the own client's, no path is exempt.
   */
  public WriteFence leaderFence() {
    return (method, target) -> leaderRefusal();
  }

  /**
   * A runner for {@code component} (its name in logs) talking to the API server of {@code config}.
   */
  public static Builder builder(String component, ClientConfig config) {
    return new Builder(component, Objects.requireNonNull(config, "config"), null);
  }

  /** A runner on an existing client (tests, benchmarks). */
  public static Builder builder(String component, KubeClient client) {
    return new Builder(component, null, Objects.requireNonNull(client, "client"));
  }

  /**
   * The User-Agent of a component's requests, {@code nauta-<component>/<version> (<os>/<arch>)} as
   * client-go's default: so managedFields name {@code nauta-controller-manager} rather than the
   * HTTP library, as Kubernetes' name {@code kube-controller-manager}.
   */
  static String userAgent(String component) {
    String version = ComponentRunner.class.getPackage().getImplementationVersion();
    return "nauta-"
        + component.replaceAll("[^A-Za-z0-9]+", "-")
        + "/"
        + (version == null ? "dev" : version)
        + " ("
        + System.getProperty("os.name", "unknown").toLowerCase(java.util.Locale.ROOT)
        + "/"
        + System.getProperty("os.arch", "unknown")
        + ")";
  }

  /** A leader-election identity unique to this process: host name and a random UUID. */
  public static String identity() {
    return ComponentProbes.hostName() + "_" + UUID.randomUUID();
  }

  public KubeClient client() {
    return client;
  }

  /** The shared informers; every informer handed out before {@link #start} is started by it. */
  public InformerFactory informers() {
    return informers;
  }

  /** Registers work to run while this process leads; call before {@link #start}. */
  public ComponentRunner whileLeading(LeaderWork w) {
    work.add(Objects.requireNonNull(w, "work"));
    return this;
  }

  public ComponentRunner whileLeading(Controller controller) {
    return whileLeading(LeaderWork.of(controller));
  }

  /**
   * Registers work that runs from {@link #start} to {@link #stop} whether or not this process
   * leads; call before {@link #start}. It starts before the informers and stops after the leader
   * work.
   */
  public ComponentRunner whileRunning(LeaderWork w) {
    always.add(Objects.requireNonNull(w, "work"));
    return this;
  }

  /**
   * Adds a condition of {@code /readyz} besides the informers' sync, e.g. the agent's nodes being
   * registered; {@code notReadyText} is the probe's answer while it does not hold.
   */
  public ComponentRunner readyWhen(BooleanSupplier check, String notReadyText) {
    readiness.add(new ReadinessCheck(check, notReadyText));
    return this;
  }

  /**
   * The component closes its client's stuck connections by a means of its own (the node agent: its
   * Lease renewals, as the kubelet's), so the runner's {@linkplain Builder#connectionProbe
   * connection probe} does not run; call before {@link #start}.
   */
  public ComponentRunner withoutConnectionProbe(String why) {
    if (connectionProbe != null) {
      log.info(component + ": no connection probe: " + why);
      connectionProbe = null;
    }
    return this;
  }

  /**
   * How many times the connection probe closed the client's connections since the runner started (0
   * without a probe).
   */
  public int connectionProbeCloses() {
    ConnectionProbe probe = connectionProbe;
    return probe == null ? 0 : probe.closes();
  }

  private record ReadinessCheck(BooleanSupplier check, String notReadyText) {}

  /** What keeps this component from being ready, or {@code null} when it is ready. */
  private String notReady() {
    if (!informers.hasSynced()) {
      return "informers not synced";
    }
    for (ReadinessCheck c : readiness) {
      if (!c.check().getAsBoolean()) {
        return c.notReadyText();
      }
    }
    return null;
  }

  /** True once the informers have synced and every {@link #readyWhen} condition holds. */
  public boolean isReady() {
    return notReady() == null;
  }

  /**
   * {@code /readyz} once the informers have synced (and every {@link #readyWhen} condition holds);
   * {@code /healthz} and {@code /livez} fail once the lease was lost (kube-controller-manager's
   * leader-election health check), so a supervisor that does not see the exit still sees a process
   * that must be replaced.
   */
  public RouterFunction<ServerResponse> probes() {
    return ComponentProbes.routes(
        this::notReady,
        () -> !leaseLost && !storageRewound,
        "must start afresh: leader lease lost or storage went back in time");
  }

  /** Starts the informers, then (once they synced) campaigns or, without election, leads. */
  public synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    for (LeaderWork w : always) {
      w.start();
    }
    rewinds =
        Flux.merge(informers.informers().stream().map(SharedInformer::storageRewinds).toList())
            .take(1)
            .subscribe(this::onStorageRewound);
    informers.startAll();
    if (connectionProbe != null) {
      connectionProbe.start();
    }
    waiting =
        Flux.fromIterable(informers.informers())
            .flatMap(SharedInformer::synced)
            .then(Mono.fromRunnable(this::onSynced))
            .subscribe(null, e -> log.error(component + ": informers failed to sync", e));
    log.info(
        component
            + ": started; work while running: "
            + always.stream().map(LeaderWork::name).toList()
            + ", while leading: "
            + work.stream().map(LeaderWork::name).toList()
            + (campaign == null ? " (no leader election)" : ""));
  }

  private void onSynced() {
    synchronized (this) {
      if (stopping) {
        return;
      }
    }
    log.info(component + ": informers synced");
    if (campaign == null) {
      startWork();
    } else {
      campaign.run(this::startWork, this::onStoppedLeading);
    }
  }

  /**
   * Stops the leader work, gives the lease back (if held), stops the running work and closes the
   * informers.
   */
  public void stop() {
    synchronized (this) {
      if (!started || stopping) {
        return;
      }
      stopping = true;
      if (waiting != null) {
        waiting.dispose();
      }
      if (rewinds != null) {
        rewinds.dispose();
      }
    }
    // Outside this object's lock: the elector calls back into the runner under its own lock.
    if (campaign != null) {
      campaign.close();
    }
    if (electionClient != null) {
      electionClient.close();
    }
    if (connectionProbe != null) {
      connectionProbe.stop();
    }
    stopWork();
    stopAll(always);
    informers.close();
  }

  public boolean isRunning() {
    return started && !stopping;
  }

  public boolean isLeading() {
    synchronized (workLock) {
      return leading;
    }
  }

  /** True once an informer saw the storage go back in time; the runner then never leads again. */
  public boolean storageRewound() {
    return storageRewound;
  }

  /**
   * True once the lease was lost; the runner then never leads again (unless it was built to
   * {@linkplain Builder#campaignAgainAfterLeaseLoss() campaign again}, when this stays false).
   */
  public boolean leaseLost() {
    return leaseLost;
  }

  /** How many times this runner lost its lease while leading. */
  public int leaseLosses() {
    return leaseLosses.get();
  }

  private void startWork() {
    synchronized (workLock) {
      if (leading || leaseLost || storageRewound || stopping) {
        return;
      }
      leading = true;
      log.info(component + ": leading; starting " + work.size() + " pieces of work");
      for (LeaderWork w : work) {
        w.start();
      }
    }
  }

  private void stopWork() {
    synchronized (workLock) {
      if (!leading) {
        return;
      }
      leading = false;
      stopAll(work);
    }
  }

  /** Stops each piece of {@code pieces} in reverse order; one failing does not keep the rest. */
  private void stopAll(List<LeaderWork> pieces) {
    List<LeaderWork> reversed = new ArrayList<>(pieces);
    Collections.reverse(reversed);
    for (LeaderWork w : reversed) {
      try {
        w.stop();
      } catch (RuntimeException e) {
        log.error(component + ": stopping " + w.name() + " failed", e);
      }
    }
  }

  private void onStoppedLeading() {
    if (stopping) {
      stopWork();
      return;
    }
    synchronized (workLock) {
      if (leaseLost || storageRewound) {
        // After a rewind the runner closed the campaign itself: not a second loss.
        return;
      }
      leaseLosses.incrementAndGet();
      if (campaignAgain) {
        // The elector campaigns on by itself; the work starts afresh if it leads again.
        stopWork();
        log.error(
            component
                + ": lost its leader lease; every piece of work was cancelled, campaigning again");
        return;
      }
      leaseLost = true;
    }
    stopWork();
    log.error(component + ": lost its leader lease; every piece of work was cancelled");
    // Never campaign again from this state; closed on another thread, as this one runs inside the
    // elector's callback.
    Schedulers.boundedElastic().schedule(campaign::close);
    try {
      onLeaseLost.leaseLost(component);
    } catch (RuntimeException e) {
      log.error(component + ": the lease-loss action failed", e);
    }
  }

  private void onStorageRewound(String how) {
    synchronized (workLock) {
      if (stopping || storageRewound || leaseLost) {
        return;
      }
      storageRewound = true;
    }
    stopWork();
    log.error(
        component
            + ": the storage went back in time ("
            + how
            + "); what this process remembers may name writes that no longer exist: every piece"
            + " of work was cancelled");
    if (campaign != null) {
      // Another thread: closing releases the lease, and this one is an informer's.
      Schedulers.boundedElastic().schedule(campaign::close);
    }
    try {
      onLeaseLost.storageRewound(component);
    } catch (RuntimeException e) {
      log.error(component + ": the storage-rewind action failed", e);
    }
  }

  public static final class Builder {
    private final String component;
    private final ClientConfig clientConfig;
    private final KubeClient client;
    private MeterRegistry meters = new CompositeMeterRegistry();
    private LeaderElectionConfig leaderElection;
    private Campaign campaign;
    private LeaseLossAction onLeaseLost = LeaseLossAction.exitProcess();
    private ClientRateLimit rateLimit;
    private boolean campaignAgain;
    private Duration probePeriod = DEFAULT_PROBE_PERIOD;
    private Duration probeTimeout = DEFAULT_PROBE_TIMEOUT;

    private Builder(String component, ClientConfig clientConfig, KubeClient client) {
      this.component = Objects.requireNonNull(component, "component");
      this.clientConfig = clientConfig;
      this.client = client;
    }

    public Builder meterRegistry(MeterRegistry meters) {
      this.meters = Objects.requireNonNull(meters, "meters");
      return this;
    }

    /**
     * Every request of the component's client waits for a token of a bucket of {@code limit}
     * (client-go's QPS and Burst); default: the client's own setting, unlimited unless the caller
     * set one.
     */
    public Builder rateLimit(ClientRateLimit limit) {
      this.rateLimit = Objects.requireNonNull(limit, "limit");
      return this;
    }

    /** Campaigns for this lease before leading; without it the process leads at once. */
    public Builder leaderElection(LeaderElectionConfig config) {
      this.leaderElection = config;
      return this;
    }

    /** A campaign of the test's own, instead of a {@link LeaderElector}. */
    public Builder campaign(Campaign campaign) {
      this.campaign = campaign;
      return this;
    }

    /** What happens after the lease was lost; default {@link LeaseLossAction#exitProcess()}. */
    public Builder onLeaseLost(LeaseLossAction action) {
      this.onLeaseLost = Objects.requireNonNull(action, "action");
      return this;
    }

    /**
     * After a lost lease the work is cancelled as ever, but the process keeps running and
     * campaigning, its informers with it, and starts the work afresh when it leads again; the
     * {@link LeaseLossAction} then runs only for a storage rewind. For components whose leader work
     * keeps nothing from one start to the next that a new term could trust (each start enqueues
     * every key again and reads what it acts on afresh) and whose process does more than that work:
     * the federation gateway, whose API is the users' entry point.
     */
    public Builder campaignAgainAfterLeaseLoss() {
      this.campaignAgain = true;
      return this;
    }

    /**
     * How often the runner asks the API server for {@code /version} on the component's client, and
     * how long it waits for an answer; two probes in a row without one close every connection of
     * the client, and the first answer after failures closes them once more ({@link
     * ConnectionProbe}), so informers stuck on a silent connection watch again on a fresh one.
     * Default {@link #DEFAULT_PROBE_PERIOD} (10 s) and {@link #DEFAULT_PROBE_TIMEOUT} (5 s); a zero
     * period turns the probe off.
     */
    public Builder connectionProbe(Duration period, Duration timeout) {
      if (period.isNegative() || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(
            "connection probe: period must not be negative, timeout must be positive: "
                + period
                + ", "
                + timeout);
      }
      this.probePeriod = period;
      this.probeTimeout = timeout;
      return this;
    }

    public ComponentRunner build() {
      return new ComponentRunner(this);
    }
  }
}
