package io.nauta.agent.services;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nauta.core.informer.SharedInformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
  private static final Path ROUTE_LOCALNET = Path.of("/proc/sys/net/ipv4/conf/all/route_localnet");

  private final SharedInformer<Service> services;
  private final SharedInformer<Endpoints> endpoints;
  private final ChainNames names;
  private final ServiceRules rules;
  private final Iptables iptables;
  private final ChainHooks hooks;
  private final BridgeHairpin hairpin;
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
   * @param hairpin null when the nodes have no bridges (simulated runtime)
   */
  public ServiceProxy(
      SharedInformer<Service> services,
      SharedInformer<Endpoints> endpoints,
      ChainNames names,
      String clusterCidr,
      Iptables iptables,
      BridgeHairpin hairpin,
      Duration minSyncPeriod,
      Duration syncPeriod,
      MeterRegistry meters,
      Clock clock) {
    this.services = services;
    this.endpoints = endpoints;
    this.names = names;
    this.rules = new ServiceRules(names, clusterCidr);
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
    allowLocalnetNodePorts();
    services.start();
    endpoints.start();
    Flux<Object> triggers =
        Flux.merge(
            services.events().map(e -> (Object) e),
            endpoints.events().map(e -> (Object) e),
            Flux.interval(Duration.ZERO, syncPeriod).map(t -> (Object) t));
    running =
        Mono.when(services.synced(), endpoints.synced())
            .thenMany(triggers)
            .onBackpressureLatest()
            .concatMap(
                t ->
                    Mono.fromRunnable(this::syncLogged)
                        .subscribeOn(scheduler)
                        .then(Mono.delay(minSyncPeriod)),
                1)
            .subscribe(null, e -> log.error("service proxy stopped", e));
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

  /**
   * Node ports on a 127.x node address (several nodes in one process) are DNATed to pods on a
   * bridge, which the kernel refuses for loopback sources unless route_localnet is on; kube-proxy
   * sets it for the same reason. Left on at stop: other agents on the host may rely on it.
   */
  private static void allowLocalnetNodePorts() {
    try {
      if (!"1".equals(Files.readString(ROUTE_LOCALNET).trim())) {
        Files.writeString(ROUTE_LOCALNET, "1");
        log.info("set net.ipv4.conf.all.route_localnet=1 for node ports on loopback addresses");
      }
    } catch (IOException e) {
      log.warn(
          "could not set net.ipv4.conf.all.route_localnet=1 ("
              + e.getMessage()
              + "): node ports on 127.x addresses will not answer");
    }
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
    try {
      SavedRules saved = SavedRules.parse(iptables.save());
      hooks.remove(saved, names);
      iptables.restore(
          RuleSet.deleteScript(saved.ownChains("nat", names), saved.ownChains("filter", names)));
      log.info("service proxy: removed the chains " + names.prefix() + "-*");
    } catch (RuntimeException e) {
      log.warn(
          "service proxy: could not remove its chains " + names.prefix() + "-*: " + e.getMessage());
    }
  }
}
