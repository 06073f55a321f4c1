package io.nauta.scheduler.it;

import static io.nauta.scheduler.it.Cluster.T;
import static io.nauta.scheduler.it.Cluster.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two schedulers of one name: exactly one binds, and the other takes over when it goes. */
class SchedulerLeaderElectionIT {

  private static final String NS = "ha";

  private TestApiServer api;
  private Cluster cluster;

  @BeforeEach
  void start() {
    api = TestApiServer.startOnEmptyRedis("server.shutdown=immediate");
    cluster = new Cluster(api);
    cluster.namespace(NS);
    cluster.node("n1", Map.of("cpu", "64", "memory", "64Gi"), Map.of());
    cluster.node("n2", Map.of("cpu", "64", "memory", "64Gi"), Map.of());
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void exactlyOneSchedulerBindsAndTheStandbyTakesOver() {
    TestScheduler first = TestScheduler.start(api);
    TestScheduler second = TestScheduler.start(api);
    try {
      List<String> batch1 = names("a", 20);
      batch1.forEach(n -> cluster.create(pod(NS, n, Map.of("cpu", "100m"))));
      await().atMost(T).until(() -> bound(batch1) == batch1.size());

      double byFirst = first.scheduledCount();
      double bySecond = second.scheduledCount();
      assertThat(byFirst + bySecond).isEqualTo(20.0);
      assertThat(List.of(byFirst, bySecond)).containsExactlyInAnyOrder(0.0, 20.0);
      TestScheduler leader = byFirst > 0 ? first : second;
      TestScheduler standby = leader == first ? second : first;
      Lease lease = lease();
      assertThat(lease.getSpec().getHolderIdentity()).isNotEmpty();
      assertThat(lease.getSpec().getLeaseTransitions()).isZero();

      leader.close();
      List<String> batch2 = names("b", 10);
      batch2.forEach(n -> cluster.create(pod(NS, n, Map.of("cpu", "100m"))));
      // The leader released its lease on the way out: the standby leads within a retry period.
      await().atMost(Duration.ofSeconds(5)).until(() -> bound(batch2) == batch2.size());
      assertThat(standby.scheduledCount()).isEqualTo(10.0);
      assertThat(lease().getSpec().getLeaseTransitions()).isEqualTo(1);
      standby.close();
    } finally {
      first.close();
      second.close();
    }
  }

  private Lease lease() {
    return cluster
        .client
        .resource(BuiltInResources.LEASES, Lease.class)
        .get("kube-system", "default-scheduler")
        .block(T);
  }

  private long bound(List<String> names) {
    return names.stream().filter(n -> cluster.nodeOf(NS, n) != null).count();
  }

  private static List<String> names(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> prefix + "-" + i).toList();
  }
}
