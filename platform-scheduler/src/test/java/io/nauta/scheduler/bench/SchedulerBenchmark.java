package io.nauta.scheduler.bench;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.scheduler.NautaScheduler;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Flux;

/**
 * Scheduling throughput end to end through the API server, after kube-scheduler's scheduler_perf
 * SchedulingBasic: N nodes (Node objects, 32 cpu / 128Gi / 110 pods each), M pending pods (100m
 * cpu, 128Mi), then the scheduler starts and every pod is bound through the binding subresource.
 * Reports pods per second from the scheduler's start (which includes its informers listing every
 * node and pod) and from its first binding seen to its last.
 *
 * <p>Everything runs in this JVM against Redis in Docker: an API server, the scheduler, and an
 * informer that watches the bindings arrive. Run with {@code deploy/bench/scheduler.sh [nodes
 * pods]...}; it is not part of the test suite.
 */
public final class SchedulerBenchmark {

  private static final Duration T = Duration.ofSeconds(60);

  public static void main(String[] args) throws Exception {
    int[][] runs = args.length >= 2 ? pairs(args) : new int[][] {{100, 1_000}, {1_000, 10_000}};
    System.out.println(
        "| nodes | pods | create pods/s | scheduled pods/s (from scheduler start) | scheduled pods/s (first to last binding) | per core |");
    System.out.println("|---|---|---|---|---|---|");
    for (int[] run : runs) {
      System.out.println(run(run[0], run[1]));
    }
    System.exit(0);
  }

  private static int[][] pairs(String[] args) {
    int[][] out = new int[args.length / 2][];
    for (int i = 0; i + 1 < args.length; i += 2) {
      out[i / 2] = new int[] {Integer.parseInt(args[i]), Integer.parseInt(args[i + 1])};
    }
    return out;
  }

  static String run(int nodeCount, int podCount) throws Exception {
    try (TestApiServer api =
        TestApiServer.startOnEmptyRedis("server.shutdown=immediate", "logging.level.root=WARN")) {
      KubeClient client = new KubeClient(ClientConfig.fromUrl(api.url()));
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

      SharedInformer<Pod> watch = new SharedInformer<>(pods, "bench");
      AtomicInteger bound = new AtomicInteger();
      long[] firstBound = {0};
      long[] lastBound = {0};
      watch
          .events()
          .subscribe(
              e -> {
                Pod before = e.previous();
                Pod after = e.object();
                if (after.getSpec().getNodeName() != null
                    && (before == null || before.getSpec().getNodeName() == null)) {
                  long now = System.nanoTime();
                  synchronized (lastBound) {
                    if (firstBound[0] == 0) {
                      firstBound[0] = now;
                    }
                    lastBound[0] = now;
                  }
                  bound.incrementAndGet();
                }
              });
      watch.start();
      watch.synced().block(T);

      long start = System.nanoTime();
      ConfigurableApplicationContext scheduler =
          NautaScheduler.application()
              .run(
                  "--server.port=0",
                  "--logging.level.root=WARN",
                  "--nauta.scheduler.server=" + api.url());
      try {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (bound.get() < podCount && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        if (bound.get() < podCount) {
          return "| "
              + nodeCount
              + " | "
              + podCount
              + " | timed out with "
              + bound.get()
              + " bound |";
        }
        double total = (lastBound[0] - start) / 1e9;
        double binding = (lastBound[0] - firstBound[0]) / 1e9;
        int cores = Runtime.getRuntime().availableProcessors();
        return String.format(
            Locale.ROOT,
            "| %d | %d | %.0f | %.0f (%.1f s) | %.0f (%.1f s) | %.0f |",
            nodeCount,
            podCount,
            podCount / createSeconds,
            podCount / total,
            total,
            podCount / binding,
            binding,
            podCount / total / cores);
      } finally {
        scheduler.close();
        watch.close();
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
