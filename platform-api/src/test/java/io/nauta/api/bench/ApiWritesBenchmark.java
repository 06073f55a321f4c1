package io.nauta.api.bench;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.nauta.api.storage.StorageKeys;
import io.nauta.api.support.TestApiServer;
import io.nauta.api.support.TestRedis;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.registry.BuiltInResources;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * API writes (issue 13): pod creates per second through real HTTPS with RBAC on, beside the raw
 * Redis limit for the same work. One API server in this JVM on the test Redis (a Testcontainers
 * container); the caller is a user with a client certificate bound to {@code edit} by a
 * ClusterRoleBinding, so every request is authenticated and authorized by RBAC. Each round:
 *
 * <ul>
 *   <li><em>creates/s at 64 in flight</em>: {@code pods} pod creates, 64 requests in flight;
 *   <li><em>p50/p99 at 100 clients</em>: {@code pods} more creates from 100 concurrent clients,
 *       each request's latency recorded;
 *   <li><em>Redis limit</em>: {@code redis-benchmark} with 64 clients calling the API server's own
 *       write script ({@code nauta/write.lua}, by SHA) with a stored pod's JSON as payload, on the
 *       same Redis through the same mapped port, into keys of their own.
 * </ul>
 *
 * Round 0 warms up and is not reported; medians over the rounds are. Run with {@code
 * deploy/bench/api-writes.sh [pods [rounds]]} (defaults 5000 5); not part of the test suite.
 */
public final class ApiWritesBenchmark {

  private static final int IN_FLIGHT = 64;
  private static final int CLIENTS = 100;
  private static final String PLACEHOLDER = "nauta-rv-0123456789abcdef0123456789abcdef";

