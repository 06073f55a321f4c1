package io.nauta.controllers.replicaset;

import static io.nauta.controllers.replicaset.Fixtures.NOW;
import static io.nauta.controllers.replicaset.Fixtures.ownedPod;
import static io.nauta.controllers.replicaset.Fixtures.pod;
import static io.nauta.controllers.replicaset.Fixtures.rs;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.nauta.core.controller.Expectations;
import io.nauta.core.errors.ForbiddenException;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.workqueue.Result;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;

class ReplicaSetSyncTest {

  private final InformerStore<ReplicaSet> replicaSets = new InformerStore<>();
  private final InformerStore<Pod> pods = new InformerStore<>();
  private final AtomicLong nanos = new AtomicLong();
  private final PodExpectations expectations =
      new PodExpectations(new Expectations(Duration.ofMinutes(5), nanos::get));
  private FakeReplicaSetClient client;
  private ReplicaSetSync sync;

  @BeforeEach
  void setUp() {
    client = new FakeReplicaSetClient(replicaSets, pods);
    sync =
        new ReplicaSetSync(
            replicaSets, pods, client, expectations, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private Result run(String key) {
    return sync.sync(key).block(Duration.ofSeconds(5));
  }

  private Throwable runFailing(String key) {
    try {
      sync.sync(key).block(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("sync of " + key + " did not fail");
  }

  // ---- scaling up

  static Stream<Arguments> slowStartBatches() {
    // 10 creates go in batches of 1, 2, 4, 3; the first batch with a failure is the last.
    return Stream.of(
        Arguments.of(0, 10, 10),
        Arguments.of(1, 1, 0),
        Arguments.of(2, 3, 2),
        Arguments.of(3, 3, 2),
        Arguments.of(4, 7, 6),
        Arguments.of(7, 7, 6),
        Arguments.of(8, 10, 9));
  }

  @ParameterizedTest(name = "create call {0} failing: {1} calls, {2} pods")
  @MethodSource("slowStartBatches")
  void createsInSlowStartBatchesAndStopsAfterTheBatchThatFailed(
      int failingCall, int expectedCalls, int expectedPods) {
    replicaSets.upsert(rs("web", 10));
    client.failCreate = n -> n == failingCall ? new ForbiddenException("quota exceeded") : null;

    Mono<Result> pass = sync.sync("ns/web");
    if (failingCall == 0) {
      assertThat(pass.block()).isEqualTo(Result.done());
    } else {
      assertThat(runFailing("ns/web")).hasMessageContaining("quota exceeded");
    }

    assertThat(client.createCalls.get()).isEqualTo(expectedCalls);
    assertThat(client.created).hasSize(expectedPods);
  }

  @Test
  void createsPodsFromTheTemplateOwnedByTheReplicaSet() {
    ReplicaSet web = rs("web", 1);
    replicaSets.upsert(web);

    run("ns/web");

    Pod created = client.created.get(0);
    assertThat(created.getMetadata().getGenerateName()).isEqualTo("web-");
    assertThat(created.getMetadata().getNamespace()).isEqualTo("ns");
    assertThat(created.getMetadata().getLabels()).containsEntry("app", "web");
    assertThat(created.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getUid()).isEqualTo("uid-web");
              assertThat(r.getKind()).isEqualTo("ReplicaSet");
              assertThat(r.getController()).isTrue();
              assertThat(r.getBlockOwnerDeletion()).isTrue();
            });
    assertThat(created.getSpec().getContainers()).extracting("image").containsExactly("busybox");
    assertThat(client.events).containsExactly("Normal SuccessfulCreate Created pod: web-p1");
  }

  @Test
  void createsAtMostBurstReplicasPerPass() {
    replicaSets.upsert(rs("big", 600));

    run("ns/big");

    assertThat(client.created).hasSize(ReplicaSetSync.BURST_REPLICAS);
  }

  @Test
  void neverCreatesAgainWhileItsCreationsAreStillOnTheirWay() {
    replicaSets.upsert(rs("web", 3));
    run("ns/web");
    assertThat(client.created).hasSize(3);

    // No pod arrived yet: another pass must not create three more, but looks again once the
    // expectation could have expired.
    assertThat(run("ns/web")).isInstanceOf(Result.RequeueAfter.class);
    assertThat(client.created).hasSize(3);

    // Two of three arrived (and one vanished on the way): still waiting for the third.
    pods.upsert(ownedPod("a", rs("web", 3)));
    expectations.creationObserved("ns/web");
    expectations.creationObserved("ns/web");
    run("ns/web");
    assertThat(client.created).hasSize(3);

    // The expectation times out: the controller acts again and makes up the missing two.
    nanos.addAndGet(Duration.ofMinutes(6).toNanos());
    run("ns/web");
    assertThat(client.created).hasSize(5);
  }

  @Test
  void failedCreatesCountAsObservedSoTheNextPassRetries() {
    replicaSets.upsert(rs("web", 2));
    client.failCreate = n -> n == 1 ? new ForbiddenException("denied") : null;
    runFailing("ns/web");
    assertThat(client.created).isEmpty();

    client.failCreate = n -> null;
    run("ns/web");

    assertThat(client.created).hasSize(2);
  }

  // ---- scaling down

  @Test
  void deletesSurplusPodsAndRecordsEvents() {
    ReplicaSet web = rs("web", 1);
    replicaSets.upsert(web);
    pods.upsert(ownedPod("old", web));
    pods.upsert(
        pod("new")
            .editMetadata()
            .withCreationTimestamp(NOW.minusSeconds(60).toString())
            .withOwnerReferences(Fixtures.ref(web))
            .endMetadata()
            .build());

    run("ns/web");

    assertThat(client.deleted).containsExactly("new");
    assertThat(client.events).containsExactly("Normal SuccessfulDelete Deleted pod: new");
  }

  @Test
  void waitsForItsDeletionsBeforeDeletingAgain() {
    ReplicaSet web = rs("web", 1);
    replicaSets.upsert(web);
    pods.upsert(ownedPod("a", web));
    pods.upsert(ownedPod("b", web));
    run("ns/web");
    assertThat(client.deleted).hasSize(1);

    // The deleted pod is still in the cache: the next pass must not delete the other one.
    run("ns/web");
    assertThat(client.deleted).hasSize(1);

    // A delete of another pod (not the expected one) does not satisfy the expectation.
    expectations.deletionObserved("ns/web", "ns/unrelated");
    run("ns/web");
    assertThat(client.deleted).hasSize(1);
  }

  static Stream<Arguments> rankings() {
    String minuteAgo = NOW.minusSeconds(60).toString();
    return Stream.of(
        Arguments.of(
            "unassigned before assigned",
            pod("x").editSpec().withNodeName(null).endSpec(),
            pod("y")),
        Arguments.of(
            "pending before running",
            pod("x").editStatus().withPhase("Pending").withConditions().endStatus(),
            pod("y")),
        Arguments.of(
            "pending before unknown",
            pod("x").editStatus().withPhase("Pending").endStatus(),
            pod("y").editStatus().withPhase("Unknown").endStatus()),
        Arguments.of(
            "unknown before running",
            pod("x").editStatus().withPhase("Unknown").endStatus(),
            pod("y")),
        Arguments.of(
            "not ready before ready",
            pod("x")
                .editStatus()
                .editFirstCondition()
                .withStatus("False")
                .endCondition()
                .endStatus(),
            pod("y")),
        Arguments.of(
            "lower deletion cost before higher",
            pod("x").editMetadata().addToAnnotations(PodRanking.DELETION_COST, "-5").endMetadata(),
            pod("y")),
        Arguments.of(
            "ready for less time before longer",
            pod("x")
                .editStatus()
                .editFirstCondition()
                .withLastTransitionTime(minuteAgo)
                .endCondition()
                .endStatus(),
            pod("y")),
        Arguments.of(
            "more restarts before fewer",
            pod("x")
                .editStatus()
                .addNewContainerStatus()
                .withName("c")
                .withRestartCount(4)
                .endContainerStatus()
                .endStatus(),
            pod("y")
                .editStatus()
                .addNewContainerStatus()
                .withName("c")
                .withRestartCount(1)
                .endContainerStatus()
                .endStatus()),
        Arguments.of(
            "newer before older",
            pod("x").editMetadata().withCreationTimestamp(minuteAgo).endMetadata(),
            pod("y")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rankings")
  void scalesDownTheLeastValuablePodFirst(
      String why,
      io.fabric8.kubernetes.api.model.PodBuilder lessValuable,
      io.fabric8.kubernetes.api.model.PodBuilder moreValuable) {
    ReplicaSet web = rs("web", 1);
    replicaSets.upsert(web);
    // Inserted in both orders, so the store's iteration order cannot decide.
    for (boolean flip : List.of(false, true)) {
      pods.replace(List.of());
      client.deleted.clear();
      expectations.delete("ns/web");
      Pod less =
          lessValuable
              .editMetadata()
              .withName(flip ? "b" : "a")
              .withOwnerReferences(Fixtures.ref(web))
              .endMetadata()
              .build();
      Pod more =
          moreValuable
              .editMetadata()
              .withName(flip ? "a" : "b")
              .withOwnerReferences(Fixtures.ref(web))
              .endMetadata()
              .build();
      pods.upsert(less);
      pods.upsert(more);

      run("ns/web");

      assertThat(client.deleted).as(why).containsExactly(less.getMetadata().getName());
    }
  }

  // ---- claiming

  @Test
  void adoptsMatchingOrphansAndDeletesTheSurplus() {
    ReplicaSet web = rs("web", 1);
    replicaSets.upsert(web);
    pods.upsert(ownedPod("owned", web));
    pods.upsert(
        pod("orphan")
            .editMetadata()
            .withCreationTimestamp(NOW.minusSeconds(10).toString())
            .endMetadata()
            .build());

    run("ns/web");

    assertThat(client.patches)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.name()).isEqualTo("orphan");
              assertThat(p.body())
                  .contains("\"uid\":\"uid-web\"")
                  .contains("\"controller\":true")
                  .contains("\"blockOwnerDeletion\":true")
                  .contains("\"uid\":\"uid-orphan\"");
            });
    assertThat(client.deleted).containsExactly("orphan");
  }

  @Test
  void adoptsNothingWhenTheLiveReplicaSetIsAnotherOne() {
    ReplicaSet cached = rs("web", 1);
    replicaSets.upsert(cached);
    pods.upsert(pod("orphan").build());
    // The API server already has a re-created "web" with another uid.
    FakeReplicaSetClient recreated =
        new FakeReplicaSetClient(replicaSets, pods) {
          @Override
          public Mono<ReplicaSet> getReplicaSet(String namespace, String name) {
            return Mono.just(
                new ReplicaSetBuilder(cached)
                    .editMetadata()
                    .withUid("other")
                    .endMetadata()
                    .build());
          }
        };
    sync =
        new ReplicaSetSync(
            replicaSets, pods, recreated, expectations, Clock.fixed(NOW, ZoneOffset.UTC));

    assertThat(runFailing("ns/web")).hasMessageContaining("is gone");
    assertThat(recreated.patches).isEmpty();
  }

  @Test
  void releasesPodsThatNoLongerMatchAndReplacesThem() {
    ReplicaSet web = rs("web", 1);
    replicaSets.upsert(web);
    pods.upsert(
        pod("relabelled")
            .editMetadata()
            .withLabels(Map.of("app", "debug"))
            .withOwnerReferences(Fixtures.ref(web))
            .endMetadata()
            .build());

    run("ns/web");

    assertThat(client.patches)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.name()).isEqualTo("relabelled");
              assertThat(p.body())
                  .contains("\"$patch\":\"delete\"")
                  .contains("\"uid\":\"uid-web\"");
            });
    assertThat(client.created).hasSize(1);
  }

  @Test
  void leavesPodsOfOtherControllersAndInactivePodsAlone() {
    ReplicaSet web = rs("web", 1);
    ReplicaSet other = rs("other", 1);
    replicaSets.upsert(web);
    pods.upsert(ownedPod("theirs", other));
    pods.upsert(pod("done").editStatus().withPhase("Succeeded").endStatus().build());
    pods.upsert(
        pod("leaving").editMetadata().withDeletionTimestamp(NOW.toString()).endMetadata().build());

    run("ns/web");

    assertThat(client.patches).isEmpty();
    assertThat(client.created).hasSize(1);
  }

  @Test
  void doesNothingButStatusWhileTheReplicaSetIsBeingDeleted() {
    ReplicaSet web =
        new ReplicaSetBuilder(rs("web", 3))
            .editMetadata()
            .withDeletionTimestamp(NOW.toString())
            .endMetadata()
            .build();
    replicaSets.upsert(web);
    pods.upsert(pod("orphan").build());

    run("ns/web");

    assertThat(client.created).isEmpty();
    assertThat(client.patches).isEmpty();
    assertThat(client.lastStatus().getReplicas()).isZero();
  }

  // ---- status

  @Test
  void countsReplicasLabelsReadinessAndAvailabilityAfterMinReadySeconds() {
    ReplicaSet web =
        new ReplicaSetBuilder(rs("web", 4)).editSpec().withMinReadySeconds(30).endSpec().build();
    replicaSets.upsert(web);
    pods.upsert(ownedPod("available", web));
    pods.upsert(
        pod("ready-10s-ago")
            .editMetadata()
            .withOwnerReferences(Fixtures.ref(web))
            .endMetadata()
            .editStatus()
            .editFirstCondition()
            .withLastTransitionTime(NOW.minusSeconds(10).toString())
            .endCondition()
            .endStatus()
            .build());
    pods.upsert(
        pod("not-ready")
            .editMetadata()
            .withOwnerReferences(Fixtures.ref(web))
            .endMetadata()
            .editStatus()
            .editFirstCondition()
            .withStatus("False")
            .endCondition()
            .endStatus()
            .build());
    pods.upsert(
        pod("partly-labelled")
            .editMetadata()
            .withLabels(Map.of("app", "web"))
            .withOwnerReferences(Fixtures.ref(web))
            .endMetadata()
            .build());

    Result result = run("ns/web");

    ReplicaSetStatus status = client.lastStatus();
    assertThat(status.getReplicas()).isEqualTo(4);
    assertThat(status.getFullyLabeledReplicas()).isEqualTo(3);
    assertThat(status.getReadyReplicas()).isEqualTo(3);
    assertThat(status.getAvailableReplicas()).isEqualTo(2);
    assertThat(status.getObservedGeneration()).isEqualTo(3L);
    // The pod ready 10 s ago becomes available in 20 s: look again then.
    assertThat(result).isInstanceOf(Result.RequeueAfter.class);
    Duration wait = ((Result.RequeueAfter) result).delay();
    assertThat(wait).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(21));
    assertThat(client.created).isEmpty();
  }

  @Test
  void writesStatusOnlyWhenItChanged() {
    ReplicaSet web = rs("web", 1);
    pods.upsert(ownedPod("a", web));
    replicaSets.upsert(web);
    run("ns/web");
    assertThat(client.statuses).hasSize(1);

    replicaSets.upsert(
        new ReplicaSetBuilder(web)
            .editMetadata()
            .withResourceVersion("2")
            .endMetadata()
            .withStatus(client.lastStatus())
            .build());
    run("ns/web");

    assertThat(client.statuses).hasSize(1);
  }

  @Test
  void aRefusedCreateSetsReplicaFailureAndAWarningUntilCreatesSucceed() {
    ReplicaSet web = rs("web", 2);
    replicaSets.upsert(web);
    client.failCreate = n -> new ForbiddenException("pods \"web-\" is forbidden: exceeded quota");

    runFailing("ns/web");

    ReplicaSetCondition failure = client.lastStatus().getConditions().get(0);
    assertThat(failure.getType()).isEqualTo("ReplicaFailure");
    assertThat(failure.getStatus()).isEqualTo("True");
    assertThat(failure.getReason()).isEqualTo("FailedCreate");
    assertThat(failure.getMessage()).contains("exceeded quota");
    assertThat(client.events)
        .containsExactly(
            "Warning FailedCreate Error creating: pods \"web-\" is forbidden: exceeded quota");

    replicaSets.upsert(
        new ReplicaSetBuilder(web)
            .editMetadata()
            .withResourceVersion("2")
            .endMetadata()
            .withStatus(client.lastStatus())
            .build());
    client.failCreate = n -> null;
    run("ns/web");

    assertThat(client.created).hasSize(2);
    assertThat(client.lastStatus().getConditions()).isNullOrEmpty();
  }

  @Test
  void forgetsExpectationsOfAReplicaSetThatIsGone() {
    replicaSets.upsert(rs("web", 2));
    run("ns/web");
    replicaSets.remove(rs("web", 2));

    assertThat(run("ns/web")).isEqualTo(Result.done());
    assertThat(expectations.satisfied("ns/web")).isTrue();
  }
}
