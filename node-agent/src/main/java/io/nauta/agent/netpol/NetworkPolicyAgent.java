package io.nauta.agent.netpol;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.nauta.agent.services.SyncLoop;
import io.nauta.core.informer.SharedInformer;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Keeps the enforcement of NetworkPolicies in line with the policies, pods and namespaces of the
 * whole cluster (peers on other nodes are matched by their pod IPs) and the cluster DNS server's
 * Endpoints (see {@link PolicyRules}). Every change of any of them only asks for a sync; syncs run
 * one at a time, at most one per {@code minSyncPeriod} (changes in between are coalesced into the
 * next), and at least one per {@code syncPeriod}, which also repairs rules someone else removed. A
 * sync recomputes every local pod's firewall from the informers' stores and hands it to the
 * enforcement when it changed (or on the periodic sync).
 */
public final class NetworkPolicyAgent implements AutoCloseable {

  private static final Log log = LogFactory.getLog(NetworkPolicyAgent.class);

  private final SharedInformer<NetworkPolicy> policies;
  private final SharedInformer<Pod> pods;
  private final SharedInformer<Namespace> namespaces;
  private final SharedInformer<Endpoints> dnsEndpoints;
  private final Predicate<String> localNode;
  private final PolicyEnforcement enforcement;
  private final Duration minSyncPeriod;
  private final Duration syncPeriod;
  private final Scheduler scheduler = Schedulers.newSingle("network-policy");
  private Disposable running;
  private List<PodFirewall> applied;
  private volatile boolean synced;

  public NetworkPolicyAgent(
      SharedInformer<NetworkPolicy> policies,
      SharedInformer<Pod> pods,
      SharedInformer<Namespace> namespaces,
      SharedInformer<Endpoints> dnsEndpoints,
      Predicate<String> localNode,
      PolicyEnforcement enforcement,
      Duration minSyncPeriod,
      Duration syncPeriod) {
    this.policies = policies;
    this.pods = pods;
    this.namespaces = namespaces;
    this.dnsEndpoints = dnsEndpoints;
    this.localNode = localNode;
    this.enforcement = enforcement;
    this.minSyncPeriod = minSyncPeriod;
    this.syncPeriod = syncPeriod;
  }

  public PolicyEnforcement enforcement() {
    return enforcement;
  }

  /** Starts the informers and, once all have synced, the sync loop. */
  public synchronized void start() {
    if (running != null) {
      return;
    }
    policies.start();
    pods.start();
    namespaces.start();
    dnsEndpoints.start();
    running =
        SyncLoop.start(
            "network policy enforcement",
            Mono.when(policies.synced(), pods.synced(), namespaces.synced(), dnsEndpoints.synced()),
            Flux.<Object>merge(
                policies.events(), pods.events(), namespaces.events(), dnsEndpoints.events()),
            minSyncPeriod,
            syncPeriod,
            scheduler,
            this::syncLogged,
            log);
  }

  /** True once the enforcement reflects the objects known at start. */
  public boolean hasSynced() {
    return synced;
  }

  private void syncLogged(boolean full) {
    try {
      sync(full);
    } catch (RuntimeException e) {
      applied = null;
      log.warn(
          "network policy sync failed (retried on the next change or in "
              + syncPeriod
              + "): "
              + e.getMessage());
    }
  }

  /** One sync, now, on the caller's thread. */
  public synchronized void sync(boolean full) {
    List<PodFirewall> wanted =
        PolicyRules.compute(
            policies.store().list(),
            pods.store().list(),
            namespaces.store().list(),
            dnsEndpoints.store().list(),
            localNode);
    if (full || !wanted.equals(applied)) {
      enforcement.apply(wanted);
      applied = wanted;
    }
    synced = true;
  }

  /** Stops syncing and removes what the enforcement put in place (a graceful stop). */
  @Override
  public synchronized void close() {
    if (running != null) {
      running.dispose();
      running = null;
    }
    scheduler.dispose();
    enforcement.close();
  }
}
