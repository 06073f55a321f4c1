package io.nauta.controllers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.nauta.api.it.Kubectl;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.registry.BuiltInResources;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The CronJob controller in a whole control plane (API server, scheduler, Job controller, simulated
 * kubelets), its clock moved by the test: Jobs named after their scheduled minute, history pruned
 * to the limits, Forbid and Replace, and a controller manager down for hours starting only the
 * latest missed run, once, after its restart.
 */
class CronJobIT {

  private static final Duration T = Duration.ofSeconds(10);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path dir;

  private static TestCluster cluster;
  private static Kubectl kubectl;
  private static ResourceClient<Job> jobs;
  private static ResourceClient<CronJob> cronJobs;
  private static final AtomicInteger ticks = new AtomicInteger();

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1, "8");
    kubectl = new Kubectl(cluster.api.kubeconfig(dir));
    jobs = cluster.client.resource(BuiltInResources.JOBS, Job.class);
    cronJobs = cluster.client.resource(BuiltInResources.CRONJOBS, CronJob.class);
    // Pods of the "done" CronJob's Jobs succeed; the others keep running.
    cluster.kubelet.exits(
        p -> {
          String job =
              p.getMetadata().getLabels() == null
                  ? null
                  : p.getMetadata().getLabels().get("batch.kubernetes.io/job-name");
          return job != null && job.startsWith("done-") ? 0 : null;
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

  /** Creates the CronJob and stops the clock at its creation time; returns that time. */
  private static Instant create(String namespace, String name, String specExtra) {
    // Back from where an earlier test left it, before the controller first sees the CronJob.
    cluster.cronJobClock.set(Instant.now());
    ok("create", "namespace", namespace);
    String manifest =
        """
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: %s}
        spec:
          schedule: "* * * * *"
        %s
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers: [{name: main, image: nauta/busybox:local}]
        """
            .formatted(name, specExtra.indent(2).stripTrailing());
    Kubectl.Result r = kubectl.runWithInput(manifest, "-n", namespace, "create", "-f", "-");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    Instant created =
        OffsetDateTime.parse(
                cronJobs.get(namespace, name).block(T).getMetadata().getCreationTimestamp())
            .toInstant();
    cluster.cronJobClock.set(created);
    return created;
  }

  /** Moves the clock to one second past {@code minute} and wakes the controller for the CronJob. */
  private static void tick(String namespace, String name, Instant minute) {
    cluster.cronJobClock.set(minute.plusSeconds(1));
    ok(
        "-n",
        namespace,
        "annotate",
        "cronjob",
        name,
        "tick=" + ticks.incrementAndGet(),
        "--overwrite");
  }

  private static String jobName(String cronJob, Instant minute) {
    return cronJob + "-" + minute.getEpochSecond() / 60;
  }

  private static List<String> jobNames(String namespace) {
    return jobs.list(namespace, ListOptions.none()).block(T).items().stream()
        .filter(j -> j.getMetadata().getDeletionTimestamp() == null)
        .map(j -> j.getMetadata().getName())
        .sorted()
        .toList();
  }

  private static List<String> eventReasons(String namespace) {
    JsonNode list = JSON.readTree(ok("-n", namespace, "get", "events", "-o", "json").stdout());
    return list.path("items").valueStream().map(e -> e.path("reason").asString()).toList();
  }

  private static boolean complete(String namespace, String job) {
    Job j = jobs.get(namespace, job).block(T);
    return j.getStatus() != null
        && j.getStatus().getConditions() != null
        && j.getStatus().getConditions().stream()
            .anyMatch(c -> "Complete".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Test
  void createsJobsNamedByMinuteAndPrunesSuccessfulHistory() {
    String ns = "cron-history";
    Instant created = create(ns, "done", "successfulJobsHistoryLimit: 2");
    Instant minute = created.truncatedTo(ChronoUnit.MINUTES);
    List<String> names = new java.util.ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      Instant at = minute.plus(Duration.ofMinutes(i));
      tick(ns, "done", at);
      String name = jobName("done", at);
      names.add(name);
      await().atMost(WAIT).until(() -> jobNames(ns).contains(name));
      Job job = jobs.get(ns, name).block(T);
      assertThat(job.getMetadata().getAnnotations())
          .containsEntry(
              "batch.kubernetes.io/cronjob-scheduled-timestamp", at.toString().replace(".000", ""));
      assertThat(job.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("CronJob");
      await().atMost(WAIT).until(() -> complete(ns, name));
    }
    // The oldest of three successful Jobs goes; the CronJob's status shows the last run.
    await().atMost(WAIT).until(() -> jobNames(ns).equals(names.subList(1, 3)));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              CronJob cj = cronJobs.get(ns, "done").block(T);
              assertThat(cj.getStatus().getActive()).isNullOrEmpty();
              assertThat(cj.getStatus().getLastScheduleTime())
                  .isEqualTo(minute.plus(Duration.ofMinutes(3)).toString());
              assertThat(cj.getStatus().getLastSuccessfulTime()).isNotNull();
            });
    assertThat(eventReasons(ns))
        .contains("SuccessfulCreate", "SawCompletedJob", "SuccessfulDelete");
    assertThat(ok("-n", ns, "get", "cronjob", "done").stdout())
        .containsPattern("(?m)^done\\s+\\* \\* \\* \\* \\*\\s+<none>\\s+False\\s+0\\s+");
    // Its Jobs go with it (the garbage collector follows their owner references).
    ok("-n", ns, "delete", "cronjob", "done");
    await().atMost(WAIT).until(() -> jobNames(ns).isEmpty());
  }

  @Test
  void forbidSkipsWhileAJobRunsAndReplaceSwapsIt() {
    String ns = "cron-concurrency";
    Instant created = create(ns, "busy", "concurrencyPolicy: Forbid");
    Instant minute = created.truncatedTo(ChronoUnit.MINUTES);
    Instant first = minute.plus(Duration.ofMinutes(1));
    tick(ns, "busy", first);
    await().atMost(WAIT).until(() -> jobNames(ns).equals(List.of(jobName("busy", first))));
    await()
        .atMost(WAIT)
        .until(() -> cronJobs.get(ns, "busy").block(T).getStatus().getActive() != null);

    Instant second = minute.plus(Duration.ofMinutes(2));
    tick(ns, "busy", second);
    await().atMost(WAIT).until(() -> eventReasons(ns).contains("JobAlreadyActive"));
    assertThat(jobNames(ns)).containsExactly(jobName("busy", first));

    // Replace: the running Job is deleted and the second minute's Job starts.
    ok(
        "-n",
        ns,
        "patch",
        "cronjob",
        "busy",
        "--type=merge",
        "-p",
        "{\"spec\":{\"concurrencyPolicy\":\"Replace\"}}");
    await().atMost(WAIT).until(() -> jobNames(ns).equals(List.of(jobName("busy", second))));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(cronJobs.get(ns, "busy").block(T).getStatus().getActive())
                    .extracting(r -> r.getName())
                    .containsExactly(jobName("busy", second)));
    ok("-n", ns, "delete", "cronjob", "busy");
  }

  @Test
  void afterHoursDownTheRestartedControllerStartsOnlyTheLatestMissedRunOnce() {
    String ns = "cron-outage";
    Instant created = create(ns, "late", "");
    Instant minute = created.truncatedTo(ChronoUnit.MINUTES);
    Instant first = minute.plus(Duration.ofMinutes(1));
    tick(ns, "late", first);
    await().atMost(WAIT).until(() -> jobNames(ns).equals(List.of(jobName("late", first))));
    await()
        .atMost(WAIT)
        .until(() -> cronJobs.get(ns, "late").block(T).getStatus().getLastScheduleTime() != null);

    for (ConfigurableApplicationContext cm : List.copyOf(cluster.controllerManagers())) {
      cluster.controllerManagers().remove(cm);
      cm.close();
    }
    Instant hoursLater = minute.plus(Duration.ofHours(3)).plusSeconds(30);
    cluster.cronJobClock.set(hoursLater);
    cluster.startControllerManager();

    Instant latest = hoursLater.truncatedTo(ChronoUnit.MINUTES);
    await().atMost(WAIT).until(() -> jobNames(ns).contains(jobName("late", latest)));
    assertThat(eventReasons(ns)).contains("TooManyMissedTimes");
    // A pass repeated (here: woken again) creates nothing more.
    ok("-n", ns, "annotate", "cronjob", "late", "tick=again", "--overwrite");
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(() -> jobNames(ns).size() == 2);
    assertThat(jobNames(ns))
        .containsExactlyInAnyOrder(jobName("late", first), jobName("late", latest));
    ok("-n", ns, "delete", "cronjob", "late");
  }
}