  public static void main(String[] args) throws Exception {
    // Reactor Netty's shared pool holds 16 connections by default: with fewer connections than
    // requests in flight the server would never see 64 or 100 at once.
    System.setProperty("reactor.netty.pool.maxConnections", "256");
    int pods = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    // -Dbench.serviceAccounts=true: ServiceAccount admission on, as deploy/nauta up runs it (each
    // namespace gets its "default" account here, as the controller manager would make it).
    boolean serviceAccounts = Boolean.getBoolean("bench.serviceAccounts");
    try (TestApiServer server =
        TestApiServer.startOnEmptyRedis(
            "logging.level.root=WARN", TestApiServer.SERVICE_ACCOUNT_ADMISSION + serviceAccounts)) {
      KubeClient admin = server.kubeClient();
      admin
          .resource(BuiltInResources.CLUSTER_ROLE_BINDINGS, ClusterRoleBinding.class)
          .create(
              new ClusterRoleBindingBuilder()
                  .withNewMetadata()
                  .withName("bench-writer")
                  .endMetadata()
                  .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "edit")
                  .addNewSubject()
                  .withKind("User")
                  .withApiGroup("rbac.authorization.k8s.io")
                  .withName("bench-writer")
                  .endSubject()
                  .build())
          .block();
      KubeClient writer = new KubeClient(server.clientConfigAs("bench-writer"));
      ResourceClient<Pod> podClient = writer.resource(BuiltInResources.PODS, Pod.class);

      List<double[]> results = new ArrayList<>();
      for (int round = 0; round <= rounds; round++) {
        String ns = "bench-" + round;
        admin
            .resource(BuiltInResources.NAMESPACES, Namespace.class)
            .create(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
            .block();
        if (serviceAccounts) {
          admin
              .resource(BuiltInResources.SERVICEACCOUNTS, ServiceAccount.class)
              .create(
                  new ServiceAccountBuilder()
                      .withNewMetadata()
                      .withNamespace(ns)
                      .withName("default")
                      .endMetadata()
                      .build())
              .block();
        }
        Map<String, Long> callsBefore = redisCalls();
        long cpuBefore = cpuNanos();
        double throughput = creates(podClient, ns, "a-", pods, IN_FLIGHT, null);
        double cpuPerCreate = (cpuNanos() - cpuBefore) / 1e6 / pods;
        Map<String, Long> calls = redisCalls();
        calls.replaceAll((cmd, n) -> n - callsBefore.getOrDefault(cmd, 0L));
        calls.values().removeIf(n -> n <= 0);
        double callsPerCreate =
            calls.values().stream().mapToLong(Long::longValue).sum() / (double) pods;
        long[] latencies = new long[pods];
        double at100 = creates(podClient, ns, "b-", pods, CLIENTS, latencies);
        Arrays.sort(latencies);
        double p50 = latencies[pods / 2] / 1e6;
        double p99 = latencies[(int) Math.ceil(pods * 0.99) - 1] / 1e6;
        double redis = redisLimit(ns, pods);
        double[] r = {
          throughput, at100, p50, p99, redis, throughput / redis, callsPerCreate, cpuPerCreate
        };
        System.err.printf(
            Locale.ROOT,
            "round %d%s: Redis commands during the 64-in-flight creates, per create: %s%n",
            round,
            round == 0 ? " (warm-up)" : "",
            perCreate(calls, pods));
        System.err.printf(
            Locale.ROOT,
            "round %d%s: %.0f creates/s at %d in flight; %.0f creates/s, p50 %.1f ms, p99 %.1f ms"
                + " at %d clients; Redis limit %.0f scripts/s; ratio %.2f; %.2f Redis commands"
                + " and %.2f ms of this JVM's CPU per create%n",
            round,
            round == 0 ? " (warm-up)" : "",
            r[0],
            IN_FLIGHT,
            r[1],
            r[2],
            r[3],
            CLIENTS,
            r[4],
            r[5],
            r[6],
            r[7]);
        if (round > 0) {
          results.add(r);
        }
      }
      System.out.printf(
          Locale.ROOT,
          "| creates/s, %d in flight | creates/s, %d clients | p50 | p99 | Redis limit (write"
              + " script/s, 64 clients) | API / Redis | Redis commands per create | CPU per"
              + " create (server and client JVM) |%n|---|---|---|---|---|---|---|---|%n"
              + "| %.0f | %.0f | %.1f ms | %.1f ms | %.0f | %.2f | %.2f | %.2f ms |%n"
              + "median of %d rounds of %d pods each (after a warm-up round)%n",
          IN_FLIGHT,
          CLIENTS,
          median(results, 0),
          median(results, 1),
          median(results, 2),
          median(results, 3),
          median(results, 4),
          median(results, 5),
          median(results, 6),
          median(results, 7),
          rounds,
          pods);
    }
    System.exit(0);
  }

  /** Creates {@code count} pods, {@code concurrency} at a time; records latencies when asked. */
  private static double creates(
      ResourceClient<Pod> pods,
      String ns,
      String prefix,
      int count,
      int concurrency,
      long[] latencies) {
    long start = System.nanoTime();
    Flux.range(0, count)
        .flatMap(
            i ->
                Mono.defer(
                    () -> {
                      long sent = System.nanoTime();
                      return pods.create(pod(ns, prefix + i))
                          .doOnSuccess(
                              p -> {
                                if (latencies != null) {
                                  latencies[i] = System.nanoTime() - sent;
                                }
                              });
                    }),
            concurrency)
        .blockLast(Duration.ofMinutes(10));
    return count / ((System.nanoTime() - start) / 1e9);
  }

  /** A typical pod as a controller writes it: labels, an owner-like annotation, one container. */
  static Pod pod(String ns, String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .addToLabels("app", "bench")
        .addToLabels("pod-template-hash", "5d8f7c9b4")
        .addToAnnotations("bench.nauta.io/round", ns)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("web")
        .withImage("nauta/busybox:local")
        .withCommand("httpd", "-f", "-p", "8080")
        .addNewPort()
        .withContainerPort(8080)
        .withProtocol("TCP")
        .endPort()
        .addNewEnv()
        .withName("MODE")
        .withValue("bench")
        .endEnv()
        .withNewResources()
        .addToRequests("cpu", new Quantity("100m"))
        .addToRequests("memory", new Quantity("128Mi"))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }

