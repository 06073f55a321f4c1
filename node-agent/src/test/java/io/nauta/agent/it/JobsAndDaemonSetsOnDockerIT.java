package io.nauta.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.nauta.agent.runtime.docker.DockerClients;
import io.nauta.agent.runtime.docker.DockerLabels;
import io.nauta.agent.runtime.docker.EgressGuard;
import io.nauta.agent.runtime.docker.TestDockerNode;
import io.nauta.api.it.Kubectl;
import io.nauta.api.support.TestApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The acceptance of Jobs and DaemonSets (issue 17) on the Docker runtime: the API server, the
 * scheduler and the controller manager (TLS and RBAC on) with a node agent running pods as real
 * containers, driven by the real kubectl.
 */
class JobsAndDaemonSetsOnDockerIT {

  private static final String IMAGE = "nauta/busybox:local";

  /** A second tag of the same image, so that {@code kubectl set image} has somewhere to go. */
  private static final String SECOND_IMAGE = "nauta/busybox:it-jobs-ds";

  @TempDir static Path dir;

  private static TestDockerNode node;
  private static DockerClient docker;
  private static ControlPlane plane;
  private static ConfigurableApplicationContext agent;
  private static Kubectl kubectl;

  @BeforeAll
  static void startCluster() {
    EgressGuard.install();
    docker = DockerClients.connect("", System.getProperty("api.version", ""));
    node = TestDockerNode.reserve(docker, "it-jobs");
    docker.tagImageCmd(IMAGE, "nauta/busybox", "it-jobs-ds").exec();
    // A Job's pods mount a hostPath marker, which Pod Security's default (baseline) refuses: this
    // test is about jobs on the runtime, not the policy.
    plane = ControlPlane.start(TestApiServer.POD_SECURITY + "false");
    agent =
        plane.startDockerAgent(
            "--nauta.agent.node-name=" + node.name(),
            "--nauta.agent.first-node-index=" + node.index(),
            "--nauta.agent.status-check-interval=1s");
    kubectl = new Kubectl(plane.api.kubeconfig(dir));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(ok("get", "nodes", "-o", "name").stdout()).isNotBlank());
  }

  @AfterAll
  static void stopCluster() {
    if (agent != null) {
      agent.close();
    }
    if (plane != null) {
      plane.close();
    }
    if (node != null) {
      node.cleanUp(docker);
    }
    if (docker != null) {
      try {
        docker.removeImageCmd(SECOND_IMAGE).exec();
      } catch (RuntimeException ignored) {
        // Only the tag: the image itself stays as nauta/busybox:local.
      }
    }
  }

  @Test
  void anIndexedJobRunsEachIndexOnceAndItsPodsPrintTheirIndexes() {
    apply(
        job(
            "indexed",
            "completions: 5; parallelism: 2; completionMode: Indexed",
            "[sh, -c, 'echo $JOB_COMPLETION_INDEX']"));
    waitFor("condition=complete", "job/indexed");
    assertThat(jsonpath("job/indexed", "{.status.succeeded} {.status.completedIndexes}"))
        .isEqualTo("5 0-4");
    Set<String> printed = new TreeSet<>();
    for (String line :
        ok(
                "get",
                "pods",
                "-l",
                "job-name=indexed",
                "-o",
                "jsonpath={range .items[*]}{.metadata.name}"
                    + " {.metadata.annotations.batch\\.kubernetes\\.io/job-completion-index}"
                    + " {.status.phase}{\"\\n\"}{end}")
            .stdout()
            .lines()
            .toList()) {
      String[] f = line.split(" ");
      assertThat(f[2]).as(line).isEqualTo("Succeeded");
      // Each pod printed the index of its annotation.
      assertThat(ok("logs", f[0]).stdout()).as(line).isEqualTo(f[1] + "\n");
      printed.add(f[1]);
    }
    assertThat(printed).containsExactly("0", "1", "2", "3", "4");
    // kubectl logs job/x: one of its pods' logs.
    assertThat(ok("logs", "job/indexed").stdout()).matches("[0-4]\n");
  }

  @Test
  void aJobWhosePodsFailIsFailedWithBackoffLimitExceededAfterBackoffLimitPlusOnePods() {
    apply(job("failing", "backoffLimit: 1", "[sh, -c, 'echo failing; exit 1']"));
    waitFor("condition=failed", "job/failing");
    assertThat(
            jsonpath(
                "job/failing",
                "{.status.conditions[?(@.type==\"Failed\")].reason} {.status.failed}"))
        .isEqualTo("BackoffLimitExceeded 2");
    List<String> exits =
        ok(
                "get",
                "pods",
                "-l",
                "job-name=failing",
                "-o",
                "jsonpath={range .items[*]}"
                    + "{.status.containerStatuses[0].state.terminated.exitCode}{\"\\n\"}{end}")
            .stdout()
            .lines()
            .toList();
    assertThat(exits).containsExactly("1", "1");
  }

  @Test
  void aPodFailurePolicyIgnoringExitCode42RetriesWithoutCounting() throws Exception {
    // The first pod finds no marker, leaves one and exits 42; the next finds it and succeeds. With
    // backoffLimit 0 a counted failure would fail the Job.
    Path marker = Files.createDirectory(dir.resolve("marker"));
    apply(
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: ignoring}
        spec:
          backoffLimit: 0
          podFailurePolicy:
            rules:
            - action: Ignore
              onExitCodes: {operator: In, values: [42]}
          template:
            spec:
              restartPolicy: Never
              terminationGracePeriodSeconds: 0
              volumes:
              - name: marker
                hostPath: {path: %s, type: Directory}
              containers:
              - name: app
                image: nauta/busybox:local
                imagePullPolicy: Never
                volumeMounts: [{name: marker, mountPath: /marker}]
                command:
                - sh
                - -c
                - 'if [ -e /marker/seen ]; then echo second; else touch /marker/seen; exit 42; fi'
        """
            .formatted(marker));
    waitFor("condition=complete", "job/ignoring");
    assertThat(jsonpath("job/ignoring", "{.status.succeeded}/{.status.failed}")).isEqualTo("1/");
    assertThat(marker.resolve("seen")).exists();
    List<String> exits =
        ok(
                "get",
                "pods",
                "-l",
                "job-name=ignoring",
                "-o",
                "jsonpath={range .items[*]}{.status.phase}:"
                    + "{.status.containerStatuses[0].state.terminated.exitCode}{\"\\n\"}{end}")
            .stdout()
            .lines()
            .toList();
    // Both can carry the same second: the marker tells which came first.
    assertThat(exits).containsExactlyInAnyOrder("Failed:42", "Succeeded:0");
  }

  @Test
  void ttlSecondsAfterFinishedDeletesTheJobItsPodsAndTheirContainers() {
    apply(job("shortlived", "ttlSecondsAfterFinished: 5", "[sh, -c, 'echo done']"));
    waitFor("condition=complete", "job/shortlived");
    String podUid = podUidOf("shortlived");
    assertThat(containersOf(podUid)).isNotEmpty();
    long completed = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(kubectl.run("get", "job", "shortlived").stderr())
                  .contains("jobs.batch \"shortlived\" not found");
              assertThat(ok("get", "pods", "-l", "job-name=shortlived", "-o", "name").stdout())
                  .isEmpty();
              assertThat(containersOf(podUid)).isEmpty();
            });
    // Not before its time (less a second for when the condition was seen).
    assertThat(Duration.ofNanos(System.nanoTime() - completed))
        .isGreaterThan(Duration.ofSeconds(4));
  }

  @Test
  void activeDeadlineSecondsFailsALongJobWithDeadlineExceededAndStopsItsContainer() {
    // Long enough for the container to be seen running on a loaded machine. The uid is taken in
    // the same poll: once the deadline passes the Job controller deletes the pod, so reading it
    // again afterwards can find none.
    apply(job("slow", "activeDeadlineSeconds: 10", "[sleep, '300']"));
    AtomicReference<String> runningPod = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              String uid = podUidOf("slow");
              assertThat(containersOf(uid)).anyMatch(c -> running(c));
              runningPod.set(uid);
            });
    String podUid = runningPod.get();
    waitFor("condition=failed", "job/slow");
    assertThat(jsonpath("job/slow", "{.status.conditions[?(@.type==\"Failed\")].reason}"))
        .isEqualTo("DeadlineExceeded");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(containersOf(podUid)).noneMatch(c -> running(c)));
    assertThat(jsonpath("job/slow", "{.status.active}")).isIn("", "0");
  }

  @Test
  void aDaemonSetRunsItsPodOnTheDockerNodeAsAContainer() {
    apply(daemonSet("agent"));
    try {
      ok("rollout", "status", "ds/agent", "--timeout=55s");
      assertRunsOnTheNode("agent", IMAGE);
      assertThat(jsonpath("ds/agent", "{.status.numberReady}/{.status.desiredNumberScheduled}"))
          .isEqualTo("1/1");
    } finally {
      kubectl.run("delete", "ds", "agent", "--wait=false");
    }
  }

  @Test
  void aDaemonSetRollsOutANewImageOnDockerAndRollsBack() {
    Kubectl.Result created = kubectl.runWithInput(daemonSet("rolling"), "create", "-f", "-");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    try {
      ok("rollout", "status", "ds/rolling", "--timeout=55s");
      assertRunsOnTheNode("rolling", IMAGE);

      ok("set", "image", "ds/rolling", "app=" + SECOND_IMAGE);
      ok("rollout", "status", "ds/rolling", "--timeout=55s");
      assertRunsOnTheNode("rolling", SECOND_IMAGE);

      ok("rollout", "undo", "ds/rolling");
      ok("rollout", "status", "ds/rolling", "--timeout=55s");
      assertRunsOnTheNode("rolling", IMAGE);
      assertThat(jsonpath("ds/rolling", "{.spec.template.spec.containers[0].image}"))
          .isEqualTo(IMAGE);
    } finally {
      kubectl.run("delete", "ds", "rolling", "--wait=false");
    }
  }

  /**
   * A Job of one {@code app} container that does not restart.
   *
   * @param spec its spec's fields, {@code ; }-separated ({@code name: value})
   * @param command the container's command, as YAML
   */
  private static String job(String name, String spec, String command) {
    StringBuilder fields = new StringBuilder();
    for (String field : spec.split("; ")) {
      fields.append("  ").append(field).append('\n');
    }
    return """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: %s}
        spec:
        %s  template:
            spec:
              restartPolicy: Never
              terminationGracePeriodSeconds: 0
              containers:
              - name: app
                image: nauta/busybox:local
                imagePullPolicy: Never
                command: %s
        """
        .formatted(name, fields, command);
  }

  private static String daemonSet(String name) {
    return """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: %s}
        spec:
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec:
              terminationGracePeriodSeconds: 0
              containers:
              - name: app
                image: nauta/busybox:local
                imagePullPolicy: Never
                command: [sh, -c, 'echo up; exec sleep 600']
        """
        .formatted(name, name, name);
  }

  /**
   * The DaemonSet's ({@code app}) one pod is on the Docker node, running {@code image} in a
   * container.
   */
  private static void assertRunsOnTheNode(String app, String image) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              List<String> pods =
                  ok(
                          "get",
                          "pods",
                          "-l",
                          "app=" + app,
                          "-o",
                          "jsonpath={range .items[*]}{.metadata.uid} {.spec.nodeName}"
                              + " {.status.phase} {.spec.containers[0].image}"
                              + " {.metadata.deletionTimestamp}{\"\\n\"}{end}")
                      .stdout()
                      .lines()
                      .toList();
              assertThat(pods).hasSize(1);
              String[] f = pods.get(0).split(" ");
              assertThat(f).hasSize(4);
              assertThat(f[1]).isEqualTo(node.name());
              assertThat(f[2]).isEqualTo("Running");
              assertThat(f[3]).isEqualTo(image);
              List<Container> mains =
                  containersOf(f[0]).stream()
                      .filter(c -> "app".equals(c.getLabels().get(DockerLabels.CONTAINER_NAME)))
                      .toList();
              assertThat(mains).hasSize(1);
              assertThat(running(mains.get(0))).isTrue();
              assertThat(mains.get(0).getImage()).isEqualTo(image);
            });
  }

  private static String podUidOf(String job) {
    String uid =
        ok("get", "pods", "-l", "job-name=" + job, "-o", "jsonpath={.items[0].metadata.uid}")
            .stdout();
    assertThat(uid).isNotBlank();
    return uid;
  }

  private static List<Container> containersOf(String podUid) {
    return new ArrayList<>(
        docker
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Map.of(DockerLabels.POD_UID, podUid))
            .exec());
  }

  private static boolean running(Container c) {
    return "running".equals(c.getState());
  }

  private static void apply(String yaml) {
    Kubectl.Result r = kubectl.runWithInput(yaml, "apply", "-f", "-");
    assertThat(r.exitCode()).as(r.toString()).isZero();
  }

  /** {@code kubectl wait}, within the 60 s kubectl gets here. */
  private static void waitFor(String what, String object) {
    ok("wait", "--for=" + what, object, "--timeout=55s");
  }

  private static String jsonpath(String object, String path) {
    return ok("get", object, "-o", "jsonpath=" + path).stdout();
  }

  private static Kubectl.Result ok(String... args) {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }
}
