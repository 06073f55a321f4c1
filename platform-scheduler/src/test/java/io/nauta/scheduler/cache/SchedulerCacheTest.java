package io.nauta.scheduler.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.nauta.scheduler.framework.NodeInfo;
import io.nauta.scheduler.framework.PodInfo;
import java.time.Duration;
import java.util.Map;
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
