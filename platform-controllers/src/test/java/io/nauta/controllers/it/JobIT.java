package io.nauta.controllers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.nauta.api.it.Kubectl;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.registry.BuiltInResources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Job controller in a whole control plane (API server, scheduler, simulated kubelets whose pods
 * exit as each test says), driven with kubectl: completions and parallelism, back-off and
 * BackoffLimitExceeded, Indexed Jobs, suspend and resume, activeDeadlineSeconds, a controller
 * manager restart in the middle of a Job, and deletion with the Job's pods.
 */
class JobIT {

  private static final Duration T = Duration.ofSeconds(10);
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir static Path dir;

  private static TestCluster cluster;
  private static Kubectl kubectl;
  private static ResourceClient<Pod> pods;
  private static ResourceClient<Job> jobs;

  /** How each Job's pods end, by Job name: an exit code, or null to keep running. */
  private static final Map<String, Function<Pod, Integer>> EXITS = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(2, "8");
    kubectl = new Kubectl(cluster.api.kubeconfig(dir));
    pods = cluster.client.resource(BuiltInResources.PODS, Pod.class);
    jobs = cluster.client.resource(BuiltInResources.JOBS, Job.class);
    cluster.kubelet.exits(
        p -> {
          String job =
              p.getMetadata().getLabels() == null
                  ? null
                  : p.getMetadata().getLabels().get("batch.kubernetes.io/job-name");
          return job == null ? null : EXITS.getOrDefault(job, x -> null).apply(p);
        });
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Kubectl.Result ok(String... args) {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }

  private static void create(String namespace, String manifest) {
    ok("create", "namespace", namespace);
    Kubectl.Result r = kubectl.runWithInput(manifest, "-n", namespace, "create", "-f", "-");
    assertThat(r.exitCode()).as(r.toString()).isZero();
  }

  private static String job(String name, String spec) {
    return """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: %s}
        spec:
        %s
          template:
            spec:
              restartPolicy: Never
              containers: [{name: main, image: nauta/busybox:local, command: [sh, -c, "true"]}]
        """
        .formatted(name, spec.indent(2).stripTrailing());
  }

  private static Job get(String namespace, String name) {
    return jobs.get(namespace, name).block(T);
  }

  private static List<Pod> podsOf(String namespace, String job) {
    return pods.list(
            namespace, ListOptions.none().withLabelSelector("batch.kubernetes.io/job-name=" + job))
        .block(T)
        .items();
  }

  private static String condition(Job job, String type) {
    return job.getStatus() == null || job.getStatus().getConditions() == null
        ? null
        : job.getStatus().getConditions().stream()
            .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
            .map(c -> c.getReason())
            .findFirst()
            .orElse(null);
  }

  private static void waitFor(String namespace, String condition, String job) {
    Kubectl.Result r =
        kubectl.run(
            "-n", namespace, "wait", "--for=condition=" + condition, "job/" + job, "--timeout=50s");
    assertThat(r.exitCode()).as(r + "\n" + get(namespace, job)).isZero();
  }