  /**
   * The write script's rate on the same Redis with {@code redis-benchmark}: a create of a pod's
   * stored JSON (read back from Redis, so the payload is the size the API server wrote), 64
   * clients, into keys of the benchmark's own (same shape and hash tag as a type's keys).
   */
  private static double redisLimit(String ns, int requests) throws Exception {
    URI uri = URI.create(TestRedis.url());
    String json;
    String sha;
    RedisClient client = RedisClient.create(TestRedis.url());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      String stored = c.sync().hget(StorageKeys.of(BuiltInResources.PODS).objects(), ns + "/a-0");
      // As the API server sends it: the resourceVersion as a placeholder the script replaces.
      json =
          stored
              .substring(stored.indexOf(' ') + 1)
              .replaceFirst(
                  "\"resourceVersion\":\"\\d+\"", "\"resourceVersion\":\"" + PLACEHOLDER + "\"");
      sha = c.sync().scriptLoad(script());
    } finally {
      client.shutdown();
    }
    String k = "bench:{redis-limit}:";
    List<String> cmd =
        List.of(
            "redis-benchmark",
            "-h",
            uri.getHost(),
            "-p",
            Integer.toString(uri.getPort()),
            "-c",
            Integer.toString(IN_FLIGHT),
            "-n",
            Integer.toString(Math.max(requests, 20_000)),
            "-r",
            "1000000000",
            "-q",
            "EVALSHA",
            sha,
            "7",
            k + "objects",
            k + "rv",
            k + "events",
            k + "epoch",
            k + "last-write",
            k + "write:__rand_int__",
            k + "sealed-rvs",
            "create",
            ns + "/p-__rand_int__",
            json,
            PLACEHOLDER,
            "",
            "1000",
            Long.toString(System.currentTimeMillis()),
            "w-__rand_int__",
            "bench-epoch",
            "60");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    Matcher m = Pattern.compile("([0-9.]+) requests per second").matcher(out);
    double rate = 0;
    while (m.find()) {
      rate = Double.parseDouble(m.group(1));
    }
    if (rate == 0) {
      throw new IllegalStateException("redis-benchmark said: " + out);
    }
    return rate;
  }

  /**
   * Redis's own count of the commands it ran, by command ({@code INFO commandstats}): what the API
   * server asked of Redis (its reads, write scripts and stream reads), whatever the load.
   */
  private static Map<String, Long> redisCalls() {
    RedisClient client = RedisClient.create(TestRedis.url());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      Map<String, Long> calls = new TreeMap<>();
      Matcher m =
          Pattern.compile("cmdstat_([a-z|_]+):calls=(\\d+)").matcher(c.sync().info("commandstats"));
      while (m.find()) {
        calls.put(m.group(1), Long.parseLong(m.group(2)));
      }
      return calls;
    } finally {
      client.shutdown();
    }
  }

  private static String perCreate(Map<String, Long> calls, int pods) {
    StringBuilder b = new StringBuilder();
    calls.forEach(
        (cmd, n) -> b.append(String.format(Locale.ROOT, "%s %.2f, ", cmd, n / (double) pods)));
    return b.isEmpty() ? "none" : b.substring(0, b.length() - 2);
  }

  /** CPU time of this JVM (API server and benchmark client), all threads. */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static String script() throws IOException {
    try (InputStream in = StorageKeys.class.getResourceAsStream("/nauta/write.lua")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static double median(List<double[]> runs, int column) {
    double[] v = runs.stream().mapToDouble(r -> r[column]).toArray();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private ApiWritesBenchmark() {}
}
