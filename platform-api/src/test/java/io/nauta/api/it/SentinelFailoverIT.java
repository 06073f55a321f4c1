package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.nauta.api.support.KubectlWatch;
import io.nauta.api.support.Objects;
import io.nauta.api.support.RedisProcess;
import io.nauta.api.support.SentinelProcess;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.ListOptions;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Nauta on a Sentinel-managed Redis (a master, a replica with {@code REPLICAOF}, a Sentinel, all
 * real processes) while clients create config maps and an informer watches: a {@code SENTINEL
 * FAILOVER} and a master killed with SIGKILL. Nauta must follow the new master without a restart;
 * afterwards nothing acknowledged is missing (beyond the asynchronous replication window of the
 * kill), nothing is there twice, and the informer holds exactly what a fresh list shows.
 *
 * <p>For the planned failover the master runs with {@code min-replicas-to-write 1}, as the README
 * advises for Sentinel: once the replica is promoted and stops following it, the old master refuses
 * writes instead of acknowledging ones the new master will never have.
 */
class SentinelFailoverIT {

  private static final String NS = "failover";
  private static final String CONFIGMAPS = "/api/v1/namespaces/" + NS + "/configmaps";
  private static final Duration CONVERGE = Duration.ofSeconds(60);
  private static final int CLIENTS = 3;

  /** Nauta checks every second; the rest is margin for a loaded machine. */
  private static final Duration FOLLOWED_WITHIN = Duration.ofSeconds(5);

  private RedisProcess master;
  private RedisProcess replica;
  private SentinelProcess sentinel;
  private TestApiServer server;
  private ApiCalls api;
  private SharedInformer<ConfigMap> informer;
  private KubectlWatch kubectl;
  @TempDir Path dir;

