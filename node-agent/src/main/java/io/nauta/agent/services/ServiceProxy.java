package io.nauta.agent.services;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nauta.core.informer.SharedInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The agent's kube-proxy (iptables mode): keeps this host's nat and filter rules in line with the
 * Services and Endpoints. Every change of either only asks for a sync; syncs run one at a time, at
 * most one per {@code minSyncPeriod} (changes in between are coalesced into the next), and at least
 * one per {@code syncPeriod}, which also repairs rules someone else removed. Each sync renders the
 * whole rule set and applies it with one {@code iptables-restore --noflush} (atomic per table).
 */
public final class ServiceProxy implements AutoCloseable {

  private static final Log log = LogFactory.getLog(ServiceProxy.class);

  private final SharedInformer<Service> services;
  private final SharedInformer<Endpoints> endpoints;
  private final ChainNames names;
  private final ServiceRules rules;
  private final Iptables iptables;
  private final ChainHooks hooks;
  private final BridgeHairpin hairpin;
  private final RouteLocalnet routeLocalnet;
  private final Duration minSyncPeriod;
  private final Duration syncPeriod;
  private final Clock clock;
  private final Timer syncTimer;
  private final Timer restoreTimer;
  private final Counter failures;
  private final AtomicInteger ruleCount = new AtomicInteger();
  private final Scheduler scheduler = Schedulers.newSingle("service-proxy");
  private Disposable running;
  private String applied;
  private Instant lastFull;
  private volatile boolean synced;

  /**
   * @param peerCidrs pod networks of other clusters on this host whose pods this cluster's pods
   *     exchange traffic with (see {@link ServiceRules})
   * @param hairpin null when the nodes have no bridges (simulated runtime)
   */
  public ServiceProxy(
      SharedInformer<Service> services,
      SharedInformer<Endpoints> endpoints,
      ChainNames names,
      String clusterCidr,
      List<String> peerCidrs,
      Iptables iptables,
      BridgeHairpin hairpin,
      Duration minSyncPeriod,
      Duration syncPeriod,
      MeterRegistry meters,
      Clock clock) {
    this(
        services,
        endpoints,
        names,
        clusterCidr,
        peerCidrs,
        iptables,
        hairpin,
        minSyncPeriod,
        syncPeriod,
        meters,
        clock,
        new RouteLocalnet(RouteLocalnet.SYSCTL));
  }

  ServiceProxy(
      SharedInformer<Service> services,
      SharedInformer<Endpoints> endpoints,
      ChainNames names,
      String clusterCidr,
      List<String> peerCidrs,
      Iptables iptables,
      BridgeHairpin hairpin,
      Duration minSyncPeriod,
      Duration syncPeriod,
      MeterRegistry meters,
      Clock clock,
      RouteLocalnet routeLocalnet) {
    this.routeLocalnet = routeLocalnet;
    this.services = services;
    this.endpoints = endpoints;
    this.names = names;
    this.rules = new ServiceRules(names, clusterCidr, peerCidrs);
    this.iptables = iptables;
    this.hooks = new ChainHooks(names, iptables);
    this.hairpin = hairpin;
    this.minSyncPeriod = minSyncPeriod;
    this.syncPeriod = syncPeriod;
    this.clock = clock;
    this.syncTimer =
        Timer.builder("nauta.agent.service.proxy.sync")
            .description("one sync of the service rules: render, read, restore, hooks")
            .publishPercentiles(0.5, 0.99)
            .register(meters);
    this.restoreTimer =
        Timer.builder("nauta.agent.service.proxy.restore")
            .description("the iptables-restore of a sync")
            .publishPercentiles(0.5, 0.99)
            .register(meters);
    this.failures = Counter.builder("nauta.agent.service.proxy.sync.failures").register(meters);
    Gauge.builder("nauta.agent.service.proxy.rules", ruleCount, AtomicInteger::get)
        .description("iptables rules the service proxy programs (nat + filter)")
        .register(meters);
  }

  public ChainNames names() {
    return names;
  }

  /** Starts the informers and, once both have synced, the sync loop. */
  public synchronized void start() {
    if (running != null) {
      return;
    }
    services.start();
    endpoints.start();
    running =
        SyncLoop.start(
            "service proxy",
            Mono.when(services.synced(), endpoints.synced()),
            Flux.<Object>merge(services.events(), endpoints.events()),
            minSyncPeriod,
            syncPeriod,
            scheduler,
            full -> syncLogged(),
            log);
    log.info("service proxy: iptables chains " + names.prefix() + "-*");
  }

  /** True once the rules reflect the services known at start. */
  public boolean hasSynced() {
    return synced;
  }

  private void syncLogged() {
    try {
      sync();
    } catch (RuntimeException e) {
      failures.increment();
      applied = null;
      log.warn(
          "service proxy sync failed (retried on the next change or in "
              + syncPeriod
              + "): "
              + e.getMessage());
    }
  }

  /** One sync, now, on the caller's thread. */
  public synchronized void sync() {
    long start = System.nanoTime();
    boolean full = lastFull == null || !clock.instant().isBefore(lastFull.plus(syncPeriod));
    RuleSet wanted = rules.render(services.store().list(), key -> endpoints.store().get(key));
    SavedRules saved = SavedRules.parse(iptables.save());
    String script =
        wanted.restoreScript(saved.ownChains("nat", names), saved.ownChains("filter", names));
    if (full || !script.equals(applied)) {
      long r = System.nanoTime();
      iptables.restore(script);
      restoreTimer.record(Duration.ofNanos(System.nanoTime() - r));
      applied = script;
    }
    hooks.ensure(saved);
    // Only now: the INPUT drop of martian packets to 127/8 is in place (CVE-2020-8558).
    routeLocalnet.enable();
    if (hairpin != null) {
      hairpin.apply();
    }
    if (full) {
      lastFull = clock.instant();
    }
    ruleCount.set(wanted.ruleCount());
    syncTimer.record(Duration.ofNanos(System.nanoTime() - start));
    synced = true;
  }

  /** Stops syncing and removes this agent's hooks and chains (a graceful stop). */
  @Override
  public synchronized void close() {
    if (running != null) {
      running.dispose();
      running = null;
    }
    // The informers are the agent's (the pods' service variables read the same Services).
    scheduler.dispose();
    boolean othersRely = false;
    try {
      othersRely = otherAgentsHookInput(hooks.removeWithChains(names));
      log.info("service proxy: removed the chains " + names.prefix() + "-*");
    } catch (RuntimeException e) {
      log.warn(
          "service proxy: could not remove its chains " + names.prefix() + "-*: " + e.getMessage());
    }
    // Another agent on this host still serves node ports on 127.x (and has its own drop in place):
    // it keeps route_localnet on, and the last one to stop puts the old value back.
    if (!othersRely) {
      routeLocalnet.restore();
    }
  }

  private boolean otherAgentsHookInput(SavedRules saved) {
    for (String rule : saved.rules("filter", "INPUT")) {
      String target = SavedRules.target(rule);
      if (target != null && target.matches(ChainNames.PATTERN) && !names.owns(target)) {
        return true;
      }
    }
    return false;
  }
}
