package io.nauta.faults;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.client.WatchEvent;
import io.nauta.core.registry.BuiltInResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.Disposable;

/**
 * Distribution latency (issue 16, docs/benchmarks.md): on a federation of three members started by
 * {@code deploy/nauta up --federation 3 --runtime simulated}, N Deployments (default 100) are
 * created one after another at the gateway under a PropagationPolicy that duplicates them to every
 * member; each one's latency is from just before its create at the gateway to the moment the last
 * of the three members' watches saw it ADDED. Prints p50/p90/p99 beside Karmada's published
 * push-mode figures. Then failover: {@code rounds} times a 6-replica Deployment divided 2/2/2 over
 * the three members, one member tainted {@code NoExecute} at the gateway (each round the next), and
 * the time from the taint to the other two members' Deployments having all 6 replicas available,
 * and to the tainted member's copy gone (graceful eviction removes it only after that). Run by
 * {@code deploy/bench/federation.sh [count] [rounds] [settle seconds]}.
 */
public final class FederationDistributionBenchmark {

  private static final String NS = "bench";

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    Path home = Files.createTempDirectory("federation-bench-").resolve("home");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
    // Seconds to leave the federation idle between "up" and the first create. Its 16 JVMs are
    // still compiling their hot code when up returns (on 2 cores that is most of the CPU for a
    // minute or more), so a run without a settle measures start-up and distribution together.
    int settleSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    try (Federation federation = Federation.up(ExecJars.root(), home, Duration.ofMinutes(20))) {
      if (settleSeconds > 0) {
        System.out.printf(
            "settling %d s after up (load average %s)%n", settleSeconds, loadAverage());
        Thread.sleep(settleSeconds * 1000L);
      }
      System.out.printf("first create (load average %s)%n", loadAverage());
      run(federation, count);
      if (rounds > 0) {
        failover(federation, rounds);
      }
    }
    System.exit(0);
  }

  /** The 1-, 5- and 15-minute load averages of the machine, as /proc/loadavg gives them. */
  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  static void run(Federation federation, int count) throws InterruptedException {
    String namespace = "apiVersion: v1\nkind: Namespace\nmetadata: {name: " + NS + "}\n";
    Federation.assertOk(federation.applyIn("gateway", namespace));
    for (String member : Federation.MEMBERS) {
      Federation.assertOk(federation.applyIn(member, namespace));
    }
    Federation.assertOk(
        federation.applyIn(
            "gateway",
            """
            apiVersion: policy.karmada.io/v1alpha1
            kind: PropagationPolicy
            metadata: {name: bench, namespace: bench}
            spec:
              resourceSelectors:
              - apiVersion: apps/v1
                kind: Deployment
                labelSelector: {matchLabels: {bench: dist}}
              placement:
                clusterAffinity: {clusterNames: [usa-3, asia-2, europe-1]}
                replicaScheduling: {replicaSchedulingType: Duplicated}
            """));

    // name -> member -> first time a member's watch saw it (nanoTime)
    Map<String, Map<String, Long>> seen = new ConcurrentHashMap<>();
    List<Disposable> watches = new ArrayList<>();
    for (String member : Federation.MEMBERS) {
      ResourceClient<Deployment> deployments =
          new KubeClient(
                  ClientConfig.fromKubeconfig(
                      federation.home().resolve("members").resolve(member).resolve("kubeconfig")))
              .resource(BuiltInResources.DEPLOYMENTS, Deployment.class);
      String rv = deployments.list(NS, ListOptions.none()).block().resourceVersion();
      watches.add(
          deployments
              .watch(NS, ListOptions.none().withResourceVersion(rv).withBookmarks(true))
              .retry()
              .subscribe(
                  e -> {
                    if (e.type() == WatchEvent.Type.ADDED) {
                      long now = System.nanoTime();
                      seen.computeIfAbsent(
                              e.object().getMetadata().getName(), n -> new ConcurrentHashMap<>())
                          .putIfAbsent(member, now);
                    }
                  }));
    }

    ResourceClient<Deployment> gateway =
        new KubeClient(
                ClientConfig.fromKubeconfig(federation.home().resolve("pki/admin.kubeconfig")))
            .resource(BuiltInResources.DEPLOYMENTS, Deployment.class);
    Map<String, Long> created = new ConcurrentHashMap<>();
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      String name = "dist-" + i;
      Deployment d =
          new DeploymentBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace(NS)
              .addToLabels("bench", "dist")
              .endMetadata()
              .withNewSpec()
              .withReplicas(1)
              .withNewSelector()
              .addToMatchLabels("app", name)
              .endSelector()
              .withNewTemplate()
              .withNewMetadata()
              .addToLabels("app", name)
              .endMetadata()
              .withNewSpec()
              .addNewContainer()
              .withName("app")
              .withImage("nauta/busybox:local")
              .endContainer()
              .endSpec()
              .endTemplate()
              .endSpec()
              .build();
      created.put(name, System.nanoTime());
      gateway.create(d).block();
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (System.nanoTime() < deadline && complete(seen, count) < count) {
      Thread.sleep(100);
    }
    long wall = System.nanoTime() - start;
    watches.forEach(Disposable::dispose);

    List<Long> latencies = new ArrayList<>();
    for (Map.Entry<String, Long> c : created.entrySet()) {
      Map<String, Long> members = seen.get(c.getKey());
      if (members != null && members.size() == Federation.MEMBERS.size()) {
        long last = Collections.max(members.values());
        latencies.add((last - c.getValue()) / 1_000_000);
      }
    }
    Collections.sort(latencies);
    System.out.printf(
        "distribution latency, %d Deployments on 3 members (%d reached every member, %.1f s"
            + " wall):%n",
        count, latencies.size(), wall / 1e9);
    if (!latencies.isEmpty()) {
      System.out.printf(
          "  p50 %d ms, p90 %d ms, p99 %d ms, max %d ms%n",
          percentile(latencies, 50),
          percentile(latencies, 90),
          percentile(latencies, 99),
          latencies.get(latencies.size() - 1));
    }
    System.out.println(
        "  Karmada (push mode, 100 clusters, published): p50 706 ms, p90 899 ms, p99 1,298 ms");
  }

  static void failover(Federation federation, int rounds) throws InterruptedException {
    Federation.assertOk(
        federation.applyIn(
            "gateway",
            """
            apiVersion: policy.karmada.io/v1alpha1
            kind: PropagationPolicy
            metadata: {name: failover, namespace: bench}
            spec:
              resourceSelectors:
              - apiVersion: apps/v1
                kind: Deployment
                labelSelector: {matchLabels: {bench: failover}}
              placement:
                clusterAffinity: {clusterNames: [usa-3, asia-2, europe-1]}
                replicaScheduling:
                  replicaSchedulingType: Divided
                  replicaDivisionPreference: Weighted
                  weightPreference:
                    staticWeightList:
                    - {targetCluster: {clusterNames: [usa-3]}, weight: 1}
                    - {targetCluster: {clusterNames: [asia-2]}, weight: 1}
                    - {targetCluster: {clusterNames: [europe-1]}, weight: 1}
            """));
    Map<String, ResourceClient<Deployment>> members = new ConcurrentHashMap<>();
    for (String member : Federation.MEMBERS) {
      members.put(
          member,
          new KubeClient(
                  ClientConfig.fromKubeconfig(
                      federation.home().resolve("members").resolve(member).resolve("kubeconfig")))
              .resource(BuiltInResources.DEPLOYMENTS, Deployment.class));
    }
    List<Long> available = new ArrayList<>();
    List<Long> evicted = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      String victim = Federation.MEMBERS.get(r % Federation.MEMBERS.size());
      String name = "failover-" + r;
      Federation.assertOk(
          federation.applyIn(
              "gateway",
              """
              apiVersion: apps/v1
              kind: Deployment
              metadata: {name: %1$s, namespace: bench, labels: {bench: failover}}
              spec:
                replicas: 6
                selector: {matchLabels: {app: %1$s}}
                template:
                  metadata: {labels: {app: %1$s}}
                  spec: {containers: [{name: app, image: nauta/busybox:local}]}
              """
                  .formatted(name)));
      // placed and running everywhere: 2 available in each member
      awaitTrue(
          () -> Federation.MEMBERS.stream().allMatch(m -> available(members.get(m), name) == 2),
          Duration.ofMinutes(3));
      long taint = System.nanoTime();
      Federation.assertOk(
          federation.in(
              "gateway",
              "patch",
              "cluster",
              victim,
              "--type=merge",
              "-p",
              "{\"spec\":{\"taints\":[{\"key\":\"bench/failover\",\"effect\":\"NoExecute\"}]}}"));
      awaitTrue(
          () ->
              Federation.MEMBERS.stream()
                      .filter(m -> !m.equals(victim))
                      .mapToInt(m -> available(members.get(m), name))
                      .sum()
                  == 6,
          Duration.ofMinutes(3));
      available.add((System.nanoTime() - taint) / 1_000_000);
      awaitTrue(
          () ->
              members
                      .get(victim)
                      .get(NS, name)
                      .onErrorResume(
                          io.nauta.core.errors.NotFoundException.class,
                          e -> reactor.core.publisher.Mono.empty())
                      .block()
                  == null,
          Duration.ofMinutes(3));
      evicted.add((System.nanoTime() - taint) / 1_000_000);
      Federation.assertOk(
          federation.in(
              "gateway",
              "patch",
              "cluster",
              victim,
              "--type=merge",
              "-p",
              "{\"spec\":{\"taints\":null}}"));
      Federation.assertOk(federation.in("gateway", "-n", NS, "delete", "deployment", name));
    }
    Collections.sort(available);
    Collections.sort(evicted);
    System.out.printf(
        "failover, %d rounds (6 replicas 2/2/2, one member tainted NoExecute):%n"
            + "  taint -> 6 available in the other two: p50 %d ms, p90 %d ms, max %d ms%n"
            + "  taint -> tainted member's copy deleted: p50 %d ms, p90 %d ms, max %d ms%n",
        rounds,
        percentile(available, 50),
        percentile(available, 90),
        available.get(available.size() - 1),
        percentile(evicted, 50),
        percentile(evicted, 90),
        evicted.get(evicted.size() - 1));
  }

  private static int available(ResourceClient<Deployment> deployments, String name) {
    Deployment d = deployments.get(NS, name).onErrorReturn(new Deployment()).block();
    if (d == null || d.getStatus() == null || d.getStatus().getAvailableReplicas() == null) {
      return 0;
    }
    return d.getStatus().getAvailableReplicas();
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not reached within " + timeout);
      }
      Thread.sleep(50);
    }
  }

  private static int complete(Map<String, Map<String, Long>> seen, int count) {
    int n = 0;
    for (Map<String, Long> m : seen.values()) {
      if (m.size() == Federation.MEMBERS.size()) {
        n++;
      }
    }
    return n;
  }

  private static long percentile(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }
}
