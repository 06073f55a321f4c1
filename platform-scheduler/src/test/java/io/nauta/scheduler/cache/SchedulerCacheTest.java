package io.nauta.scheduler.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.nauta.scheduler.framework.NodeInfo;
import io.nauta.scheduler.framework.PodInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SchedulerCacheTest {

  private final AtomicLong now = new AtomicLong();
  private final SchedulerCache cache = new SchedulerCache(Duration.ofSeconds(30), now::get);

  @Test
  void anAssumedPodCountsOnItsNodeAtOnce() {
    cache.addOrUpdateNode(node("n1"));
    cache.assume(PodInfo.of(pod("a", "uid-a", null, "500m")), "n1");

    assertThat(requestedCpu("n1")).isEqualTo(500);
    assertThat(cache.isAssumed("uid-a")).isTrue();
  }

  @Test
  void theInformerConfirmsAnAssumptionWithoutCountingThePodTwice() {
    cache.addOrUpdateNode(node("n1"));
    cache.assume(PodInfo.of(pod("a", "uid-a", null, "500m")), "n1");
    cache.finishBinding("uid-a");

    cache.addOrUpdatePod(pod("a", "uid-a", "n1", "500m"));

    assertThat(requestedCpu("n1")).isEqualTo(500);
    assertThat(cache.isAssumed("uid-a")).isFalse();
    now.addAndGet(Duration.ofMinutes(5).toNanos());
    assertThat(cache.expireAssumed()).isZero();
    assertThat(requestedCpu("n1")).isEqualTo(500);
  }

  @Test
  void aFailedBindingIsForgotten() {
    cache.addOrUpdateNode(node("n1"));
    cache.assume(PodInfo.of(pod("a", "uid-a", null, "500m")), "n1");

    cache.forget("uid-a");

    assertThat(requestedCpu("n1")).isZero();
    assertThat(cache.isAssumed("uid-a")).isFalse();
  }

  @Test
  void anUnconfirmedAssumptionExpiresOnlyAfterItsBindingFinishedAndTheTtlPassed() {
    cache.addOrUpdateNode(node("n1"));
    cache.assume(PodInfo.of(pod("a", "uid-a", null, "500m")), "n1");
    now.addAndGet(SchedulerCache.BINDING_TIMEOUT.toNanos());
    assertThat(cache.expireAssumed()).as("binding still in flight").isZero();

    cache.finishBinding("uid-a");
    now.addAndGet(Duration.ofSeconds(29).toNanos());
    assertThat(cache.expireAssumed()).isZero();
    now.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(cache.expireAssumed()).isEqualTo(1);
    assertThat(requestedCpu("n1")).isZero();
  }

  @Test
  void anAssumptionWhoseBindingNeverReturnsExpiresAfterTheBindingTimeoutAndTheTtl() {
    cache.addOrUpdateNode(node("n1"));
    cache.assume(PodInfo.of(pod("a", "uid-a", null, "500m")), "n1");

    now.addAndGet(SchedulerCache.BINDING_TIMEOUT.plusSeconds(29).toNanos());
    assertThat(cache.expireAssumed()).isZero();
    now.addAndGet(Duration.ofSeconds(2).toNanos());

    assertThat(cache.expireAssumed()).isEqualTo(1);
    assertThat(cache.isAssumed("uid-a")).isFalse();
    assertThat(requestedCpu("n1")).isZero();
  }

  @Test
  void anAssumptionHeldForPreBindWorkDoesNotExpireUntilItsBindingFinishes() {
    cache.addOrUpdateNode(node("n1"));
    cache.assume(PodInfo.of(pod("a", "uid-a", null, "500m")), "n1");
    cache.hold("uid-a");
    now.addAndGet(Duration.ofMinutes(15).toNanos());
    assertThat(cache.expireAssumed()).as("waiting for its volumes").isZero();
    assertThat(requestedCpu("n1")).isEqualTo(500);

    cache.finishBinding("uid-a");
    now.addAndGet(Duration.ofSeconds(31).toNanos());
    assertThat(cache.expireAssumed()).isEqualTo(1);
  }

  @Test
  void finishedPodsFreeTheirResources() {
    cache.addOrUpdateNode(node("n1"));
    cache.addOrUpdatePod(pod("a", "uid-a", "n1", "1"));
    Pod done =
        new PodBuilder(pod("a", "uid-a", "n1", "1"))
            .withNewStatus()
            .withPhase("Succeeded")
            .endStatus()
            .build();

    cache.addOrUpdatePod(done);

    assertThat(requestedCpu("n1")).isZero();
  }

  @Test
  void aPodSeenBeforeItsNodeIsCountedOnceTheNodeArrives() {
    cache.addOrUpdatePod(pod("a", "uid-a", "late", "1"));
    assertThat(cache.nodeCount()).isZero();

    cache.addOrUpdateNode(node("late"));

    assertThat(requestedCpu("late")).isEqualTo(1000);
  }

  @Test
  void aDeletedNodeLeavesTheSnapshotEvenWhileItsPodsAreCounted() {
    cache.addOrUpdateNode(node("n1"));
    cache.addOrUpdateNode(node("n2"));
    cache.addOrUpdatePod(pod("a", "uid-a", "n1", "1"));

    cache.removeNode("n1");

    assertThat(cache.withSnapshot(s -> s.nodes()).stream().map(NodeInfo::name))
        .containsExactly("n2");
    cache.removePod("uid-a");
    cache.addOrUpdateNode(node("n1"));
    assertThat(requestedCpu("n1")).isZero();
  }

  @Test
  void informerEventsAndBindingAnswersDoNotWaitForARunningCycle() throws Exception {
    cache.addOrUpdateNode(node("n1"));
    cache.assume(PodInfo.of(pod("a", "uid-a", null, "500m")), "n1");
    CountDownLatch inCycle = new CountDownLatch(1);
    CountDownLatch endCycle = new CountDownLatch(1);
    ExecutorService cycles = Executors.newSingleThreadExecutor();
    try {
      Future<Long> cycle =
          cycles.submit(
              () ->
                  cache.withSnapshot(
                      s -> {
                        inCycle.countDown();
                        awaitUninterruptibly(endCycle);
                        return s.get("n1").requested().milliCpu();
                      }));
      assertThat(inCycle.await(10, TimeUnit.SECONDS)).isTrue();

      // What the informers' handlers and the binding answers do, while the cycle still runs.
      CompletableFuture<Boolean> updates =
          CompletableFuture.supplyAsync(
              () -> {
                cache.finishBinding("uid-a");
                cache.addOrUpdatePod(pod("b", "uid-b", "n1", "1"));
                cache.addOrUpdateNode(node("n2"));
                cache.expireAssumed();
                return cache.isAssumed("uid-a");
              });
      try {
        assertThat(updates).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(true);
      } finally {
        endCycle.countDown();
      }
      // The running cycle kept the state it started with.
      assertThat(cycle.get(10, TimeUnit.SECONDS)).isEqualTo(500);
    } finally {
      endCycle.countDown();
      cycles.shutdownNow();
    }
    // The next cycle sees the changes.
    assertThat(requestedCpu("n1")).isEqualTo(1500);
    assertThat(cache.withSnapshot(s -> s.nodes()).stream().map(NodeInfo::name))
        .containsExactly("n1", "n2");
  }

  @Test
  void aPodAssumedInACycleIsInTheNextCyclesSnapshot() {
    cache.addOrUpdateNode(node("n1"));
    cache.addOrUpdateNode(node("n2"));
    long n2Generation = generation("n2");

    cache.withSnapshot(
        s -> {
          cache.assume(PodInfo.of(pod("a", "uid-a", null, "500m")), "n1");
          return null;
        });

    assertThat(requestedCpu("n1")).isEqualTo(500);
    boolean seen = cache.withSnapshot(s -> s.get("n1").hasPod("uid-a"));
    assertThat(seen).isTrue();
    // n2 did not change, so it was not copied again.
    assertThat(generation("n2")).isEqualTo(n2Generation);
    cache.forget("uid-a");
    assertThat(requestedCpu("n1")).isZero();
  }

  @Test
  void aNodeGoingNotReadyAndBackIsSeenByTheNextCycle() {
    cache.addOrUpdateNode(readyNode("n1", "True"));
    assertThat(readyCondition("n1")).isEqualTo("True");

    cache.addOrUpdateNode(readyNode("n1", "False"));
    assertThat(readyCondition("n1")).isEqualTo("False");

    cache.addOrUpdateNode(readyNode("n1", "True"));
    assertThat(readyCondition("n1")).isEqualTo("True");
  }

  private long generation(String node) {
    return cache.withSnapshot(s -> s.get(node).generation());
  }

  private String readyCondition(String node) {
    return cache.withSnapshot(s -> s.get(node).readyCondition());
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Node readyNode(String name, String ready) {
    Node node = node(name);
    node.getStatus()
        .setConditions(
            List.of(
                new NodeConditionBuilder().withType("DiskPressure").withStatus("False").build(),
                new NodeConditionBuilder().withType("Ready").withStatus(ready).build()));
    return node;
  }

  private long requestedCpu(String node) {
    return cache.withSnapshot(s -> s.get(node).requested().milliCpu());
  }

  private static Node node(String name) {
    Map<String, Quantity> cap = Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"));
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .withAllocatable(cap)
        .endStatus()
        .build();
  }

  private static Pod pod(String name, String uid, String nodeName, String cpu) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .withUid(uid)
        .endMetadata()
        .withNewSpec()
        .withNodeName(nodeName)
        .addNewContainer()
        .withName("c")
        .withNewResources()
        .withRequests(Map.of("cpu", new Quantity(cpu)))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }
}
