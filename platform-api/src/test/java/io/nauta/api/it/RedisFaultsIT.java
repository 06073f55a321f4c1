package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.nauta.api.support.BlackHoleProxy;
import io.nauta.api.support.Objects;
import io.nauta.api.support.RedisProcess;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.ListOptions;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Redis failing under a running API server, a steady stream of creates from several clients and an
 * informer: the Redis process killed with SIGKILL and started again, the network to it cut for a
 * while, and a machine crash that loses the last writes (Redis restarted from an earlier copy of
 * its append-only files). After each fault, nothing acknowledged is missing (beyond what the crash
 * lost), nothing is there twice, and the informer holds exactly what a fresh list shows.
 *
 * <p>Each client creates config maps one after the other, one of them with {@code generateName},
 * the others with names of their own. A named create that fails with a 5xx (its outcome unknown) is
 * retried until it succeeds; a 409 AlreadyExists then means an earlier attempt did happen, which
 * counts as success. A {@code generateName} create is not retried (a retry would be a second object
 * by design): a failed one is in doubt, and may or may not exist afterwards.
 */
class RedisFaultsIT {

  private static final String NS = "faults";
  private static final String CONFIGMAPS = "/api/v1/namespaces/" + NS + "/configmaps";
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

  /** How long the network to Redis stays cut (30 s in the issue; shorter to keep CI time). */
  private static final Duration NETWORK_CUT = Duration.ofSeconds(12);

  /** A failed request answers within the command timeout plus this (no hang). */
  private static final Duration FAILURE_MARGIN = Duration.ofSeconds(3);

  private static final int CLIENTS = 3;
  private static final Duration CONVERGE = Duration.ofSeconds(60);

  private RedisProcess redis;
  private BlackHoleProxy proxy;
  private TestApiServer server;
  private ApiCalls api;
  private SharedInformer<ConfigMap> informer;

