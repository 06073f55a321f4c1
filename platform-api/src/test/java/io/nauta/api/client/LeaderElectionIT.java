package io.nauta.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.leaderelection.LeaderElectionConfig;
import io.nauta.core.leaderelection.LeaderElector;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two candidates for one Lease on a real API server on real Redis: one leader at a time, a fast
 * hand-over when the leader stops, and a hand-over after the lease duration when the leader is cut
 * off from the API server and cannot release.
 */
class LeaderElectionIT {

  private static final Duration T = Duration.ofSeconds(10);
  private static final Duration LEASE = Duration.ofSeconds(3);
  private static final Duration RENEW_DEADLINE = Duration.ofSeconds(2);
  private static final Duration RETRY = Duration.ofMillis(500);

  /** No port listens here: a client pointed at it is cut off from the API server. */
  private static final String NOWHERE = "http://127.0.0.1:1";

  private TestApiServer server;
  private ResourceClient<Lease> leases;
  private final List<LeaderElector> electors = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
  private final AtomicInteger samples = new AtomicInteger();
  private final AtomicInteger bothLeading = new AtomicInteger();

  /** Counts one candidate's callbacks. */
  private record Callbacks(AtomicInteger started, AtomicInteger stopped) {
    Callbacks() {
      this(new AtomicInteger(), new AtomicInteger());
    }
  }

  @BeforeEach
  void start() {
    server = TestApiServer.startOnEmptyRedis();
    KubeClient client = server.kubeClient();
    leases = client.resource(BuiltInResources.LEASES, Lease.class);
    Namespace ns = new NamespaceBuilder().withNewMetadata().withName("le").endMetadata().build();
    client.resource(BuiltInResources.NAMESPACES, Namespace.class).create(ns).block(T);
  }

  @AfterEach
  void stop() throws InterruptedException {
    sampler.shutdownNow();
    sampler.awaitTermination(5, TimeUnit.SECONDS);
    electors.forEach(LeaderElector::close);
    server.close();
  }

  private LeaderElector candidate(String identity, Supplier<String> url) {
    // Over HTTPS as the admin, at whatever address url names at each request.
    ClientConfig admin = server.clientConfig();
    KubeClient client =
        new KubeClient(
            () ->
                new ClientConfig(
                    url.get().replaceFirst("^http:", "https:"),
                    null,
                    admin.namespace(),
                    admin.certificateAuthority(),
                    admin.clientCertificate(),
                    admin.clientKey(),
                    false),
            JsonMapper.builder().build());
    LeaderElector e =
        new LeaderElector(
            client.resource(BuiltInResources.LEASES, Lease.class),
            LeaderElectionConfig.of("le", "controllers", identity)
                .withTimings(LEASE, RENEW_DEADLINE, RETRY));
    electors.add(e);
    return e;
  }

  private LeaderElector candidate(String identity) {
    return candidate(identity, () -> server.url());
  }

  private static Callbacks run(LeaderElector e) {
    Callbacks c = new Callbacks();
    e.run(c.started()::incrementAndGet, c.stopped()::incrementAndGet);
    return c;
  }

  /** Checks every 5 ms, for the rest of the test, that the two never lead at once. */
  private void sampleLeadership(LeaderElector a, LeaderElector b) {
    sampler.scheduleAtFixedRate(
        () -> {
          samples.incrementAndGet();
          if (a.isLeader() && b.isLeader()) {
            bothLeading.incrementAndGet();
          }
        },
        0,
        5,
        TimeUnit.MILLISECONDS);
  }

  private Lease lease() {
    return leases.get("le", "controllers").block(T);
  }

  @Test
  void exactlyOneLeadsAtATimeAndClosingTheLeaderHandsOverWithinARetryPeriod() {
    LeaderElector a = candidate("a");
    LeaderElector b = candidate("b");
    sampleLeadership(a, b);
    Callbacks ca = run(a);
    Callbacks cb = run(b);

    await().atMost(T).until(() -> a.isLeader() || b.isLeader());
    // Several renewal periods with one leader and one standby throughout.
    await().during(Duration.ofSeconds(2)).atMost(T).until(() -> a.isLeader() ^ b.isLeader());
    LeaderElector leader = a.isLeader() ? a : b;
    LeaderElector standby = leader == a ? b : a;
    Callbacks leaderCalls = leader == a ? ca : cb;
    Callbacks standbyCalls = leader == a ? cb : ca;
    Lease held = lease();
    assertThat(held.getSpec().getHolderIdentity()).isEqualTo(leader.config().identity());
    assertThat(held.getSpec().getLeaseTransitions()).isZero();
    assertThat(held.getSpec().getLeaseDurationSeconds()).isEqualTo(3);

    leader.close();

    assertThat(leader.isLeader()).isFalse();
    assertThat(leaderCalls.stopped()).hasValue(1);
    // Released: well before the 3 s lease could have run out.
    await().atMost(Duration.ofMillis(2000)).until(standby::isLeader);
    Lease handedOver = lease();
    assertThat(handedOver.getSpec().getHolderIdentity()).isEqualTo(standby.config().identity());
    assertThat(handedOver.getSpec().getLeaseTransitions()).isEqualTo(1);
    assertThat(standbyCalls.started()).hasValue(1);
    assertThat(standbyCalls.stopped()).hasValue(0);
    assertThat(samples.get()).isGreaterThan(100);
    assertThat(bothLeading).hasValue(0);
  }

  @Test
  void aLeaderCutOffFromTheApiServerStepsDownAndTheStandbyTakesOverAfterTheLeaseDuration() {
    AtomicReference<String> aUrl = new AtomicReference<>(server.url());
    LeaderElector a = candidate("a", aUrl::get);
    LeaderElector b = candidate("b");
    sampleLeadership(a, b);
    Callbacks ca = run(a);
    await().atMost(T).until(a::isLeader);
    Callbacks cb = run(b);
    await().during(Duration.ofSeconds(1)).atMost(T).until(() -> !b.isLeader());

    // a can no longer reach the API server: it can neither renew nor release.
    long cut = System.nanoTime();
    aUrl.set(NOWHERE);

    await().atMost(T).until(() -> !a.isLeader());
    Duration aStepsDown = Duration.ofNanos(System.nanoTime() - cut);
    await().atMost(T).until(b::isLeader);
    Duration bTakesOver = Duration.ofNanos(System.nanoTime() - cut);

    assertThat(ca.stopped()).hasValue(1);
    // a gives up within its renew deadline (plus a renewal period) ...
    assertThat(aStepsDown).isLessThan(RENEW_DEADLINE.plus(RETRY).plusMillis(700));
    // ... and b waits the lease out, counted from a's last renewal that b saw.
    assertThat(bTakesOver).isGreaterThan(LEASE.minus(RETRY).minusMillis(200));
    assertThat(bTakesOver).isGreaterThan(aStepsDown);
    Lease taken = lease();
    assertThat(taken.getSpec().getHolderIdentity()).isEqualTo("b");
    assertThat(taken.getSpec().getLeaseTransitions()).isEqualTo(1);

    // a is back: it campaigns again but stays a standby while b renews.
    aUrl.set(server.url());
    await().during(Duration.ofMillis(1500)).atMost(T).until(() -> !a.isLeader());

    b.close();
    await().atMost(Duration.ofMillis(2000)).until(a::isLeader);
    assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("a");
    assertThat(lease().getSpec().getLeaseTransitions()).isEqualTo(2);
    assertThat(ca.started()).hasValue(2);
    assertThat(cb.started()).hasValue(1);
    assertThat(cb.stopped()).hasValue(1);
    assertThat(bothLeading).hasValue(0);
  }
}