  @AfterEach
  void stop() {
    for (AutoCloseable c :
        new AutoCloseable[] {kubectl, informer, server, sentinel, replica, master}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          // the next one still must be closed
        }
      }
    }
  }

  /**
   * Master, replica and a Sentinel watching them; a fenced master refuses writes while no replica
   * follows it ({@code min-replicas-to-write 1}).
   */
  private void startRedis(boolean fenced) {
    master =
        RedisProcess.start(
            "everysec",
            fenced
                ? List.of("--min-replicas-to-write", "1", "--min-replicas-max-lag", "1")
                : List.of());
    replica =
        RedisProcess.start(
            "everysec", List.of("--replicaof", "127.0.0.1", Integer.toString(master.port())));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> master.command(c -> c.info("replication")).contains("connected_slaves:1"));
    // Not shorter: on a loaded machine a busy new master would seem down, and fail back.
    sentinel = SentinelProcess.start(master, 1, Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(20)).until(() -> sentinel.knownReplicas() == 1);
  }

  /** An API server that knows only the Sentinel, and an informer on it. */
  private void startServer(String... redisProperties) {
    List<String> props = new ArrayList<>(List.of(redisProperties));
    props.add("nauta.redis.command-timeout=2s");
    props.add("server.shutdown=immediate");
    server = TestApiServer.start(props.toArray(String[]::new));
    api = new ApiCalls(server);
    assertThat(api.post("/api/v1/namespaces", Objects.namespace(NS)).status()).isEqualTo(201);
    informer =
        new SharedInformer<>(
            server.kubeClient().resource(BuiltInResources.CONFIGMAPS, ConfigMap.class),
            NS,
            ListOptions.none(),
            Duration.ofMillis(50),
            Duration.ofMillis(500));
    informer.start().synced().block(Duration.ofSeconds(10));
    // The other watch client: a real kubectl get -w, run again whenever the server ends its watch.
    kubectl =
        new KubectlWatch(server.kubeconfig(dir), "configmaps", NS, dir.resolve("kubectl-w.log"));
  }

  @Test
  void aSentinelFailoverIsFollowedAndLosesAtMostTheLagWindow() throws Exception {
    startRedis(true);
    // The URL form: the Sentinels and the master's name.
    startServer(
        "nauta.redis.url=redis-sentinel://127.0.0.1:"
            + sentinel.port()
            + "/0#"
            + SentinelProcess.MASTER);
    try (Writers writers = new Writers(api)) {
      long writing = System.nanoTime();
      await().atMost(CONVERGE).until(() -> writers.acknowledged() >= 100);
      System.out.printf(
          "SentinelFailoverIT: the first 100 writes took %d ms%n", millisSince(writing));
      // Acknowledged before the failover began: replicated (localhost replication is immediate)
      // before the replica is promoted. Writes acknowledged after that may be lost: the old master
      // goes on acknowledging until its replica has been silent for min-replicas-max-lag.
      Set<String> ackedBeforeFailover = Set.copyOf(writers.named);
      long started = System.nanoTime();
      sentinel.failover();
      await().atMost(CONVERGE).until(() -> sentinel.masterPort() == replica.port());
      long switched = System.nanoTime();
      int ackedAtSwitch = writers.acknowledged();
      await().atMost(CONVERGE).until(() -> writers.acknowledged() >= ackedAtSwitch + 100);
      System.out.printf(
          "SentinelFailoverIT SENTINEL FAILOVER: Sentinel named the new master after %d ms,"
              + " 100 more writes acknowledged %d ms after that, failed requests: %s%n",
          (switched - started) / 1_000_000, millisSince(switched), writers.failureKinds);
      writers.stop();

      // Nauta moved to the new master soon after the Sentinels named it, without waiting for them
      // to demote the old one (which refuses writes meanwhile).
      assertThat(Duration.ofNanos(writers.lastFailure.get() - switched))
          .as("writes failed until this long after the Sentinels named the new master")
          .isLessThan(FOLLOWED_WITHIN);
      assertThat(replica.role()).isEqualTo("master");
      await()
          .atMost(CONVERGE)
          .alias("the old master follows the new one")
          .ignoreExceptions() // the Sentinel kills the old master's clients when it demotes it
          .until(() -> master.role().equals("slave"));
      assertThat(writers.errors).as("unexpected answers").isEmpty();
      Set<String> names = listed().keySet();
      assertThat(names)
          .as("every write acknowledged before the failover")
          .containsAll(ackedBeforeFailover);
      Set<String> lost = new TreeSet<>(writers.named);
      lost.removeAll(names);
      System.out.printf(
          "SentinelFailoverIT SENTINEL FAILOVER: %d of %d acknowledged writes lost in the"
              + " min-replicas-max-lag window: %s%n",
          lost.size(), writers.named.size(), lost);
      assertThat(names).as("no object nobody sent").isSubsetOf(writers.attempted);
    }
    assertInformerConverges("SENTINEL FAILOVER");
  }

  /**
   * The master killed while its replica lags (frozen with SIGSTOP for a moment and cut off, so the
   * window of asynchronous replication is sure to hold acknowledged writes): the promoted replica
   * has an older history. Those writes are lost, as Redis documents; Nauta must notice that Redis
   * went back in time, end its watches with 410 Gone, and every client must relist to what the new
   * master holds.
   */
  @Test
  void aKilledMasterIsReplacedAndWatchersRelistWhatTheNewMasterHas() throws Exception {
    startRedis(false);
    // The separate settings form.
    startServer(
        "nauta.redis.url=",
        "nauta.redis.sentinel.master=" + SentinelProcess.MASTER,
        "nauta.redis.sentinel.nodes=127.0.0.1:" + sentinel.port());
    try (WatchStream watch = new WatchStream(server, CONFIGMAPS + "?watch=true");
        Writers writers = new Writers(api)) {
      await().atMost(CONVERGE).until(() -> writers.acknowledged() >= 100);
      // Everything acknowledged so far has reached the replica.
      Set<String> replicated = writers.acknowledgedNames();
      long offset = replicationOffset(master, "master_repl_offset");
      await()
          .atMost(CONVERGE)
          .until(() -> replicationOffset(replica, "slave_repl_offset") >= offset);
      // The replica stops following: frozen, and its replication link closed by the master. It
      // can neither read what was sent nor reconnect, while the master goes on acknowledging.
      replica.pause();
      master.command(c -> c.clientKill(io.lettuce.core.KillArgs.Builder.typeSlave()));
      int ackedAtPause = writers.acknowledged();
      await().atMost(CONVERGE).until(() -> writers.acknowledged() >= ackedAtPause + 30);
      master.kill9();
      long killed = System.nanoTime();
      Set<String> ackedAtKill = writers.acknowledgedNames();
      replica.resume();
      await().atMost(CONVERGE).until(() -> sentinel.masterPort() == replica.port());
      long switched = System.nanoTime();
      Set<String> ackedAtSwitch = writers.acknowledgedNames();
      await().atMost(CONVERGE).until(() -> writers.acknowledged() >= ackedAtSwitch.size() + 100);
      System.out.printf(
          "SentinelFailoverIT kill -9 of the master: Sentinel named the new master after %d ms,"
              + " 100 more writes acknowledged %d ms after that, failed requests: %s%n",
          (switched - killed) / 1_000_000, millisSince(switched), writers.failureKinds);
      writers.stop();

      assertThat(writers.errors).as("unexpected answers").isEmpty();
      Set<String> names = listed().keySet();
      assertThat(names).as("acknowledged and replicated").containsAll(replicated);
      Set<String> afterSwitch = writers.acknowledgedNames();
      afterSwitch.removeAll(ackedAtSwitch);
      assertThat(names).as("acknowledged by the new master").containsAll(afterSwitch);
      assertThat(names).as("no object nobody sent").isSubsetOf(writers.attempted);
      Set<String> lost = new TreeSet<>(ackedAtKill);
      lost.removeAll(names);
      System.out.printf(
          "SentinelFailoverIT kill -9 of the master: %d of %d acknowledged writes lost with the"
              + " replication window%n",
          lost.size(), ackedAtKill.size());
      assertThat(lost).as("the window lost the writes the frozen replica missed").isNotEmpty();

      // The watch that followed the old master's history was ended with 410 Gone.
      await().atMost(CONVERGE).until(watch::ended);
      JsonNode last = watch.events().get(watch.events().size() - 1);
      assertThat(last.path("type").asString()).isEqualTo("ERROR");
      assertThat(last.path("object").path("code").asInt()).isEqualTo(410);
      assertThat(informer.listCount()).as("the informer listed again").isGreaterThan(1);
    }
    assertInformerConverges("kill -9 of the master");
  }

  private static long replicationOffset(RedisProcess redis, String field) {
    return redis
        .command(c -> c.info("replication"))
        .lines()
        .filter(l -> l.startsWith(field + ":"))
        .mapToLong(l -> Long.parseLong(l.substring(field.length() + 1).trim()))
        .findFirst()
        .orElseThrow();
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  /**
   * Names and resource versions a fresh list shows (a 504 while the cache catches up is retried).
   */
  private Map<String, String> listed() {
    ApiCalls.Response[] answer = new ApiCalls.Response[1];
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> (answer[0] = api.get(CONFIGMAPS)).status() < 500);
    assertThat(answer[0].status()).as(answer[0].raw()).isEqualTo(200);
    Map<String, String> byName = new TreeMap<>();
    List<String> names = new ArrayList<>();
    for (JsonNode item : answer[0].body().path("items")) {
      String name = item.path("metadata").path("name").asString();
      names.add(name);
      byName.put(name, item.path("metadata").path("resourceVersion").asString());
    }
    assertThat(names).as("no name listed twice").doesNotHaveDuplicates();
    return byName;
  }

  private Map<String, String> informed() {
    Map<String, String> byName = new TreeMap<>();
    for (ConfigMap cm : informer.store().list()) {
      byName.put(cm.getMetadata().getName(), cm.getMetadata().getResourceVersion());
    }
    return byName;
  }

  private void assertInformerConverges(String fault) {
    long started = System.nanoTime();
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              Map<String, String> fresh = listed();
              assertThat(informed()).as("informer").isEqualTo(fresh);
              assertThat(kubectl.state()).as("kubectl get -w").isEqualTo(fresh);
            });
    System.out.printf(
        "SentinelFailoverIT %s: informer and kubectl get -w matched a fresh list %d ms after the"
            + " writes ended%n",
        fault, millisSince(started));
  }

  /**
   * Clients creating named config maps one after the other, each retried after a 5xx (outcome
   * unknown) until acknowledged; a 409 AlreadyExists after such a retry means the earlier attempt
   * happened.
   */
  private static final class Writers implements AutoCloseable {

    final Set<String> named = ConcurrentHashMap.newKeySet();
    final Set<String> attempted = ConcurrentHashMap.newKeySet();
    final AtomicInteger failures = new AtomicInteger();
    final java.util.concurrent.atomic.AtomicLong lastFailure =
        new java.util.concurrent.atomic.AtomicLong();
    final Map<String, Integer> failureKinds = new ConcurrentHashMap<>();
    final List<String> errors = new CopyOnWriteArrayList<>();
    private final ApiCalls api;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    Writers(ApiCalls api) {
      this.api = api;
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        Thread t =
            new Thread(
                () -> {
                  for (int i = 0; !stopped.get(); i++) {
                    create("w" + client + "-" + i);
                  }
                },
                "failover-writer-" + c);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
    }

    int acknowledged() {
      return named.size();
    }

    Set<String> acknowledgedNames() {
      return new TreeSet<>(named);
    }

    private void create(String name) {
      attempted.add(name);
      boolean inDoubt = false;
      while (true) {
        ApiCalls.Response r;
        try {
          r = api.post(CONFIGMAPS, Objects.configMap(name, "v"));
        } catch (RuntimeException | AssertionError e) {
          errors.add(name + ": no answer: " + e);
          return;
        }
        if (r.status() == 201
            || (r.status() == 409 && inDoubt && r.reason().equals("AlreadyExists"))) {
          named.add(name);
          return;
        }
        if (r.status() < 500 || !r.body().path("kind").asString().equals("Status")) {
          errors.add(name + ": " + r.status() + " " + r.raw());
          return;
        }
        failures.incrementAndGet();
        lastFailure.set(System.nanoTime());
        System.out.println(
            "SentinelFailoverIT failure at " + java.time.Instant.now() + ": " + r.status());
        failureKinds.merge(
            r.status() + " " + r.body().path("message").asString().replaceAll("[0-9]+", "N"),
            1,
            Integer::sum);
        inDoubt = true;
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    /** Lets each client finish its create (until acknowledged), then ends. */
    void stop() throws InterruptedException {
      stopped.set(true);
      for (Thread t : threads) {
        t.join(CONVERGE.toMillis());
        assertThat(t.isAlive()).as(t.getName() + " ended").isFalse();
      }
    }

    @Override
    public void close() throws InterruptedException {
      stopped.set(true);
      for (Thread t : threads) {
        t.join(CONVERGE.toMillis());
      }
    }
  }
}
