package io.nauta.core.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The elector against an in-memory lease. Reactor's timers run in real time (a 50 ms retry period);
 * the clock that judges expiry and the renew deadline is a fake the tests move on, so "the lease
 * expired" never depends on how fast this machine is.
 */
class LeaderElectorTest {

  private static final Duration LEASE = Duration.ofSeconds(10);
  private static final Duration RENEW_DEADLINE = Duration.ofSeconds(5);
  private static final Duration RETRY = Duration.ofMillis(50);
  private static final Duration QUIET = Duration.ofMillis(300);
  private static final Duration SOON = Duration.ofSeconds(2);

  private final FakeLeaseLock lock = new FakeLeaseLock();
  private final AtomicLong ticker = new AtomicLong(1_000_000_000L);
  private final List<LeaderElector> electors = new CopyOnWriteArrayList<>();

  /** Counts the callbacks of one elector and records its leadership changes. */
  private static final class Recorder {
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger stopped = new AtomicInteger();
    final List<Boolean> leadership = new CopyOnWriteArrayList<>();
  }

  private LeaderElector elector(String identity, SimpleMeterRegistry meters) {
    LeaderElectionConfig config =
        LeaderElectionConfig.of("kube-system", "controllers", identity)
            .withTimings(LEASE, RENEW_DEADLINE, RETRY);
    LeaderElector e = new LeaderElector(lock, config, meters, Clock.systemUTC(), ticker::get);
    electors.add(e);
    return e;
  }

  private LeaderElector elector(String identity) {
    return elector(identity, null);
  }

  private static Recorder run(LeaderElector e) {
    Recorder r = new Recorder();
    Disposable d = e.leadership().subscribe(r.leadership::add);
    assertThat(d).isNotNull();
    e.run(r.started::incrementAndGet, r.stopped::incrementAndGet);
    return r;
  }

  private void advance(Duration d) {
    ticker.addAndGet(d.toNanos());
  }

  /** Waits until the elector has read the lease twice more: it has seen what is there now. */
  private void awaitTwoMoreReads() {
    int seen = lock.gets.get();
    await().atMost(SOON).until(() -> lock.gets.get() >= seen + 2);
  }

