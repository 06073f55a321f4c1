package io.nauta.controllers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.api.support.BlackHoleProxy;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Flux;

/**
 * Issue 11, item 12: the leading controller manager is cut off from the API server (a proxy that
 * black-holes its connections) for longer than its renew deadline while it still has a backlog of
 * pod creates; the standby takes over; then the cut heals. At no moment may a replica set have more
 * pods than it wants: the old leader must have stopped all its work when its lease ran out, not
 * finish its backlog on what it last saw once the network is back.
 */
class ControllerManagerLeaseLossIT {

  private static final Duration T = Duration.ofSeconds(20);
  private static final int REPLICA_SETS = 50;
  private static final int REPLICAS = 10;

  /**
   * Kubernetes' default timings, so that a loaded test machine does not miss a renewal by itself
   * (the cut must be what ends the leadership): the leader gives up 10 s after its last renewal,
   * the standby takes over 15 s after it last saw the lease change.
   */
  private static final String[] TIMINGS = {
    "nauta.controllers.leader-election.lease-duration=15s",
    "nauta.controllers.leader-election.renew-deadline=10s",
    "nauta.controllers.leader-election.retry-period=2s"
  };

  private TestCluster cluster;
  private BlackHoleProxy proxy;
  private SharedInformer<Pod> watcher;

  /** Live (not deleting) pods per app label, as every pod event leaves them, and the maximum. */
  private final Map<String, Set<String>> live = new ConcurrentHashMap<>();

  private final Map<String, AtomicInteger> max = new ConcurrentHashMap<>();

  @BeforeEach
  void start() {
    // Only the API server: pods stay pending, so every write the test waits for is the
    // controllers'.
    cluster = TestCluster.startWithoutControllers(0, "0");
    proxy = BlackHoleProxy.to(cluster.api.url());
    watcher =
        new SharedInformer<>(cluster.client.resource(BuiltInResources.PODS, Pod.class), "default");
    watcher.events().subscribe(this::count);
    watcher.start();
    watcher.synced().block(T);
  }

  @AfterEach
  void stop() {
    if (watcher != null) {
      watcher.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  private synchronized void count(InformerEvent<Pod> event) {
    Pod pod = event.object();
    String app =
        pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get("app");
    if (app == null) {
      return;
    }
    Set<String> pods = live.computeIfAbsent(app, a -> ConcurrentHashMap.newKeySet());
    String key = InformerStore.keyOf(pod);
    if (event.type() == InformerEvent.Type.DELETED
        || pod.getMetadata().getDeletionTimestamp() != null) {
      pods.remove(key);
    } else {
      pods.add(key);
    }
    max.computeIfAbsent(app, a -> new AtomicInteger()).accumulateAndGet(pods.size(), Math::max);
  }

  @Test
  void aLeaderCutOffPastItsRenewDeadlineStopsAndNoReplicaSetEverHasTooManyPods() {
    ConfigurableApplicationContext leader = cluster.startControllerManagerVia(proxy.url(), TIMINGS);
    await().atMost(T).until(() -> leaderGauge(leader) == 1.0);
    String leaderIdentity = holder();
    cluster.startControllerManager(TIMINGS);

    ResourceClient<ReplicaSet> replicaSets =
        cluster.client.resource(BuiltInResources.REPLICASETS, ReplicaSet.class);
    Flux.range(0, REPLICA_SETS)
        .flatMap(i -> replicaSets.create(replicaSet("rs-" + i)), 8)
        .blockLast(T);
    // Cut the leader off while most of its 500 creates are still to come.
    await().atMost(T).until(() -> livePods() >= 20);
    proxy.blackHole();
    int atCut = livePods();
    assertThat(atCut).as("a backlog is left at the cut").isLessThan(REPLICA_SETS * REPLICAS / 2);

    // The standby leads once the leader's lease has run out and creates the rest.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !holder().isEmpty() && !holder().equals(leaderIdentity));
    await().atMost(Duration.ofSeconds(120)).until(() -> livePods() == REPLICA_SETS * REPLICAS);

    // The network heals: the old leader's stuck requests fail and its informers catch up.
    proxy.forward();
    proxy.closeBlackHoled();
    await()
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(30))
        .until(() -> livePods() == REPLICA_SETS * REPLICAS);

    assertThat(max.values().stream().mapToInt(AtomicInteger::get).max().orElse(0))
        .as("the most pods any replica set had at once: %s", max)
        .isEqualTo(REPLICAS);
    assertThat(cluster.leaseLosses(leader)).containsExactly("controller-manager");
    assertThat(leaderGauge(leader)).isZero();
  }

  private String holder() {
    Lease lease =
        cluster
            .client
            .resource(BuiltInResources.LEASES, Lease.class)
            .get("kube-system", "kube-controller-manager")
            .block(T);
    return lease.getSpec().getHolderIdentity() == null ? "" : lease.getSpec().getHolderIdentity();
  }

  private int livePods() {
    return live.values().stream().mapToInt(Set::size).sum();
  }

  private static double leaderGauge(ConfigurableApplicationContext ctx) {
    return ctx.getBean(MeterRegistry.class).get("nauta.leader_election.leader").gauge().value();
  }

  private static ReplicaSet replicaSet(String name) {
    return new ReplicaSetBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .withReplicas(REPLICAS)
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("main")
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