  @Test
  void runsCompletionsWithParallelismToComplete() {
    EXITS.put("three", p -> 0);
    create("job-complete", job("three", "completions: 3\nparallelism: 2"));
    waitFor("job-complete", "complete", "three");

    Job job = get("job-complete", "three");
    assertThat(job.getStatus().getSucceeded()).isEqualTo(3);
    assertThat(job.getStatus().getFailed()).isNull();
    assertThat(job.getStatus().getActive()).isNull();
    assertThat(job.getStatus().getReady()).isZero();
    assertThat(job.getStatus().getTerminating()).isZero();
    assertThat(job.getStatus().getStartTime()).isNotNull();
    assertThat(job.getStatus().getCompletionTime()).isNotNull();
    assertThat(condition(job, "SuccessCriteriaMet")).isEqualTo("CompletionsReached");
    assertThat(condition(job, "Complete")).isEqualTo("CompletionsReached");
    assertThat(job.getStatus().getUncountedTerminatedPods().getSucceeded()).isEmpty();
    List<Pod> made = podsOf("job-complete", "three");
    assertThat(made).hasSize(3);
    assertThat(made)
        .allSatisfy(
            p -> {
              assertThat(p.getMetadata().getFinalizers()).isNullOrEmpty();
              assertThat(p.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("Job");
              assertThat(p.getMetadata().getOwnerReferences().get(0).getController()).isTrue();
              // Made by the controller manager, which names itself as kube-controller-manager does.
              assertThat(p.getMetadata().getManagedFields())
                  .anySatisfy(
                      m -> {
                        assertThat(m.getManager()).isEqualTo("nauta-controller-manager");
                        assertThat(m.getOperation()).isEqualTo("Update");
                      });
            });
    assertThat(ok("-n", "job-complete", "get", "jobs").stdout())
        .containsPattern("(?m)^three\\s+Complete\\s+3/3\\s+");
    assertThat(ok("-n", "job-complete", "get", "events").stdout())
        .contains("SuccessfulCreate", "Completed");
  }

  @Test
  void aFailingJobBacksOffAndFailsWithBackoffLimitExceeded() {
    EXITS.put("fails", p -> 1);
    create("job-fail", job("fails", "backoffLimit: 1"));
    waitFor("job-fail", "failed", "fails");

    Job job = get("job-fail", "fails");
    assertThat(job.getStatus().getFailed()).isEqualTo(2);
    assertThat(condition(job, "FailureTarget")).isEqualTo("BackoffLimitExceeded");
    assertThat(condition(job, "Failed")).isEqualTo("BackoffLimitExceeded");
    assertThat(condition(job, "Complete")).isNull();
    List<Pod> made = podsOf("job-fail", "fails");
    assertThat(made).hasSize(2);
    // The second pod waited out the back-off after the first failure (10 s).
    List<String> created =
        made.stream().map(p -> p.getMetadata().getCreationTimestamp()).sorted().toList();
    assertThat(
            Duration.between(
                java.time.Instant.parse(created.get(0)), java.time.Instant.parse(created.get(1))))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(9));
    assertThat(ok("-n", "job-fail", "get", "jobs").stdout())
        .containsPattern("(?m)^fails\\s+Failed\\s+0/1\\s+");
  }

  @Test
  void anIndexedJobCompletesEveryIndexOnce() {
    Map<String, String> firstPodOf = new ConcurrentHashMap<>();
    // Index 2's first pod fails and is retried; the others succeed. Decided per pod, not per call:
    // the kubelet asks again on every event of a running pod (and when its status write lost a
    // race), and a rule that answered "fail" only once let that pod succeed instead.
    EXITS.put(
        "indexed",
        p -> {
          String ix =
              p.getMetadata().getAnnotations().get("batch.kubernetes.io/job-completion-index");
          String uid = p.getMetadata().getUid();
          return "2".equals(ix) && uid.equals(firstPodOf.computeIfAbsent(ix, k -> uid)) ? 1 : 0;
        });
    create(
        "job-indexed", job("indexed", "completions: 4\nparallelism: 2\ncompletionMode: Indexed"));
    waitFor("job-indexed", "complete", "indexed");

    Job job = get("job-indexed", "indexed");
    assertThat(job.getStatus().getCompletedIndexes()).isEqualTo("0-3");
    assertThat(job.getStatus().getSucceeded()).isEqualTo(4);
    assertThat(job.getStatus().getFailed()).isEqualTo(1);
    List<Pod> made = podsOf("job-indexed", "indexed");
    assertThat(made).hasSize(5);
    for (Pod p : made) {
      String ix = p.getMetadata().getAnnotations().get("batch.kubernetes.io/job-completion-index");
      assertThat(p.getMetadata().getLabels())
          .containsEntry("batch.kubernetes.io/job-completion-index", ix);
      assertThat(p.getMetadata().getName()).startsWith("indexed-" + ix + "-");
      assertThat(p.getSpec().getHostname()).isEqualTo("indexed-" + ix);
      assertThat(p.getSpec().getContainers().get(0).getEnv())
          .anySatisfy(
              e -> {
                assertThat(e.getName()).isEqualTo("JOB_COMPLETION_INDEX");
                assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                    .isEqualTo("metadata.annotations['batch.kubernetes.io/job-completion-index']");
              });
    }
  }

