package io.nauta.controllers.bench;

import static io.nauta.controllers.bench.BenchSupport.check;
import static io.nauta.controllers.bench.BenchSupport.median;

import io.fabric8.kubernetes.api.model.apps.Deployment;
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
 * Deployment at scale on simulated nodes: the time from {@code kubectl apply} of an N-replica
 * deployment to every replica available (created by the deployment and replica set controllers,
 * bound by the scheduler, made Running and Ready by simulated kubelets), and then of a full rolling
 * update ({@code kubectl set image}) to every replica updated and available. The API server,
 * scheduler, controller manager and simulated kubelets share this JVM and its cores. Run with
 * {@code deploy/bench/deployment.sh [replicas [nodes]]}; not part of the test suite.
 */
public final class DeploymentBenchmark {

  private static final int REPEATS = Integer.getInteger("bench.repeats", 3);

  public static void main(String[] args) throws Exception {
    int replicas = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    run(100, 10); // warm-up, not reported
    List<double[]> results = new ArrayList<>();
    for (int i = 0; i < REPEATS; i++) {
      double[] r = run(replicas, nodes);
      System.err.printf(
          Locale.ROOT, "run %d: apply %.1f s, rolling update %.1f s%n", i + 1, r[0], r[1]);
      results.add(r);
    }
    System.out.println(
        "| replicas | nodes | runs | apply to all available | rolling update to all updated and available |");
    System.out.println("|---|---|---|---|---|");
    System.out.printf(
        Locale.ROOT,
        "| %d | %d | %d | %.1f s | %.1f s |%n",
        replicas,
        nodes,
        REPEATS,
        median(results.stream().mapToDouble(r -> r[0]).toArray()),
        median(results.stream().mapToDouble(r -> r[1]).toArray()));
    System.exit(0);
  }

  /** Seconds to roll out, then seconds to roll the new image over every replica. */
  static double[] run(int replicas, int nodes) throws Exception {
    // 250 pods per node at most; 100m each.
    try (TestCluster cluster = TestCluster.start(nodes, "64", "logging.level.root=WARN")) {
      Path dir = Files.createTempDirectory("bench");
      Kubectl kubectl = new Kubectl(cluster.api.kubeconfig(dir));
      ResourceClient<Deployment> deployments =
          cluster.client.resource(BuiltInResources.DEPLOYMENTS, Deployment.class);
      String manifest =
          """
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: web, namespace: default}
          spec:
            replicas: %d
            selector: {matchLabels: {app: web}}
            template:
              metadata: {labels: {app: web}}
              spec:
                containers:
                - name: web
                  image: nginx:1
                  resources: {requests: {cpu: 100m, memory: 64Mi}}
          """
              .formatted(replicas);
      long start = System.nanoTime();
      check(kubectl.runWithInput(manifest, "apply", "-f", "-"));
      await(deployments, d -> complete(d, replicas));
      double apply = (System.nanoTime() - start) / 1e9;

      start = System.nanoTime();
      check(kubectl.run("set", "image", "deployment/web", "web=nginx:2"));
      await(deployments, d -> complete(d, replicas) && "nginx:2".equals(image(d)));
      double update = (System.nanoTime() - start) / 1e9;
      return new double[] {apply, update};
    }
  }

  private static boolean complete(Deployment d, int replicas) {
    var s = d.getStatus();
    return s != null
        && d.getMetadata().getGeneration().equals(s.getObservedGeneration())
        && Integer.valueOf(replicas).equals(s.getUpdatedReplicas())
        && Integer.valueOf(replicas).equals(s.getAvailableReplicas())
        && Integer.valueOf(replicas).equals(s.getReplicas());
  }

  private static String image(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  private static void await(ResourceClient<Deployment> deployments, Predicate<Deployment> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (System.nanoTime() < deadline) {
      Deployment d = deployments.get("default", "web").block(Duration.ofSeconds(10));
      if (d != null && done.test(d)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("deployment did not complete within 10 minutes");
  }
}
