package io.nauta.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.nauta.core.registry.BuiltInResources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults against the real processes {@code deploy/nauta} runs (API server, scheduler, two
 * controller managers with leader election, a node agent with simulated nodes, a real {@code
 * redis-server}): each case injects one fault while work is in flight and then asserts that the
 * cluster converged with nothing acknowledged lost and nothing doubled, and that an informer and a
 * real {@code kubectl get -w} show exactly what a fresh list shows. The time to converge is printed
 * per case and in a summary at the end.
 *
 * <p>One cluster serves every case (starting six JVMs is the slow part); each case works in a
 * namespace of its own and deletes it at the end.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionIT {

  /** 10 simulated nodes of 110 pods each: room for the 500-pod burst beside the rest. */
  private static final int NODES = 10;

  private static final Duration CONVERGE = Duration.ofMinutes(5);

  /**
   * {@code -Dnauta.faults.scale=0.1} runs every case with a tenth of its pods: a quick check of the
   * harness on a machine too busy for the real sizes. CI runs the real sizes (1).
   */
  private static final double SCALE =
      Double.parseDouble(System.getProperty("nauta.faults.scale", "1"));

  private static int pods(int count) {
    return Math.max(2, (int) Math.round(count * SCALE));
  }

  private static final Path LOGS =
      Path.of(System.getProperty("nauta.faults.logs", "target/fault-injection"));
  private static final Summary SUMMARY = new Summary();

  private static Cluster cluster;
  private static Workloads work;

  @BeforeAll
  static void startCluster() {
    cluster = new Cluster(NODES, "always");
    work = new Workloads(cluster.client);
  }

  @AfterAll
  static void stopCluster() {
    SUMMARY.print(LOGS);
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void apiServerKilledDuringA200ReplicaRollout() {
    String ns = "fault-apiserver-kill";
    work.createNamespace(ns);
    try (var pods = new WatchClients<>(cluster, BuiltInResources.PODS, Pod.class, ns, LOGS)) {
      work.createDeployment(ns, "web", pods(200));
      awaitDeploymentConverged(ns, "web", pods(200), "v1");

      work.rollOut(ns, "web", "v2");
      // Kill while the rollout runs: the new ReplicaSet has pods, the old one still has most.
      Awaitility.await("the rollout started")
          .atMost(CONVERGE)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> work.podsOf(ns, "web", "v2") > 0);
      long newAtKill = work.podsOf(ns, "web", "v2");
      long faultAt = System.nanoTime();
      cluster.apiserver.kill9();
      assertThat(newAtKill).as("pods of the new template when killed").isLessThan(pods(200));
      cluster.apiserver.start().awaitReady(Cluster.START_TIMEOUT);

      awaitConverged(
          "API server kill -9 during a 200-replica rollout",
          faultAt,
          () ->
              join(work.podsDiffer(ns, "web", pods(200), "v2"), work.deploymentDiffers(ns, "web")),
          List.of(pods),
          "new-template pods at the kill: " + newAtKill);
    } finally {
      work.deleteNamespace(ns);
    }
  }

  @Test
  @Order(2)
  void leadingControllerManagerKilled() {
    String ns = "fault-leader-kill";
    cluster.awaitAllReady();
    ComponentProcess leader = cluster.awaitControllerLeader(Duration.ofSeconds(120));
    work.createNamespace(ns);
    try (var pods = new WatchClients<>(cluster, BuiltInResources.PODS, Pod.class, ns, LOGS)) {
      work.createDeployment(ns, "web", pods(150));
      Awaitility.await("the leader is creating pods")
          .atMost(CONVERGE)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> work.pods(ns).size() >= pods(20));
      int podsAtKill = work.pods(ns).size();
      long faultAt = System.nanoTime();
      leader.kill9();
      ComponentProcess standby = cluster.awaitControllerLeader(Duration.ofSeconds(120));
      assertThat(standby).as("the standby took over").isNotSameAs(leader);
      // As a service manager would: the killed one comes back, as the new standby.
      leader.start().awaitReady(Cluster.START_TIMEOUT);

      awaitConverged(
          "leading controller manager kill -9",
          faultAt,
          () ->
              join(work.podsDiffer(ns, "web", pods(150), "v1"), work.deploymentDiffers(ns, "web")),
          List.of(pods),
          "pods at the kill: " + podsAtKill + ", standby " + standby.name() + " took over");
    } finally {
      work.deleteNamespace(ns);
    }
  }

  @Test
  @Order(3)
  void leadingControllerManagerFrozenPastItsLeaseThenResumed() {
    String ns = "fault-leader-freeze";
    int replicas = pods(500);
    cluster.awaitAllReady();
    ComponentProcess leader = cluster.awaitControllerLeader(Duration.ofSeconds(120));
    work.createNamespace(ns);
    try (var pods = new WatchClients<>(cluster, BuiltInResources.PODS, Pod.class, ns, LOGS);
        var highWater = new OwnerHighWater(pods.informer)) {
      Awaitility.await().atMost(CONVERGE).until(pods.informer::hasSynced);
      work.createReplicaSet(ns, "burst", replicas);
      // Frozen with a backlog: it has started creating, far from done.
      Awaitility.await("the leader is creating pods")
          .atMost(CONVERGE)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> work.pods(ns).size() >= pods(30));
      long faultAt = System.nanoTime();
      leader.freeze();
      int podsAtFreeze = work.pods(ns).size();
      ComponentProcess standby = cluster.awaitControllerLeader(Duration.ofSeconds(120));
      assertThat(standby).isNotSameAs(leader);
      // The standby works through the backlog while the old leader still believes it leads.
      Awaitility.await("the standby creates pods")
          .atMost(CONVERGE)
          .until(() -> work.pods(ns).size() >= Math.min(replicas, podsAtFreeze + pods(100)));
      Process frozen = leader.process();
      leader.resume();
      int status = leader.awaitExit(frozen, Duration.ofSeconds(60));
      assertThat(status).as("exit status of the resumed old leader").isEqualTo(75);
      String rsUid = work.replicaSetUid(ns, "burst");

      awaitConverged(
          "leading controller manager kill -STOP past its lease, kill -CONT",
          faultAt,
          () -> work.podsDiffer(ns, "burst", replicas, "v1"),
          List.of(pods),
          "pods at the freeze: " + podsAtFreeze + ", old leader exited 75");
      assertThat(highWater.highest(rsUid))
          .as("most active pods the ReplicaSet ever had at one moment")
          .isEqualTo(replicas);
      // The launcher's supervisor started it again; it is the standby now.
      leader.awaitReady(Cluster.START_TIMEOUT);
    } finally {
      work.deleteNamespace(ns);
    }
  }

  @Test
  @Order(4)
  void networkToRedisCutFor30Seconds() {
    String ns = "fault-redis-network";
    try (WritingCase c = new WritingCase(ns)) {
      ConfigMapWriter writer = c.writer;

      long faultAt = System.nanoTime();
      cluster.redisLink.blackHole();
      Thread scale = background(() -> work.scaleDeployment(ns, "web", pods(40)));
      holdFault(Duration.ofSeconds(30));
      cluster.redisLink.forward();
      // The peer finally resets what was cut (the bytes lost in the hole cannot be resent).
      cluster.redisLink.closeBlackHoled();
      int ackedAtRestore = writer.acknowledged().size();
      awaitAcknowledged(writer, ackedAtRestore + 20);
      writer.close();
      join(scale);

      awaitConverged(
          "network to Redis cut for 30 s",
          faultAt,
          () ->
              join(
                  work.podsDiffer(ns, "web", pods(40), "v1"),
                  work.deploymentDiffers(ns, "web"),
                  missing(writer.acknowledged(), ns)),
          List.of(c.pods, c.configMaps),
          writer.acknowledged().size()
              + " config maps acknowledged, "
              + writer.failed()
              + " failed");
    }
  }

  @Test
  @Order(5)
  void redisKilledWithAppendfsyncAlways() {
    String ns = "fault-redis-kill-always";
    try (WritingCase c = new WritingCase(ns)) {
      ConfigMapWriter writer = c.writer;

      long faultAt = System.nanoTime();
      cluster.redis.kill9();
      Thread scale = background(() -> work.scaleDeployment(ns, "web", pods(30)));
      cluster.redis.restart("always");
      awaitAcknowledged(writer, writer.acknowledged().size() + 20);
      writer.close();
      join(scale);

      awaitConverged(
          "Redis kill -9, AOF appendfsync always",
          faultAt,
          () ->
              join(
                  work.podsDiffer(ns, "web", pods(30), "v1"),
                  work.deploymentDiffers(ns, "web"),
                  missing(writer.acknowledged(), ns)),
          List.of(c.pods, c.configMaps),
          writer.acknowledged().size() + " config maps acknowledged, none lost");
    }
  }

  @Test
  @Order(6)
  void machineCrashUnderAppendfsyncEverysec() {
    String ns = "fault-redis-crash-everysec";
    // Nauta's own default (deploy/nauta up): everysec.
    cluster.redis.kill9();
    cluster.redis.restart("everysec");
    try (WritingCase c = new WritingCase(ns)) {
      ConfigMapWriter writer = c.writer;

      // What the disk holds at this moment is all a machine crash a moment later leaves: the
      // writes acknowledged after it are the documented loss window of everysec.
      List<String> ackedBeforeCrash = writer.acknowledged();
      Path disk = cluster.redis.copyData();
      awaitAcknowledged(writer, ackedBeforeCrash.size() + 20);
      long faultAt = System.nanoTime();
      cluster.redis.kill9();
      cluster.redis.restoreData(disk);
      cluster.redis.restart("everysec");
      Thread scale = background(() -> work.scaleDeployment(ns, "web", pods(30)));
      awaitAcknowledged(writer, writer.acknowledged().size() + 20);
      writer.close();
      join(scale);
      List<String> lostWindow =
          writer.acknowledged().subList(ackedBeforeCrash.size(), writer.acknowledged().size());

      awaitConverged(
          "machine crash under AOF everysec (Redis back in time)",
          faultAt,
          () ->
              join(
                  work.podsDiffer(ns, "web", pods(30), "v1"),
                  work.deploymentDiffers(ns, "web"),
                  missing(ackedBeforeCrash, ns)),
          List.of(c.pods, c.configMaps),
          lostCount(lostWindow, ns)
              + " of "
              + lostWindow.size()
              + " config maps acknowledged in the loss window lost (allowed)");
    }
  }

  @Test
  @Order(7)
  void redisFlushall() {
    String ns = "fault-redis-flushall";
    try (WritingCase c = new WritingCase(ns)) {
      ConfigMapWriter writer = c.writer;

      Map<String, Integer> freshStartsBefore = cluster.freshStarts();
      long faultAt = System.nanoTime();
      RedisClient redis = RedisClient.create(cluster.redis.url());
      try (StatefulRedisConnection<String, String> conn = redis.connect()) {
        assertThat(conn.sync().flushall()).isEqualTo("OK");
      } finally {
        redis.shutdown(Duration.ZERO, Duration.ofSeconds(1));
      }
      // Followed from the flush on: the Deployment applied again must never run twice its pods
      // (two leaders, or one working from caches of what Redis no longer has).
      OwnerHighWater highWater = new OwnerHighWater(c.pods.informer);
      // Everything is gone, namespace included; the user applies it again, and the cluster
      // (nodes re-registered by the agent, leases re-acquired) runs it.
      work.createNamespace(ns);
      work.createDeployment(ns, "web", pods(20));
      int ackedBeforeNamespace = writer.acknowledged().size();
      awaitAcknowledged(writer, ackedBeforeNamespace + 20);
      writer.close();
      List<String> afterFlush =
          writer.acknowledged().subList(ackedBeforeNamespace, writer.acknowledged().size());

      awaitConverged(
          "Redis FLUSHALL",
          faultAt,
          () ->
              join(
                  work.podsDiffer(ns, "web", pods(20), "v1"),
                  work.deploymentDiffers(ns, "web"),
                  missing(afterFlush, ns)),
          List.of(c.pods, c.configMaps),
          () ->
              "everything before the flush gone, as documented; fresh starts: "
                  + freshStartsSince(freshStartsBefore));
      highWater.close();
      cluster
          .freshStarts()
          .forEach(
              (name, n) ->
                  assertThat(n - freshStartsBefore.getOrDefault(name, 0))
                      .as(name + " started afresh after its informers saw Redis go back in time")
                      .isPositive());
      assertThat(highWater.highestTotal())
          .as("most active pods of ReplicaSets in the namespace at one moment after the flush")
          .isLessThanOrEqualTo(pods(20));
    }
  }

  // --- helpers

  /** Each component's exits to start afresh since {@code before}, e.g. "agent 1, scheduler 1". */
  private String freshStartsSince(Map<String, Integer> before) {
    List<String> since = new ArrayList<>();
    cluster
        .freshStarts()
        .forEach((name, n) -> since.add(name + " " + (n - before.getOrDefault(name, 0))));
    return String.join(", ", since);
  }

  /**
   * The setting of the Redis cases: a namespace with a Deployment of 20 ready pods, the watch
   * clients on its pods and config maps, and a writer creating config maps, 20 already
   * acknowledged. Closing it stops the writer and the watches and deletes the namespace.
   */
  private final class WritingCase implements AutoCloseable {
    final String ns;
    final WatchClients<Pod> pods;
    final WatchClients<ConfigMap> configMaps;
    final ConfigMapWriter writer;

    WritingCase(String ns) {
      this.ns = ns;
      cluster.awaitAllReady();
      work.createNamespace(ns);
      pods = new WatchClients<>(cluster, BuiltInResources.PODS, Pod.class, ns, LOGS);
      configMaps =
          new WatchClients<>(cluster, BuiltInResources.CONFIGMAPS, ConfigMap.class, ns, LOGS);
      work.createDeployment(ns, "web", pods(20));
      awaitDeploymentConverged(ns, "web", pods(20), "v1");
      writer = new ConfigMapWriter(cluster.client, ns, "cm");
      awaitAcknowledged(writer, 20);
    }

    @Override
    public void close() {
      writer.close();
      pods.close();
      configMaps.close();
      work.deleteNamespace(ns);
    }
  }

  private void awaitDeploymentConverged(String ns, String name, int replicas, String version) {
    Awaitility.await(name + " has " + replicas + " ready pods of " + version)
        .atMost(CONVERGE)
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .until(
            () ->
                join(work.podsDiffer(ns, name, replicas, version), work.deploymentDiffers(ns, name))
                    .isEmpty());
  }

  /**
   * Waits until {@code state} reports no difference and every watch client shows what a fresh list
   * shows, then records the time since {@code faultAt}.
   */
  private void awaitConverged(
      String testCase,
      long faultAt,
      Supplier<String> state,
      List<WatchClients<?>> watchers,
      String detail) {
    awaitConverged(testCase, faultAt, state, watchers, () -> detail);
  }

  /** As above, with the summary's detail worked out once the case converged. */
  private void awaitConverged(
      String testCase,
      long faultAt,
      Supplier<String> state,
      List<WatchClients<?>> watchers,
      Supplier<String> detail) {
    String[] last = {"not checked yet"};
    try {
      Awaitility.await(testCase + " converges")
          .atMost(CONVERGE)
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                try {
                  StringBuilder lag = new StringBuilder(state.get());
                  for (WatchClients<?> w : watchers) {
                    lag.append(w.lag());
                  }
                  last[0] = lag.toString();
                } catch (RuntimeException e) {
                  last[0] = "reading the state failed: " + e;
                }
                return last[0].isEmpty();
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          testCase + " did not converge within " + CONVERGE + ": " + last[0], e);
    }
    int kubectlRestarts = 0;
    for (WatchClients<?> w : watchers) {
      kubectlRestarts += w.kubectl.restarts();
    }
    SUMMARY.converged(
        testCase,
        Duration.ofNanos(System.nanoTime() - faultAt),
        detail.get() + "; kubectl -w restarted " + kubectlRestarts + "x");
  }

  private static void awaitAcknowledged(ConfigMapWriter writer, int count) {
    Awaitility.await(count + " config maps acknowledged")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> writer.acknowledged().size() >= count);
  }

  /** "" when every acknowledged config map is there, else what is missing. */
  private String missing(List<String> acknowledged, String ns) {
    int lost = lostCount(acknowledged, ns);
    return lost == 0 ? "" : lost + " of " + acknowledged.size() + " acknowledged config maps lost";
  }

  private int lostCount(List<String> acknowledged, String ns) {
    Set<String> present = new HashSet<>();
    work.configMaps(ns).forEach(c -> present.add(c.getMetadata().getName()));
    int lost = 0;
    for (String name : acknowledged) {
      if (!present.contains(name)) {
        lost++;
      }
    }
    return lost;
  }

  private static String join(String... problems) {
    List<String> all = new ArrayList<>();
    for (String p : problems) {
      if (!p.isEmpty()) {
        all.add(p);
      }
    }
    return String.join("; ", all);
  }

  /** A write that must eventually be acknowledged, issued while the fault lasts. */
  private static Thread background(Runnable write) {
    Thread t = new Thread(write, "fault-case-write");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void join(Thread t) {
    try {
      t.join(Duration.ofMinutes(2).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    assertThat(t.isAlive()).as("the write issued during the fault finished").isFalse();
  }

  /** Keeps a fault in place for its whole duration: the length of the outage is the point. */
  private static void holdFault(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
