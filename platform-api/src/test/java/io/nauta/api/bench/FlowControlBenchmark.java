package io.nauta.api.bench;

import io.nauta.api.support.TestApiServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * What API priority and fairness does for the admin during a flood, and what it costs a request.
 * Three secure API servers in this JVM on one Redis and one PKI (so one token works on all): APF
 * off ({@code nauta.flowcontrol.enabled=false}), APF on with Kubernetes' limits (400 + 200), and
 * APF on with small limits (4 + 2: the {@code workload-low} level of service accounts gets 3 seats)
 * so that one service account's 200 concurrent lists are a flood on a 2-core machine.
 *
 * <p>Part 1, the admin's p50/p99 GET latency (sequential, JDK HTTP client with the admin
 * certificate) on the quiet server and while one service account keeps 200 list requests in flight
 * (each answered one replaced at once, Retry-After ignored: the worst client), for APF off and APF
 * on with small limits. Part 2, the filter's cost: gets/s of a service account (token, RBAC, 16 in
 * flight, never limited) against APF off and APF on with Kubernetes' limits, rounds alternating,
 * median. Run with {@code deploy/bench/flowcontrol.sh [gets [rounds [samples]]]} (defaults 3000 5
 * 400); not part of the test suite.
 */
public final class FlowControlBenchmark {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String NS = "bench";
  private static final int FLOOD = 200;

  public static void main(String[] args) throws Exception {
    int gets = args.length > 0 ? Integer.parseInt(args[0]) : 3_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int samples = args.length > 2 ? Integer.parseInt(args[2]) : 400;
    Path pki = Files.createTempDirectory("bench-apf-pki");
    String pkiDir = "nauta.security.pki-dir=" + pki;
    try (TestApiServer off =
            TestApiServer.startOnEmptyRedis(
                pkiDir, "nauta.flowcontrol.enabled=false", "logging.level.root=WARN");
        TestApiServer on = TestApiServer.start(pkiDir, "logging.level.root=WARN");
        TestApiServer small =
            TestApiServer.start(
                pkiDir,
                "nauta.flowcontrol.max-requests-inflight=4",
                "nauta.flowcontrol.max-mutating-requests-inflight=2",
                "logging.level.root=WARN")) {
      String token = setUp(off);
      // The bootstrap objects are written by whichever server starts first; wait until the
      // service-accounts schema exists, else the flood would fall to catch-all.
      waitFor(small, "/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas/service-accounts");

      System.out.println("Part 1: the admin's GET latency, quiet and during the flood");
      System.out.printf(
          Locale.ROOT,
          "| API server | quiet p50 | quiet p99 | flood p50 | flood p99 | flood answers: 200 / 429"
              + " per s |%n|---|---|---|---|---|---|%n");
      Map<String, TestApiServer> floodTargets = new LinkedHashMap<>();
      floodTargets.put("APF off", off);
      floodTargets.put("APF on, limits 4 + 2", small);
      for (Map.Entry<String, TestApiServer> e : floodTargets.entrySet()) {
        TestApiServer server = e.getValue();
        HttpClient admin = server.httpClient();
        adminLatencies(admin, server, samples); // warm-up
        double[] quiet = adminLatencies(admin, server, samples);
        Flood flood = new Flood(server, token);
        flood.start();
        Thread.sleep(2_000);
        long ok0 = flood.ok.get();
        long refused0 = flood.refused.get();
        long t0 = System.nanoTime();
        double[] busy = adminLatencies(admin, server, samples);
        double secs = (System.nanoTime() - t0) / 1e9;
        long ok = flood.ok.get() - ok0;
        long refused = flood.refused.get() - refused0;
        flood.stop();
        System.out.printf(
            Locale.ROOT,
            "| %s | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.0f / %.0f |%n",
            e.getKey(),
            quiet[0],
            quiet[1],
            busy[0],
            busy[1],
            ok / secs,
            refused / secs);
      }

      System.out.println();
      System.out.println("Part 2: what the filter costs a (never limited) service-account GET");
      Map<String, TestApiServer> costTargets = new LinkedHashMap<>();
      costTargets.put("APF off", off);
      costTargets.put("APF on, Kubernetes' limits", on);
      Map<String, List<Double>> results = new LinkedHashMap<>();
      costTargets.keySet().forEach(k -> results.put(k, new ArrayList<>()));
      for (int round = 0; round <= rounds; round++) {
        List<String> order = new ArrayList<>(costTargets.keySet());
        if (round % 2 == 1) {
          java.util.Collections.reverse(order);
        }
        for (String which : order) {
          double rate = serviceAccountGets(costTargets.get(which), token, gets, 16);
          System.err.printf(Locale.ROOT, "round %d %s: %.0f gets/s%n", round, which, rate);
          if (round > 0) {
            results.get(which).add(rate);
          }
        }
      }
      double offRate = median(results.get("APF off"));
      System.out.printf(
          Locale.ROOT,
          "| API server | SA gets/s (median of %d) | vs off | µs per request vs off | rounds |%n"
              + "|---|---|---|---|---|%n",
          rounds);
      for (Map.Entry<String, List<Double>> e : results.entrySet()) {
        double m = median(e.getValue());
        System.out.printf(
            Locale.ROOT,
            "| %s | %.0f | %.3f | %+.1f | %s |%n",
            e.getKey(),
            m,
            m / offRate,
            (1e6 / m - 1e6 / offRate),
            e.getValue().stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList());
      }
    }
    System.exit(0);
  }