  private static Lease heldBy(String holder, ZonedDateTime renewTime, int transitions) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withNamespace("kube-system")
        .withName("controllers")
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(holder)
        .withLeaseDurationSeconds(10)
        .withAcquireTime(renewTime)
        .withRenewTime(renewTime)
        .withLeaseTransitions(transitions)
        .endSpec()
        .build();
  }

  @AfterEach
  void stopAll() {
    electors.forEach(LeaderElector::close);
  }

  @Test
  void createsAMissingLeaseWithItselfAsHolderAndRenewsIt() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    LeaderElector me = elector("me", meters);
    Recorder r = run(me);

    await().atMost(SOON).until(me::isLeader);
    Lease lease = lock.writes.get(0);
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("me");
    assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(10);
    assertThat(lease.getSpec().getLeaseTransitions()).isZero();
    assertThat(lease.getSpec().getAcquireTime()).isNotNull();
    assertThat(lease.getSpec().getRenewTime()).isEqualTo(lease.getSpec().getAcquireTime());
    assertThat(r.started).hasValue(1);
    assertThat(meters.get(LeaderElector.LEADER_METRIC).tag("lease", "controllers").gauge().value())
        .isEqualTo(1.0);
    // MicroTime on the wire: RFC 3339 in UTC with exactly six fractional digits.
    assertThat(JsonMapper.builder().build().writeValueAsString(lease))
        .containsPattern("\"renewTime\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z\"")
        .containsPattern("\"acquireTime\":\"[^\"]+\\.\\d{6}Z\"");

    // Renewals move renewTime on and keep acquireTime and the transition count.
    await()
        .atMost(SOON)
        .until(
            () -> lock.current().getSpec().getRenewTime().isAfter(lease.getSpec().getRenewTime()));
    assertThat(lock.current().getSpec().getAcquireTime())
        .isEqualTo(lease.getSpec().getAcquireTime());
    assertThat(lock.current().getSpec().getLeaseTransitions()).isZero();
    assertThat(me.isLeader()).isTrue();
    assertThat(r.leadership).containsExactly(false, true);

    me.close();
    assertThat(meters.get(LeaderElector.LEADER_METRIC).gauge().value()).isZero();
  }

  @Test
  void leavesAValidLeaseAloneJudgingExpiryByItsOwnClockNotTheHoldersRenewTime() {
    // The holder's clock is far behind ours: its renewTime looks ancient, yet it is renewing.
    ZonedDateTime skewed = ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    lock.put(heldBy("other", skewed, 3));
    LeaderElector me = elector("me");
    Recorder r = run(me);

    await().during(QUIET).atMost(SOON).until(() -> !me.isLeader());
    assertThat(lock.writes).isEmpty();

    // 6 s later the holder renews: the 10 s start again from when we see that change.
    advance(Duration.ofSeconds(6));
    lock.put(heldBy("other", skewed.plusSeconds(6), 3));
    awaitTwoMoreReads();
    advance(Duration.ofSeconds(6));
    await().during(QUIET).atMost(SOON).until(() -> !me.isLeader());
    assertThat(lock.writes).isEmpty();

    // The holder stopped renewing: 11 s after the last change we saw, the lease is ours.
    advance(Duration.ofSeconds(5));
    await().atMost(SOON).until(me::isLeader);
    Lease lease = lock.writes.get(0);
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("me");
    assertThat(lease.getSpec().getLeaseTransitions()).isEqualTo(4);
    assertThat(lease.getSpec().getAcquireTime()).isAfter(skewed.plusYears(20));
    assertThat(lease.getSpec().getRenewTime()).isEqualTo(lease.getSpec().getAcquireTime());
    assertThat(r.started).hasValue(1);
  }

  @Test
  void aConflictWhenTakingTheLeaseMeansAnotherCandidateWonIt() {
    lock.put(heldBy("", ZonedDateTime.now(ZoneOffset.UTC), 2));
    // Another candidate writes the free lease between our read and our write.
    lock.beforeNextUpdate(l -> l.put(heldBy("rival", ZonedDateTime.now(ZoneOffset.UTC), 3)));
    LeaderElector me = elector("me");
    Recorder r = run(me);

    await().atMost(SOON).until(() -> lock.conflicts.get() == 1);
    await().during(QUIET).atMost(SOON).until(() -> !me.isLeader());
    assertThat(lock.current().getSpec().getHolderIdentity()).isEqualTo("rival");
    assertThat(lock.writes).isEmpty();
    assertThat(r.started).hasValue(0);
    assertThat(r.leadership).containsExactly(false);
  }

  @Test
  void givesUpLeadershipWhenRenewalsFailForTheRenewDeadlineThenCampaignsAgain() {
    LeaderElector me = elector("me");
    Recorder r = run(me);
    await().atMost(SOON).until(me::isLeader);

    lock.failing = true;
    await().atMost(SOON).until(() -> lock.failures.get() >= 3);
    // Failed renewals within the deadline: still the leader.
    assertThat(me.isLeader()).isTrue();
    assertThat(r.stopped).hasValue(0);

    advance(RENEW_DEADLINE);
    await().atMost(SOON).until(() -> !me.isLeader());
    assertThat(r.stopped).hasValue(1);

    // The API server is back and the lease still names us: we lead again.
    lock.failing = false;
    await().atMost(SOON).until(me::isLeader);
    assertThat(r.started).hasValue(2);
    assertThat(r.leadership).containsExactly(false, true, false, true);
    assertThat(lock.current().getSpec().getLeaseTransitions()).isZero();
  }

  @Test
  void countsTheRenewDeadlineFromTheStartOfTheRenewRoundAsClientGoDoes() {
    LeaderElector me = elector("me");
    Recorder r = run(me);
    await().atMost(SOON).until(me::isLeader);

    // One renewal is answered only 3 s after it was sent; then the API server stops answering.
    Duration slow = Duration.ofSeconds(3);
    lock.beforeNextUpdate(
        l -> {
          advance(slow);
          l.failing = true;
        });
    await().atMost(SOON).until(() -> lock.failures.get() >= 3);

    // 6 s after that renewal was sent, 3 s after the round that keeps retrying began: client-go
    // still leads (its renew deadline counts from the round's start).
    advance(RENEW_DEADLINE.minus(slow).plusSeconds(1));
    int failures = lock.failures.get();
    await().atMost(SOON).until(() -> lock.failures.get() >= failures + 2);
    assertThat(me.isLeader()).isTrue();
    assertThat(r.stopped).hasValue(0);

    // The renew deadline has passed since the round began: it steps down.
    advance(slow);
    await().atMost(SOON).until(() -> !me.isLeader());
    assertThat(r.stopped).hasValue(1);
  }

  @Test
  void aLeaseIsFreshOnlyWithinTheRenewDeadlineOfTheLastRenewalThatSucceeded() {
    LeaderElector me = elector("me");
    run(me);
    await().atMost(SOON).until(me::isLeader);
    assertThat(me.holdsFreshLease()).isTrue();

    // A freeze past the deadline: stale the moment the clock moves, before the elector runs again.
    lock.failing = true;
    await().atMost(SOON).until(() -> lock.failures.get() >= 1);
    advance(RENEW_DEADLINE);
    assertThat(me.holdsFreshLease()).isFalse();
    await().atMost(SOON).until(() -> !me.isLeader());

    lock.failing = false;
    await().atMost(SOON).until(me::isLeader);
    assertThat(me.holdsFreshLease()).isTrue();

    // A renewal answered 3 s after it was sent, then none: the round that keeps retrying began 3 s
    // after the last renewal that succeeded did, so the lease goes stale while the elector leads.
    Duration slow = Duration.ofSeconds(3);
    lock.beforeNextUpdate(
        l -> {
          advance(slow);
          l.failing = true;
        });
    await().atMost(SOON).until(() -> lock.failing);
    int failures = lock.failures.get();
    await().atMost(SOON).until(() -> lock.failures.get() >= failures + 2);
    advance(RENEW_DEADLINE.minus(slow).plusMillis(500));
    assertThat(me.holdsFreshLease()).as("5.5 s since the last renewal began").isFalse();
    assertThat(me.isLeader()).as("2.5 s into the renew round").isTrue();
  }

  @Test
  void stepsDownAtOnceWhenItSeesAnotherHolderInTheLease() {
    LeaderElector me = elector("me");
    Recorder r = run(me);
    await().atMost(SOON).until(me::isLeader);

    lock.put(heldBy("usurper", ZonedDateTime.now(ZoneOffset.UTC), 1));

    await().atMost(SOON).until(() -> !me.isLeader());
    assertThat(r.stopped).hasValue(1);
    await().during(QUIET).atMost(SOON).until(() -> !me.isLeader());
    assertThat(lock.current().getSpec().getHolderIdentity()).isEqualTo("usurper");
  }

  @Test
  void releasesTheLeaseOnCloseSoAStandbyTakesOverWithoutWaitingItOut() {
    LeaderElector a = elector("a");
    Recorder ra = run(a);
    await().atMost(SOON).until(a::isLeader);
    LeaderElector b = elector("b");
    Recorder rb = run(b);
    await().during(QUIET).atMost(SOON).until(() -> !b.isLeader());
    ZonedDateTime lastRenew = lock.current().getSpec().getRenewTime();

    a.close();

    assertThat(a.isLeader()).isFalse();
    assertThat(a.isRunning()).isFalse();
    assertThat(ra.stopped).hasValue(1);
    Lease released = lock.writes.get(lock.writes.size() - 1);
    assertThat(released.getSpec().getHolderIdentity()).isEmpty();
    assertThat(released.getSpec().getLeaseDurationSeconds()).isEqualTo(1);
    assertThat(released.getSpec().getRenewTime()).isAfterOrEqualTo(lastRenew);
    assertThat(released.getSpec().getLeaseTransitions()).isZero();

    // No time passes on the elector's clock: the release alone lets b in.
    await().atMost(SOON).until(b::isLeader);
    assertThat(rb.started).hasValue(1);
    assertThat(lock.current().getSpec().getHolderIdentity()).isEqualTo("b");
    assertThat(lock.current().getSpec().getLeaseTransitions()).isEqualTo(1);
  }

  @Test
  void stoppingACandidateThatDoesNotLeadLeavesTheLeaseAlone() {
    LeaderElector a = elector("a");
    run(a);
    await().atMost(SOON).until(a::isLeader);
    LeaderElector b = elector("b");
    Recorder rb = run(b);
    awaitTwoMoreReads();
    int writes = lock.writes.size();
    Lease before = lock.current();

    b.close();

    assertThat(rb.stopped).hasValue(0);
    assertThat(lock.current().getSpec().getHolderIdentity()).isEqualTo("a");
    List<Lease> all = List.copyOf(lock.writes);
    assertThat(all.subList(writes, all.size()))
        .allSatisfy(w -> assertThat(w.getSpec().getHolderIdentity()).isEqualTo("a"));
    assertThat(before.getSpec().getHolderIdentity()).isEqualTo("a");
  }
}
