package io.nauta.controllers.bench;

import static io.nauta.controllers.bench.BenchSupport.check;
import static io.nauta.controllers.bench.BenchSupport.median;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.nauta.api.it.Kubectl;
import io.nauta.controllers.it.TestCluster;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.registry.BuiltInResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * A DaemonSet at scale on simulated nodes: the time from {@code kubectl create} of a DaemonSet over
 * N nodes to its N pods available (created by the DaemonSet controller with node affinity on each
 * node's name, bound by the scheduler, made Running and Ready by simulated kubelets), and then of a
 * rolling update ({@code kubectl set image}, {@code maxUnavailable: 10%}) to all N updated and
 * available. The API server, scheduler, controller manager and simulated kubelets share this JVM
 * and its cores. Run with {@code deploy/bench/daemonset.sh [nodes]}; not part of the test suite.
 */
public final class DaemonSetBenchmark {

  private static final int REPEATS = Integer.getInteger("bench.repeats", 3);

  public static void main(String[] args) throws Exception {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    run(50); // warm-up, not reported
    List<double[]> results = new ArrayList<>();
    for (int i = 0; i < REPEATS; i++) {
      double[] r = run(nodes);
      System.err.printf(
          Locale.ROOT, "run %d: create %.1f s, rolling update %.1f s%n", i + 1, r[0], r[1]);
      results.add(r);
    }
    System.out.println(
        "| nodes | maxUnavailable | runs | create to all available | rolling update to all updated and available |");
    System.out.println("|---|---|---|---|---|");
    System.out.printf(
        Locale.ROOT,
        "| %d | 10%% | %d | %.1f s | %.1f s |%n",
        nodes,
        REPEATS,
        median(results.stream().mapToDouble(r -> r[0]).toArray()),
        median(results.stream().mapToDouble(r -> r[1]).toArray()));
    System.exit(0);
  }

  /** Seconds to all pods available, then seconds to roll the new image over every node. */
  static double[] run(int nodes) throws Exception {
    try (TestCluster cluster = TestCluster.start(nodes, "16", "logging.level.root=WARN")) {
      Path dir = Files.createTempDirectory("bench");
      Kubectl kubectl = new Kubectl(cluster.api.kubeconfig(dir));
      ResourceClient<DaemonSet> daemonSets =
          cluster.client.resource(BuiltInResources.DAEMONSETS, DaemonSet.class);
      String manifest =
          """
          apiVersion: apps/v1
          kind: DaemonSet
          metadata: {name: agent, namespace: default}
          spec:
            selector: {matchLabels: {app: agent}}
            updateStrategy:
              type: RollingUpdate
              rollingUpdate: {maxUnavailable: 10%}
            template:
              metadata: {labels: {app: agent}}
              spec:
                containers:
                - name: agent
                  image: agent:1
                  resources: {requests: {cpu: 100m, memory: 64Mi}}
          """;
      long start = System.nanoTime();
      check(kubectl.runWithInput(manifest, "create", "-f", "-"));
      await(daemonSets, d -> complete(d, nodes));
      double create = (System.nanoTime() - start) / 1e9;

      start = System.nanoTime();
      check(kubectl.run("set", "image", "daemonset/agent", "agent=agent:2"));
      await(daemonSets, d -> complete(d, nodes) && "agent:2".equals(image(d)));
      double update = (System.nanoTime() - start) / 1e9;
      return new double[] {create, update};
    }
  }

  private static boolean complete(DaemonSet d, int nodes) {
    var s = d.getStatus();
    return s != null
        && d.getMetadata().getGeneration().equals(s.getObservedGeneration())
        && Integer.valueOf(nodes).equals(s.getDesiredNumberScheduled())
        && Integer.valueOf(nodes).equals(s.getCurrentNumberScheduled())
        && Integer.valueOf(nodes).equals(s.getUpdatedNumberScheduled())
        && Integer.valueOf(nodes).equals(s.getNumberAvailable());
  }

  private static String image(DaemonSet d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  private static void await(ResourceClient<DaemonSet> daemonSets, Predicate<DaemonSet> done)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + Duration.ofMinutes(10).toNanos();
    long nextReport = start + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      DaemonSet d = daemonSets.get("default", "agent").block(Duration.ofSeconds(10));
      if (d != null && done.test(d)) {
        return;
      }
      long now = System.nanoTime();
      if (now > nextReport && d != null && d.getStatus() != null) {
        // Progress, so that a stall shows where it stalls.
        var s = d.getStatus();
        System.err.printf(
            Locale.ROOT,
            "  %.0f s: scheduled %s, updated %s, available %s%n",
            (now - start) / 1e9,
            s.getCurrentNumberScheduled(),
            s.getUpdatedNumberScheduled(),
            s.getNumberAvailable());
        nextReport = now + Duration.ofSeconds(10).toNanos();
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("daemon set did not complete within 10 minutes");
  }
}