  /** A namespace of 100 ConfigMaps and a service account that may read it; its token. */
  private static String setUp(TestApiServer server) throws Exception {
    post(server, "/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + NS + "\"}}");
    post(
        server,
        "/api/v1/namespaces/" + NS + "/serviceaccounts",
        "{\"metadata\":{\"name\":\"reader\"}}");
    post(
        server,
        "/apis/rbac.authorization.k8s.io/v1/namespaces/" + NS + "/rolebindings",
        "{\"metadata\":{\"name\":\"reader-view\"},\"roleRef\":{\"apiGroup\":"
            + "\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\",\"name\":\"view\"},"
            + "\"subjects\":[{\"kind\":\"ServiceAccount\",\"name\":\"reader\",\"namespace\":\""
            + NS
            + "\"}]}");
    for (int i = 0; i < 100; i++) {
      post(
          server,
          "/api/v1/namespaces/" + NS + "/configmaps",
          "{\"metadata\":{\"name\":\"cm-"
              + i
              + "\"},\"data\":{\"k\":\""
              + "v".repeat(200)
              + "\"}}");
    }
    String answer =
        post(
            server,
            "/api/v1/namespaces/" + NS + "/serviceaccounts/reader/token",
            "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\","
                + "\"spec\":{\"expirationSeconds\":7200}}");
    return JSON.readTree(answer).path("status").path("token").asString();
  }

  private static String post(TestApiServer server, String path, String body) {
    return server
        .client()
        .post()
        .uri(path)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isCreated()
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }

  private static void waitFor(TestApiServer server, String path) throws InterruptedException {
    HttpClient admin = server.httpClient();
    for (int i = 0; i < 300; i++) {
      try {
        HttpResponse<Void> r =
            admin.send(
                HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException e) {
        // not yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(path + " never appeared");
  }

  /** p50 and p99 in ms of {@code samples} sequential admin GETs of one ConfigMap. */
  private static double[] adminLatencies(HttpClient admin, TestApiServer server, int samples)
      throws Exception {
    HttpRequest get =
        HttpRequest.newBuilder(
                URI.create(server.url() + "/api/v1/namespaces/" + NS + "/configmaps/cm-0"))
            .build();
    double[] ms = new double[samples];
    for (int i = 0; i < samples; i++) {
      long t = System.nanoTime();
      HttpResponse<String> r = admin.send(get, HttpResponse.BodyHandlers.ofString());
      ms[i] = (System.nanoTime() - t) / 1e6;
      if (r.statusCode() != 200) {
        throw new IllegalStateException("admin GET answered " + r.statusCode() + ": " + r.body());
      }
    }
    Arrays.sort(ms);
    return new double[] {ms[samples / 2], ms[(int) Math.ceil(samples * 0.99) - 1]};
  }

  /** Gets per second of {@code gets} ConfigMap GETs by the service account, some in flight. */
  private static double serviceAccountGets(
      TestApiServer server, String token, int gets, int inFlight) throws Exception {
    HttpClient http = server.anonymousHttpClient();
    Semaphore slots = new Semaphore(inFlight);
    AtomicLong failures = new AtomicLong();
    List<CompletableFuture<?>> all = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < gets; i++) {
      slots.acquire();
      HttpRequest get =
          HttpRequest.newBuilder(
                  URI.create(
                      server.url() + "/api/v1/namespaces/" + NS + "/configmaps/cm-" + (i % 100)))
              .header("Authorization", "Bearer " + token)
              .build();
      all.add(
          http.sendAsync(get, HttpResponse.BodyHandlers.discarding())
              .whenComplete(
                  (r, e) -> {
                    if (e != null || r.statusCode() != 200) {
                      failures.incrementAndGet();
                    }
                    slots.release();
                  }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
    double rate = gets / ((System.nanoTime() - start) / 1e9);
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " service-account GETs failed");
    }
    return rate;
  }

  /** One service account keeping 200 lists in flight, each answered one replaced at once. */
  private static final class Flood {
    final AtomicLong ok = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean();
    private final HttpClient http;
    private final HttpRequest list;
    private final List<CompletableFuture<?>> pending = new ArrayList<>();

    Flood(TestApiServer server, String token) {
      this.http = server.anonymousHttpClient();
      this.list =
          HttpRequest.newBuilder(
                  URI.create(server.url() + "/api/v1/namespaces/" + NS + "/configmaps"))
              .header("Authorization", "Bearer " + token)
              .timeout(Duration.ofSeconds(60))
              .build();
    }

    void start() {
      running.set(true);
      for (int i = 0; i < FLOOD; i++) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        pending.add(done);
        send(done);
      }
    }

    private void send(CompletableFuture<Void> done) {
      if (!running.get()) {
        done.complete(null);
        return;
      }
      http.sendAsync(list, HttpResponse.BodyHandlers.discarding())
          .whenComplete(
              (r, e) -> {
                if (r != null && r.statusCode() == 200) {
                  ok.incrementAndGet();
                } else if (r != null && r.statusCode() == 429) {
                  refused.incrementAndGet();
                }
                send(done);
              });
    }

    void stop() throws Exception {
      running.set(false);
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get();
    }
  }

  private static double median(List<Double> runs) {
    double[] v = runs.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
