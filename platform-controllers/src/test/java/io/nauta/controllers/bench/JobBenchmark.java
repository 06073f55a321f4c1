package io.nauta.controllers.bench;

import static io.nauta.controllers.bench.BenchSupport.check;
import static io.nauta.controllers.bench.BenchSupport.median;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
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

/**
 * A Job at scale on simulated nodes: the time from {@code kubectl create} of a NonIndexed Job of N
 * completions and parallelism P to its {@code Complete} condition, and the completions per second
 * that makes. The Job controller creates the pods (with the job-tracking finalizer), the scheduler
 * binds them, the simulated kubelets make them Running and, on the next event of the running pod,
 * Succeeded with exit code 0; the Job controller counts them, removes their finalizers and creates
 * the next ones. The API server, scheduler, controller manager and simulated kubelets share this
 * JVM and its cores. Run with {@code deploy/bench/job.sh [completions [parallelism [nodes]]]}; not
 * part of the test suite.
 */
public final class JobBenchmark {

  private static final int REPEATS = Integer.getInteger("bench.repeats", 3);

  public static void main(String[] args) throws Exception {
    int completions = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int nodes = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    run(100, 10, 10); // warm-up, not reported
    List<Double> seconds = new ArrayList<>();
    for (int i = 0; i < REPEATS; i++) {
      double s = run(completions, parallelism, nodes);
      System.err.printf(
          Locale.ROOT,
          "run %d: create to Complete %.1f s, %.1f completions/s%n",
          i + 1,
          s,
          completions / s);
      seconds.add(s);
    }
    double median = median(seconds.stream().mapToDouble(Double::doubleValue).toArray());
    System.out.println(
        "| completions | parallelism | nodes | runs | create to Complete | completions/s |");
    System.out.println("|---|---|---|---|---|---|");
    System.out.printf(
        Locale.ROOT,
        "| %d | %d | %d | %d | %.1f s | %.0f |%n",
        completions,
        parallelism,
        nodes,
        REPEATS,
        median,
        completions / median);
    System.exit(0);
  }

  /** Seconds from create to Complete. */
  static double run(int completions, int parallelism, int nodes) throws Exception {
    try (TestCluster cluster = TestCluster.start(nodes, "64", "logging.level.root=WARN")) {
      // Every pod of the Job ends with exit code 0 once it runs.
      cluster.kubelet.exits(
          p ->
              p.getMetadata().getLabels() != null
                      && p.getMetadata().getLabels().containsKey("batch.kubernetes.io/job-name")
                  ? 0
                  : null);
      Path dir = Files.createTempDirectory("bench");
      Kubectl kubectl = new Kubectl(cluster.api.kubeconfig(dir));
      ResourceClient<Job> jobs = cluster.client.resource(BuiltInResources.JOBS, Job.class);
      String manifest =
          """
          apiVersion: batch/v1
          kind: Job
          metadata: {name: batch, namespace: default}
          spec:
            completions: %d
            parallelism: %d
            backoffLimit: 6
            template:
              spec:
                restartPolicy: Never
                containers:
                - name: work
                  image: busybox:1
                  resources: {requests: {cpu: 100m, memory: 64Mi}}
          """
              .formatted(completions, parallelism);
      long start = System.nanoTime();
      check(kubectl.runWithInput(manifest, "create", "-f", "-"));
      long deadline = start + Duration.ofMinutes(10).toNanos();
      long nextReport = start + Duration.ofSeconds(10).toNanos();
      while (true) {
        Job job = jobs.get("default", "batch").block(Duration.ofSeconds(10));
        if (job != null && condition(job, "Complete")) {
          return (System.nanoTime() - start) / 1e9;
        }
        if (job != null && condition(job, "Failed")) {
          throw new IllegalStateException("job failed: " + job.getStatus());
        }
        long now = System.nanoTime();
        if (now > deadline) {
          throw new IllegalStateException(
              "job not complete within 10 minutes: " + (job == null ? null : job.getStatus()));
        }
        if (now > nextReport && job != null && job.getStatus() != null) {
          // Progress, so that a stall shows where it stalls.
          var s = job.getStatus();
          System.err.printf(
              Locale.ROOT,
              "  %.0f s: active %s, succeeded %s, failed %s%n",
              (now - start) / 1e9,
              s.getActive(),
              s.getSucceeded(),
              s.getFailed());
          nextReport = now + Duration.ofSeconds(10).toNanos();
        }
        Thread.sleep(50);
      }
    }
  }

  private static boolean condition(Job job, String type) {
    return job.getStatus() != null
        && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
