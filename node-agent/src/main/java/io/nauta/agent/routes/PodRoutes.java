package io.nauta.agent.routes;

import io.fabric8.kubernetes.api.model.Node;
import io.nauta.agent.routes.IpRoutes.Route;
import io.nauta.agent.services.SyncLoop;
import io.nauta.core.informer.SharedInformer;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Host-gw routing, as flannel's host-gw backend: keeps {@code ip route replace <podCIDR> via
 * <InternalIP>} for every other node (see {@link RoutePlan} for which), so pods of nodes on one L2
 * segment reach each other by pod IP, unencapsulated and without NAT. Its routes carry a protocol
 * number of their own ({@code proto}), by which it lists them and removes exactly those that no
 * node wants any more; it touches no other route.
 *
 * <p>Level-triggered: each sync reads the kernel's routes of that protocol and the Nodes in the
 * informer's cache, so a restarted agent adopts the routes already there ({@code replace} is
 * idempotent) and removes stale ones in its first sync; every {@code syncPeriod} it repairs what
 * someone removed. While the API server is away the cache stays as it was, and so do the routes. A
 * route {@code ip} refuses (the gateway not on a directly connected network: the nodes are not on
 * one L2 segment) is left to whatever route covers it, with one warning per route and reason, and
 * tried again on the next sync.
 */
public final class PodRoutes implements AutoCloseable {

  private static final Log log = LogFactory.getLog(PodRoutes.class);

  private final SharedInformer<Node> nodes;
  private final Supplier<Collection<Node>> known;
  private final RoutePlan plan;
  private final IpRoutes ip;
  private final int protocol;
  private final Duration minSyncPeriod;
  private final Duration syncPeriod;
  private final Set<String> warned = new HashSet<>();
  private final Scheduler scheduler = Schedulers.newSingle("pod-routes");
  private Disposable running;

  /**
   * @param clusterCidr the cluster's pod network: only routes into it are made or removed
   * @param localNodes this agent's nodes (their pod ranges are on local bridges)
   * @param localPodCidrs their pod ranges
   * @param protocol the {@code proto} number that marks this component's routes
   */
  public PodRoutes(
      SharedInformer<Node> nodes,
      String clusterCidr,
      Set<String> localNodes,
      Set<String> localPodCidrs,
      IpRoutes ip,
      int protocol,
      Duration minSyncPeriod,
      Duration syncPeriod) {
    this(
        nodes,
        () -> nodes.store().list(),
        clusterCidr,
        localNodes,
        localPodCidrs,
        ip,
        protocol,
        minSyncPeriod,
        syncPeriod);
  }

  /** With {@code known} the Nodes a sync reads (a test's, without an informer). */
  PodRoutes(
      SharedInformer<Node> nodes,
      Supplier<Collection<Node>> known,
      String clusterCidr,
      Set<String> localNodes,
      Set<String> localPodCidrs,
      IpRoutes ip,
      int protocol,
      Duration minSyncPeriod,
      Duration syncPeriod) {
    this.nodes = nodes;
    this.known = known;
    this.plan = new RoutePlan(clusterCidr, Set.copyOf(localNodes), Set.copyOf(localPodCidrs));
    this.ip = ip;
    this.protocol = protocol;
    this.minSyncPeriod = minSyncPeriod;
    this.syncPeriod = syncPeriod;
  }

  /** Starts the informer and, once it has synced, the sync loop. */
  public synchronized void start() {
    if (running != null) {
      return;
    }
    nodes.start();
    running =
        SyncLoop.start(
            "pod routes",
            nodes.synced(),
            nodes.events(),
            minSyncPeriod,
            syncPeriod,
            scheduler,
            full -> syncLogged(),
            log);
    log.info("pod routes: host-gw routes to other nodes' pod ranges, proto " + protocol);
  }

  private void syncLogged() {
    try {
      sync();
    } catch (RuntimeException e) {
      log.warn("pod routes: sync failed (retried in " + syncPeriod + "): " + e.getMessage());
    }
  }

  /** One sync, now, on the caller's thread; a route that fails does not stop the others. */
  public synchronized void sync() {
    Map<String, Route> wanted = plan.wanted(known.get(), ip.localAddresses());
    RoutePlan.Changes changes = plan.changes(wanted, ip.list(protocol));
    for (Route r : changes.delete()) {
      apply("remove", r, () -> ip.delete(r, protocol));
    }
    for (Route r : changes.replace()) {
      apply("add", r, () -> ip.replace(r, protocol));
    }
  }

  private void apply(String what, Route r, Runnable change) {
    String route = r.destination() + " via " + r.gateway();
    try {
      change.run();
      log.info("pod routes: " + (what.equals("add") ? "added " : "removed ") + route);
      warned.removeIf(w -> w.startsWith(route + ": "));
    } catch (IpRoutes.IpException e) {
      // Once per route and reason: a gateway off-link stays so until the network changes.
      if (warned.add(route + ": " + e.getMessage())) {
        log.warn(
            "pod routes: could not "
                + what
                + " "
                + route
                + " (left to the routes already there; tried again every "
                + syncPeriod
                + "): "
                + e.getMessage());
      }
    }
  }

  /**
   * Stops syncing and removes this agent's routes (a graceful stop: the pods behind them are
   * reachable only while the agent keeps them current).
   */
  @Override
  public synchronized void close() {
    if (running != null) {
      running.dispose();
      running = null;
    }
    scheduler.dispose();
    try {
      List<Route> ours = plan.changes(Map.of(), ip.list(protocol)).delete();
      for (Route r : ours) {
        apply("remove", r, () -> ip.delete(r, protocol));
      }
    } catch (RuntimeException e) {
      log.warn("pod routes: could not remove its routes: " + e.getMessage());
    }
  }
}