  @AfterEach
  void stop() {
    if (informer != null) {
      informer.close();
    }
    if (server != null) {
      server.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private void startServer(String redisUrl) {
    server =
        TestApiServer.start(
            "nauta.redis.url=" + redisUrl,
            "nauta.redis.command-timeout=" + COMMAND_TIMEOUT.toMillis() + "ms",
            "server.shutdown=immediate");
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
  }

  @Test
  void redisKilledAndRestartedWithFsyncAlwaysLosesNothingAcknowledged() throws Exception {
    redis = RedisProcess.start("always");
    startServer(redis.url());

    try (Writers writers = new Writers(api)) {
      await().atMost(CONVERGE).until(() -> writers.acknowledged() >= 100);
      redis.kill9();
      long killed = System.nanoTime();
      // Redis stays down until requests have failed on it.
      await().atMost(CONVERGE).until(() -> writers.failures.get() >= CLIENTS);
      redis.restart("always");
      long restarted = System.nanoTime();
      int ackedAtRestart = writers.acknowledged();
      await().atMost(CONVERGE).until(() -> writers.acknowledged() >= ackedAtRestart + 10);
      System.out.printf(
          "RedisFaultsIT kill -9 (always): down %d ms, writes again %d ms after restart%n",
          (restarted - killed) / 1_000_000, millisSince(restarted));
      await().atMost(CONVERGE).until(() -> writers.acknowledged() >= 300);
      writers.stop();
      assertNothingLostNothingDoubled(writers);
    }
    assertInformerConverges("kill -9 (always)");
  }

  @Test
  void aCutNetworkFailsRequestsInTimeAndWritesWorkAgainAfterwards() throws Exception {
    redis = RedisProcess.start("everysec");
    proxy = new BlackHoleProxy("127.0.0.1", redis.port());
    startServer(proxy.url().replace("http://", "redis://"));

    try (Writers writers = new Writers(api)) {
      await().atMost(CONVERGE).until(() -> writers.acknowledged() >= 50);
      // Nothing passes any more, and open connections drop; new ones are accepted and stay silent.
      int failuresBefore = writers.failures.get();
      proxy.blackHole();
      proxy.closeBlackHoled();
      long cut = System.nanoTime();
      writers.resetSlowestFailure();
      // Once requests fail, nothing is acknowledged for as long as the cut lasts.
      await().atMost(NETWORK_CUT).until(() -> writers.failures.get() > failuresBefore);
      int ackedInCut = writers.acknowledged();
      Duration left = NETWORK_CUT.minusMillis(millisSince(cut));
      await()
          .during(left)
          .atMost(left.plusSeconds(5))
          .until(() -> writers.acknowledged() == ackedInCut);
      int failuresDuringCut = writers.failures.get() - failuresBefore;
      proxy.forward();
      proxy.closeBlackHoled();
      long healed = System.nanoTime();
      int ackedAtHeal = writers.acknowledged();
      await().atMost(CONVERGE).until(() -> writers.acknowledged() >= ackedAtHeal + 20);
      System.out.printf(
          "RedisFaultsIT network cut: %d ms cut, %d failed requests, slowest failure %d ms,"
              + " writes again %d ms after the cut%n",
          (healed - cut) / 1_000_000,
          failuresDuringCut,
          writers.slowestFailure.get() / 1_000_000,
          millisSince(healed));
      writers.stop();

      assertThat(failuresDuringCut).isGreaterThanOrEqualTo(CLIENTS);
      assertThat(Duration.ofNanos(writers.slowestFailure.get()))
          .isLessThan(COMMAND_TIMEOUT.plus(FAILURE_MARGIN));
      assertNothingLostNothingDoubled(writers);
    }
    assertInformerConverges("network cut");
  }

  /**
   * A machine crash under {@code appendfsync everysec}: the last writes Redis acknowledged had not
   * reached the disk. (A {@code kill -9} of the process alone loses nothing with everysec, the
   * kernel still has the file; so the machine's disk is simulated by a copy of the append-only
   * files taken while the writes go on, and Redis restarts from that copy.) Only what was
   * acknowledged after the copy may be lost, and the informer, which had seen those writes, must
   * drop them: Redis hands out their resource versions again.
   */
  @Test
  void aMachineCrashUnderEverysecLosesOnlyTheLastWritesAndTheInformerFollows() throws Exception {
    redis = RedisProcess.start("everysec");
    startServer(redis.url());

    try (Writers writers = new Writers(api)) {
      await().atMost(CONVERGE).until(() -> writers.acknowledged() >= 100);
      Set<String> beforeCopy = writers.acknowledgedNames();
      java.nio.file.Path disk = redis.copyData();
      int ackedAtCopy = writers.acknowledged();
      await().atMost(CONVERGE).until(() -> writers.acknowledged() >= ackedAtCopy + 50);
      Set<String> beforeCrash = writers.acknowledgedNames();
      // The informer has seen what the crash will lose.
      await().atMost(CONVERGE).until(() -> informed().keySet().containsAll(beforeCrash));
      redis.kill9();
      redis.restoreData(disk);
      redis.restart("everysec");
      long restarted = System.nanoTime();
      Set<String> atRestart = writers.acknowledgedNames();
      // A few writes, fewer than the crash lost: Redis's counter is still below what the API
      // server's cache and the informer saw, and nothing is read from the stream yet.
      await().atMost(CONVERGE).until(() -> writers.acknowledged() >= atRestart.size() + 10);
      System.out.printf(
          "RedisFaultsIT machine crash (everysec): writes again %d ms after restart%n",
          millisSince(restarted));
      writers.stop();

      assertThat(writers.errors).as("unexpected answers").isEmpty();
      Set<String> names = listed().keySet();
      Set<String> lost = new java.util.TreeSet<>(atRestart);
      lost.removeAll(names);
      System.out.printf(
          "RedisFaultsIT machine crash (everysec): %d of %d acknowledged lost, %d listed%n",
          lost.size(), atRestart.size(), names.size());
      assertThat(names).as("acknowledged before the copy").containsAll(beforeCopy);
      assertThat(lost).as("the crash lost the writes after the copy").isNotEmpty();
      // Sent after the restart, not merely acknowledged after it: on a loaded machine the answer to
      // a write the old Redis took just before the crash (and lost with it) can reach its client
      // after the restart (CI saw one such per client once).
      Set<String> afterRestart = writers.acknowledgedAndSentAfter(restarted);
      assertThat(names).as("sent and acknowledged after the restart").containsAll(afterRestart);
      assertThat(names.stream().filter(n -> !n.startsWith(Writers.GENERATED)))
          .as("no named object nobody sent")
          .isSubsetOf(writers.attemptedNames);
      assertThat(names.stream().filter(n -> n.startsWith(Writers.GENERATED)).count())
          .isLessThanOrEqualTo(writers.generated.size() + writers.generatedInDoubt.get());
    }
    assertInformerConverges("machine crash (everysec)");
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  /** The names and resource versions of the config maps a fresh list shows. */
  private Map<String, String> listed() {
    // A cache that is still catching up with Redis may answer 504 (a client retries it); what it
    // must not do is answer 200 with something else than Redis holds.
    ApiCalls.Response[] answer = new ApiCalls.Response[1];
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> (answer[0] = api.get(CONFIGMAPS)).status() != 504);
    ApiCalls.Response list = answer[0];
    assertThat(list.status()).as(list.raw()).isEqualTo(200);
    Map<String, String> byName = new TreeMap<>();
    List<String> names = new ArrayList<>();
    for (JsonNode item : list.body().path("items")) {
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

  private void assertNothingLostNothingDoubled(Writers writers) {
    assertThat(writers.errors).as("unexpected answers").isEmpty();
    Set<String> names = listed().keySet();
    Set<String> named = new java.util.TreeSet<>();
    Set<String> generated = new java.util.TreeSet<>();
    for (String name : names) {
      (name.startsWith(Writers.GENERATED) ? generated : named).add(name);
    }
    // Every named create was retried until acknowledged, and nothing else made named ones.
    assertThat(named).containsExactlyInAnyOrderElementsOf(writers.named);
    assertThat(generated).containsAll(writers.generated);
    assertThat(generated.size())
        .as("generateName objects: at most the acknowledged and the in-doubt creates")
        .isLessThanOrEqualTo(writers.generated.size() + writers.generatedInDoubt.get());
    System.out.printf(
        "RedisFaultsIT: %d named, %d generated (%d acknowledged, %d in doubt), %d failures%n",
        named.size(),
        generated.size(),
        writers.generated.size(),
        writers.generatedInDoubt.get(),
        writers.failures.get());
  }

  private void assertInformerConverges(String fault) {
    long started = System.nanoTime();
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(informed()).isEqualTo(listed()));
    System.out.printf(
        "RedisFaultsIT %s: informer matched a fresh list %d ms after the writes ended%n",
        fault, millisSince(started));
  }

  /**
   * Clients creating config maps one after the other on their own threads until stopped, each
   * remembering what was acknowledged.
   */
  private static final class Writers implements AutoCloseable {

    static final String GENERATED = "gen-";

    final Set<String> named = ConcurrentHashMap.newKeySet();
    final Set<String> generated = ConcurrentHashMap.newKeySet();
    final Set<String> attemptedNames = ConcurrentHashMap.newKeySet();
    final AtomicInteger generatedInDoubt = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicLong slowestFailure = new AtomicLong();
    final List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ApiCalls api;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    Writers(ApiCalls api) {
      this.api = api;
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        Thread t = new Thread(() -> run(client), "faults-writer-" + c);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
    }

    /** When the attempt that made each acknowledged name was sent ({@link System#nanoTime()}). */
    final Map<String, Long> ackedSentAt = new ConcurrentHashMap<>();

    /** The acknowledged names whose making attempt was sent after {@code nanos}. */
    Set<String> acknowledgedAndSentAfter(long nanos) {
      Set<String> out = new java.util.TreeSet<>();
      for (String name : acknowledgedNames()) {
        Long sent = ackedSentAt.get(name);
        if (sent != null && sent - nanos > 0) {
          out.add(name);
        }
      }
      return out;
    }

    Set<String> acknowledgedNames() {
      Set<String> all = new java.util.TreeSet<>(named);
      all.addAll(generated);
      return all;
    }

    int acknowledged() {
      return named.size() + generated.size();
    }

    void resetSlowestFailure() {
      slowestFailure.set(0);
    }

    private void run(int client) {
      // The first client uses generateName, the others names (retried until acknowledged).
      for (int i = 0; !stopped.get(); i++) {
        if (client == 0) {
          createGenerated();
        } else {
          createNamed("c" + client + "-" + i);
        }
      }
    }

    /** Until it is acknowledged: a retry after an unknown outcome may find it made (409). */
    private void createNamed(String name) {
      attemptedNames.add(name);
      long firstSent = System.nanoTime();
      boolean inDoubt = false;
      while (true) {
        long sent = System.nanoTime();
        Outcome outcome = post(Objects.configMap(name, "v"));
        if (outcome.response != null && outcome.response.status() == 201) {
          ackedSentAt.put(name, sent);
          named.add(name);
          return;
        }
        if (outcome.response != null
            && outcome.response.status() == 409
            && outcome.response.reason().equals("AlreadyExists")) {
          if (!inDoubt) {
            errors.add("409 for " + name + " before any attempt was in doubt");
          }
          // Made by an earlier attempt, which one is not known: the first is the earliest.
          ackedSentAt.put(name, firstSent);
          named.add(name);
          return;
        }
        if (!failed(outcome, name)) {
          return;
        }
        inDoubt = true;
      }
    }

    private void createGenerated() {
      long sent = System.nanoTime();
      Outcome outcome =
          post(
              """
              {"apiVersion":"v1","kind":"ConfigMap","metadata":{"generateName":"%s"},
               "data":{"key":"v"}}"""
                  .formatted(GENERATED));
      if (outcome.response != null && outcome.response.status() == 201) {
        String name = outcome.response.body().path("metadata").path("name").asString();
        ackedSentAt.put(name, sent);
        generated.add(name);
      } else if (failed(outcome, GENERATED)) {
        generatedInDoubt.incrementAndGet();
      }
    }

    /**
     * Records a failed attempt; true if it is a failure with unknown outcome (a 5xx {@code
     * Status}), false (and an error) for anything else.
     */
    private boolean failed(Outcome outcome, String name) {
      if (outcome.response == null) {
        errors.add(name + ": no answer: " + outcome.error);
        return false;
      }
      ApiCalls.Response r = outcome.response;
      if (r.status() < 500 || !r.body().path("kind").asString().equals("Status")) {
        errors.add(name + ": " + r.status() + " " + r.raw());
        return false;
      }
      failures.incrementAndGet();
      slowestFailure.accumulateAndGet(outcome.nanos, Math::max);
      // A client backs off a little before trying again.
      sleep(Duration.ofMillis(100));
      return true;
    }

    private record Outcome(ApiCalls.Response response, Throwable error, long nanos) {}

    private Outcome post(String json) {
      long started = System.nanoTime();
      try {
        ApiCalls.Response r = api.post(CONFIGMAPS, json);
        return new Outcome(r, null, System.nanoTime() - started);
      } catch (RuntimeException | AssertionError e) {
        return new Outcome(null, e, System.nanoTime() - started);
      }
    }

    private static void sleep(Duration d) {
      try {
        Thread.sleep(d.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Lets each client finish the create it is in (a named one until acknowledged), then ends. */
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