  @Test
  void suspendingDeletesPodsWithoutCountingThemAndResumingStartsAgain() {
    Map<String, Boolean> release = new ConcurrentHashMap<>();
    EXITS.put("pausable", p -> release.containsKey("go") ? 0 : null);
    create("job-suspend", job("pausable", "completions: 2\nparallelism: 2"));
    await().atMost(WAIT).until(() -> podsOf("job-suspend", "pausable").size() == 2);
    await()
        .atMost(WAIT)
        .until(
            () ->
                Integer.valueOf(2).equals(get("job-suspend", "pausable").getStatus().getActive()));

    ok(
        "-n",
        "job-suspend",
        "patch",
        "job",
        "pausable",
        "--type=merge",
        "-p",
        "{\"spec\":{\"suspend\":true}}");
    waitFor("job-suspend", "suspended", "pausable");
    await().atMost(WAIT).until(() -> podsOf("job-suspend", "pausable").isEmpty());
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Job job = get("job-suspend", "pausable");
              assertThat(job.getStatus().getActive()).isNull();
              assertThat(job.getStatus().getFailed()).isNull();
              assertThat(job.getStatus().getStartTime()).isNull();
            });
    assertThat(ok("-n", "job-suspend", "get", "jobs").stdout())
        .containsPattern("(?m)^pausable\\s+Suspended\\s+0/2\\s+");

    release.put("go", true);
    ok(
        "-n",
        "job-suspend",
        "patch",
        "job",
        "pausable",
        "--type=merge",
        "-p",
        "{\"spec\":{\"suspend\":false}}");
    waitFor("job-suspend", "complete", "pausable");
    Job job = get("job-suspend", "pausable");
    assertThat(job.getStatus().getSucceeded()).isEqualTo(2);
    assertThat(job.getStatus().getFailed()).isNull();
    assertThat(job.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Suspended");
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("JobResumed");
            });
  }

  @Test
  void activeDeadlineSecondsFailsALongJob() {
    EXITS.put("slow", p -> null);
    create("job-deadline", job("slow", "activeDeadlineSeconds: 3"));
    waitFor("job-deadline", "failed", "slow");
    Job job = get("job-deadline", "slow");
    assertThat(condition(job, "Failed")).isEqualTo("DeadlineExceeded");
    assertThat(job.getStatus().getActive()).isNull();
    // The running pod was stopped and counted as failed, as Kubernetes counts it.
    assertThat(job.getStatus().getFailed()).isEqualTo(1);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(podsOf("job-deadline", "slow"))
                    .allSatisfy(p -> assertThat(p.getMetadata().getFinalizers()).isNullOrEmpty()));
  }

  @Test
  void aControllerManagerRestartMidJobCountsEveryPodOnce() throws Exception {
    Map<String, Boolean> release = new ConcurrentHashMap<>();
    EXITS.put("restart", p -> release.containsKey("go") ? 0 : null);
    create("job-restart", job("restart", "completions: 6\nparallelism: 3"));
    await().atMost(WAIT).until(() -> podsOf("job-restart", "restart").size() == 3);

    // The controller manager goes away; meanwhile the running pods succeed, holding their
    // finalizers, so nothing is lost while nobody counts.
    ConfigurableApplicationContext old = cluster.controllerManagers().get(0);
    cluster.controllerManagers().remove(old);
    old.close();
    try {
      release.put("go", true);
      // The simulated kubelet acts on pod events: a label makes it look at the pods again.
      ok(
          "-n",
          "job-restart",
          "label",
          "pods",
          "-l",
          "batch.kubernetes.io/job-name=restart",
          "poke=1");
      await()
          .atMost(WAIT)
          .until(
              () ->
                  podsOf("job-restart", "restart").stream()
                      .allMatch(p -> "Succeeded".equals(p.getStatus().getPhase())));
      assertThat(podsOf("job-restart", "restart"))
          .allSatisfy(
              p ->
                  assertThat(p.getMetadata().getFinalizers())
                      .contains("batch.kubernetes.io/job-tracking"));
    } finally {
      cluster.startControllerManager();
    }
    waitFor("job-restart", "complete", "restart");
    Job job = get("job-restart", "restart");
    assertThat(job.getStatus().getSucceeded()).isEqualTo(6);
    assertThat(podsOf("job-restart", "restart")).hasSize(6);
  }

  @Test
  void ttlSecondsAfterFinishedDeletesTheFinishedJobAndItsPods() {
    EXITS.put("shortlived", p -> 0);
    create("job-ttl", job("shortlived", "ttlSecondsAfterFinished: 3"));
    waitFor("job-ttl", "complete", "shortlived");
    assertThat(podsOf("job-ttl", "shortlived")).hasSize(1);
    java.time.Instant done = java.time.Instant.now();
    await()
        .atMost(WAIT)
        .until(
            () ->
                jobs.list("job-ttl", ListOptions.none()).block(T).items().isEmpty()
                    && podsOf("job-ttl", "shortlived").isEmpty());
    // Not before its time: the Job lived on for its TTL after it finished.
    assertThat(Duration.between(done, java.time.Instant.now()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void podFailurePolicyIgnoresOneExitCodeAndFailsTheJobOnAnother() {
    // The first two pods exit 42 (ignored: retried without counting), the third exits 3 (FailJob).
    AtomicInteger attempts = new AtomicInteger();
    Map<String, Integer> codes = new ConcurrentHashMap<>();
    EXITS.put(
        "policy",
        p ->
            codes.computeIfAbsent(
                p.getMetadata().getName(), n -> attempts.incrementAndGet() <= 2 ? 42 : 3));
    create(
        "job-policy",
        job(
            "policy",
            """
            backoffLimit: 6
            podFailurePolicy:
              rules:
              - action: Ignore
                onExitCodes: {operator: In, values: [42]}
              - action: FailJob
                onExitCodes: {containerName: main, operator: In, values: [3]}"""));
    waitFor("job-policy", "failed", "policy");
    Job job = get("job-policy", "policy");
    assertThat(condition(job, "Failed")).isEqualTo("PodFailurePolicy");
    assertThat(job.getStatus().getConditions())
        .anySatisfy(
            c ->
                assertThat(c.getMessage())
                    .matches(
                        "Container main for pod job-policy/policy-\\w+ failed with exit code 3"
                            + " matching FailJob rule at index 1"));
    assertThat(job.getStatus().getFailed()).isEqualTo(1);
    // Kubernetes keeps failed pods, ignored or not: none is deleted. (Said with the namespace's
    // events: this once failed in CI with 2 pods, who deleted the third was not known.)
    assertThat(podsOf("job-policy", "policy"))
        .as(() -> codes + "\n" + kubectl.run("-n", "job-policy", "get", "events").stdout())
        .hasSize(3);
  }

  @Test
  void backoffLimitPerIndexFailsOneIndexAndLetsTheOthersComplete() {
    EXITS.put(
        "perindex",
        p ->
            "1"
                    .equals(
                        p.getMetadata()
                            .getAnnotations()
                            .get("batch.kubernetes.io/job-completion-index"))
                ? 1
                : 0);
    create(
        "job-perindex",
        job(
            "perindex",
            "completions: 3\nparallelism: 3\ncompletionMode: Indexed\nbackoffLimitPerIndex: 1"));
    waitFor("job-perindex", "failed", "perindex");
    Job job = get("job-perindex", "perindex");
    assertThat(condition(job, "Failed")).isEqualTo("FailedIndexes");
    assertThat(job.getStatus().getFailedIndexes()).isEqualTo("1");
    assertThat(job.getStatus().getCompletedIndexes()).isEqualTo("0,2");
    assertThat(job.getStatus().getFailed()).isEqualTo(2);
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(Integer.MAX_VALUE);
    List<Pod> index1 =
        podsOf("job-perindex", "perindex").stream()
            .filter(p -> p.getMetadata().getName().startsWith("perindex-1-"))
            .toList();
    assertThat(index1)
        .extracting(
            p ->
                p.getMetadata().getAnnotations().get("batch.kubernetes.io/job-index-failure-count"))
        .containsExactlyInAnyOrder("0", "1");
  }

  @Test
  void aSuccessPolicyCompletesTheJobOnceItsIndexesSucceeded() {
    // Index 0 (the leader) succeeds; the workers run on until the Job is complete.
    EXITS.put(
        "leader",
        p ->
            "0"
                    .equals(
                        p.getMetadata()
                            .getAnnotations()
                            .get("batch.kubernetes.io/job-completion-index"))
                ? 0
                : null);
    create(
        "job-success",
        job(
            "leader",
            """
            completions: 3
            parallelism: 3
            completionMode: Indexed
            successPolicy:
              rules:
              - succeededIndexes: '0'"""));
    waitFor("job-success", "complete", "leader");
    Job job = get("job-success", "leader");
    assertThat(condition(job, "SuccessCriteriaMet")).isEqualTo("SuccessPolicy");
    assertThat(condition(job, "Complete")).isEqualTo("SuccessPolicy");
    assertThat(job.getStatus().getCompletedIndexes()).isEqualTo("0");
    assertThat(job.getStatus().getActive()).isNull();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(podsOf("job-success", "leader"))
                    .allSatisfy(p -> assertThat(p.getMetadata().getFinalizers()).isNullOrEmpty()));
  }

  @Test
  void deletingAJobDeletesItsPods() {
    EXITS.put("doomed", p -> null);
    create("job-delete", job("doomed", "parallelism: 2\ncompletions: 4"));
    await().atMost(WAIT).until(() -> podsOf("job-delete", "doomed").size() == 2);
    ok("-n", "job-delete", "delete", "job", "doomed");
    await().atMost(WAIT).until(() -> podsOf("job-delete", "doomed").isEmpty());
  }
}
