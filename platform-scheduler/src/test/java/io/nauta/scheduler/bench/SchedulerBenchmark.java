package io.nauta.scheduler.bench;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.component.LeaseLossAction;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.scheduler.NautaScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Flux;

/**
 * Scheduling throughput end to end through the API server, after kube-scheduler's scheduler_perf
 * SchedulingBasic: N nodes (Node objects, 32 cpu / 128Gi / 110 pods each), M pending pods (100m
 * cpu, 128Mi), then the scheduler starts and every pod is bound through the binding subresource.
 * Reports pods per second from the scheduler's start (which includes its informers listing every
 * node and pod) and from its first binding seen to its last.
 *
 * <p>Everything runs in this JVM against Redis in Docker: the API server and the scheduler (each
 * with its own Netty resources), sharing this machine's cores as they would in the all-in-one. Run
 * with {@code deploy/bench/scheduler.sh [nodes pods]...}; it is not part of the test suite.
 */
public final class SchedulerBenchmark {

  private static final Duration T = Duration.ofSeconds(60);

  private static final int REPEATS = Integer.getInteger("bench.repeats", 3);

  public static void main(String[] args) throws Exception {
    int[][] runs = args.length >= 2 ? pairs(args) : new int[][] {{100, 1_000}, {1_000, 10_000}};
    // One unreported round first, so the JIT has compiled the hot paths before anything counts.
    run(50, 1_000);
    System.out.println(
        "| nodes | pods | runs | create pods/s | scheduled pods/s from scheduler start"
            + " | scheduled pods/s first to last binding | per core (first to last) |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (int[] config : runs) {
      List<Figures> figures = new ArrayList<>();
      for (int i = 0; i < REPEATS; i++) {
        Figures f = run(config[0], config[1]);
        System.err.println("run " + (i + 1) + ": " + f);
        figures.add(f);
      }
      System.out.println(median(config[0], config[1], figures));
    }
    System.exit(0);
  }

  /** One run's rates; {@code failure} says why a run did not complete. */
  record Figures(double create, double fromStart, double binding, String failure) {}

  static String median(int nodes, int pods, List<Figures> figures) {
    List<Figures> ok = figures.stream().filter(f -> f.failure() == null).toList();
    if (ok.size() < figures.size()) {
      return "| "
          + nodes
          + " | "
          + pods
          + " | "
          + figures.size()
          + " | failed: "
          + figures.stream().filter(f -> f.failure() != null).findFirst().get().failure()
          + " |";
    }
    double create = medianOf(ok.stream().mapToDouble(Figures::create).toArray());
    double fromStart = medianOf(ok.stream().mapToDouble(Figures::fromStart).toArray());
    double binding = medianOf(ok.stream().mapToDouble(Figures::binding).toArray());
    int cores = Runtime.getRuntime().availableProcessors();
    return String.format(
        Locale.ROOT,
        "| %d | %d | %d | %.0f | %.0f | %.0f | %.0f |",
        nodes,
        pods,
        ok.size(),
        create,
        fromStart,
        binding,
        binding / cores);
  }

  private static double medianOf(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static int[][] pairs(String[] args) {
    int[][] out = new int[args.length / 2][];
    for (int i = 0; i + 1 < args.length; i += 2) {
      out[i / 2] = new int[] {Integer.parseInt(args[i]), Integer.parseInt(args[i + 1])};
    }
    return out;
  }

  static Figures run(int nodeCount, int podCount) throws Exception {
    try (TestApiServer api =
        TestApiServer.startOnEmptyRedis("server.shutdown=immediate", "logging.level.root=WARN")) {
      KubeClient client = api.kubeClient();
      ResourceClient<Node> nodes = client.resource(BuiltInResources.NODES, Node.class);
      ResourceClient<Pod> pods = client.resource(BuiltInResources.PODS, Pod.class);
      Namespace ns =
          new NamespaceBuilder().withNewMetadata().withName("bench").endMetadata().build();
      client.resource(BuiltInResources.NAMESPACES, Namespace.class).create(ns).block(T);

      Flux.range(0, nodeCount)
          .flatMap(i -> nodes.create(node("node-" + i)), 32)
          .blockLast(Duration.ofMinutes(10));

      long createStart = System.nanoTime();
      Flux.range(0, podCount)
          .flatMap(i -> pods.create(pod("pod-" + i)), 64)
          .blockLast(Duration.ofMinutes(30));
      double createSeconds = (System.nanoTime() - createStart) / 1e9;

      long start = System.nanoTime();
      ConfigurableApplicationContext scheduler =
          NautaScheduler.application()
              // A lost lease must not exit the benchmark's JVM.
              .initializers(
                  c ->
                      c.getBeanFactory()
                          .registerSingleton("leaseLossAction", (LeaseLossAction) component -> {}))
              .run(
                  java.util.stream.Stream.concat(
                          java.util.stream.Stream.of(
                              "--server.port=0",
                              "--logging.level.root=WARN",
                              // upstream's scheduler_perf gives its scheduler QPS 5000, Burst 5000
                              "--nauta.client.qps=5000",
                              "--nauta.client.burst=5000"),
                          api.schedulerArgs().stream())
                      .toArray(String[]::new));
      try {
        // Bindings the API server acknowledged, counted by the scheduler itself: watching them
        // from here too would spend this machine's two cores on the measurement.
        Timer bound =
            scheduler.getBean(MeterRegistry.class).timer("nauta.scheduler.e2e.scheduling.duration");
        long firstBound = 0;
        long lastProgress = System.nanoTime();
        long seen = 0;
        // Gives up after a minute without a binding.
        while (bound.count() < podCount
            && System.nanoTime() - lastProgress < Duration.ofMinutes(1).toNanos()) {
          if (bound.count() > seen) {
            seen = bound.count();
            lastProgress = System.nanoTime();
            if (firstBound == 0) {
              firstBound = lastProgress;
            }
          }
          Thread.sleep(10);
        }
        long lastBound = System.nanoTime();
        // Scheduled events the scheduler dropped (its backlog was full) were work the API server
        // did not do: a run that dropped many is not comparable with one that wrote them all.
        System.err.println(
            "Scheduled events dropped: "
                + (long)
                    scheduler
                        .getBean(MeterRegistry.class)
                        .counter("nauta.scheduler.events.dropped")
                        .count());
        long unbound =
            pods.listAll("bench", ListOptions.none().withFieldSelector("spec.nodeName="))
                .block(T)
                .items()
                .size();
        if (bound.count() < podCount || unbound > 0) {
          return new Figures(
              0, 0, 0, (long) bound.count() + " bindings, " + unbound + " pods unbound");
        }
        double total = (lastBound - start) / 1e9;
        double binding = (lastBound - firstBound) / 1e9;
        return new Figures(podCount / createSeconds, podCount / total, podCount / binding, null);
      } finally {
        scheduler.close();
      }
    }
  }

  static Node node(String name) {
    Map<String, Quantity> capacity =
        Map.of(
            "cpu",
            new Quantity("32"),
            "memory",
            new Quantity("128Gi"),
            "pods",
            new Quantity("110"));
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("kubernetes.io/hostname", name)
        .endMetadata()
        .withNewStatus()
        .withCapacity(capacity)
        .withAllocatable(capacity)
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .endStatus()
        .build();
  }

  static Pod pod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("bench")
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("busybox")
        .withNewResources()
        .withRequests(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("128Mi")))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }
}
