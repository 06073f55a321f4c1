package io.nauta.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.nauta.agent.runtime.ContainerState;
import io.nauta.agent.runtime.PodCidr;
import io.nauta.agent.runtime.RuntimeContainer;
import io.nauta.agent.runtime.RuntimePod;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * The Docker runtime against the real engine (images from deploy/images/build.sh). Everything it
 * creates carries {@code io.nauta.node=<its TestDockerNode>} and is removed before and after.
 */
class DockerRuntimeIT {

  private static TestDockerNode node;
  private static String NODE;
  private static final String IMAGE = "nauta/busybox:local";
  private static final Duration T = Duration.ofSeconds(60);

  private static DockerClient docker;
  private static PodCidr cidr;
  private static DockerRuntime runtime;
  private static final RecordedPodEvents events = new RecordedPodEvents();

  @BeforeAll
  static void connect() {
    EgressGuard.install();
    docker = DockerClients.connect("", System.getProperty("api.version", ""));
    node = TestDockerNode.reserve(docker, "it-docker-runtime");
    NODE = node.name();
    cidr = PodCidr.nth("10.244.0.0/16", node.index());
    runtime = newRuntime();
  }

  @AfterAll
  static void cleanUp() {
    if (node != null) {
      node.cleanUp(docker);
    }
  }

  private static DockerRuntime newRuntime() {
    return new DockerRuntime(
        docker,
        NODE,
        PodCidr.nth("10.244.0.0/16", node.index()),
        IMAGE,
        Duration.ofMillis(500),
        Clock.systemUTC(),
        events);
  }

  @Test
  void runsAPodsContainersInOneNetworkNamespaceReachableFromAnotherPodAndTheHost()
      throws Exception {
    Pod web =
        pod(
            "web",
            "Always",
            new ContainerBuilder()
                .withName("httpd")
                .withImage(IMAGE)
                .withCommand(
                    "sh", "-c", "echo hello-nauta > /tmp/index.html; exec httpd -f -p 8080 -h /tmp")
                .build(),
            new ContainerBuilder()
                .withName("sidecar")
                .withImage(IMAGE)
                .withCommand("sleep")
                .withArgs("3600")
                .withWorkingDir("/tmp")
                .addNewEnv()
                .withName("GREETING")
                .withValue("hi")
                .endEnv()
                .withNewResources()
                .addToLimits("cpu", new io.fabric8.kubernetes.api.model.Quantity("500m"))
                .addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("64Mi"))
                .endResources()
                .build());
    RuntimePod running = awaitRunning(web);
    assertThat(running.ip()).startsWith(node.ipPrefix());
    assertThat(running.namespace()).isEqualTo("default");
    assertThat(running.containers())
        .extracting(RuntimeContainer::name)
        .containsExactly("httpd", "sidecar");
    String sidecar = id(running.container("sidecar").orElseThrow());
    var inspect = docker.inspectContainerCmd(sidecar).exec();
    assertThat(inspect.getHostConfig().getNetworkMode()).startsWith("container:");
    assertThat(inspect.getHostConfig().getNanoCPUs()).isEqualTo(500_000_000L);
    assertThat(inspect.getHostConfig().getMemory()).isEqualTo(64L * 1024 * 1024);
    assertThat(inspect.getConfig().getLabels())
        .containsEntry(DockerLabels.POD_UID, web.getMetadata().getUid())
        .containsEntry(DockerLabels.POD_NAMESPACE, "default")
        .containsEntry(DockerLabels.POD_NAME, "web")
        .containsEntry(DockerLabels.CONTAINER_NAME, "sidecar")
        .containsEntry(DockerLabels.NODE, NODE)
        .containsEntry(DockerLabels.RESTART_COUNT, "0");
    assertThat(running.container("sidecar").orElseThrow().imageId()).startsWith("docker://sha256:");

    // Same network namespace: the sidecar reaches httpd on localhost; env and workingDir apply.
    await()
        .atMost(T)
        .untilAsserted(
            () ->
                assertThat(exec(sidecar, "wget", "-q", "-O", "-", "http://127.0.0.1:8080/"))
                    .contains("hello-nauta"));
    assertThat(exec(sidecar, "sh", "-c", "echo $GREETING $(pwd)")).contains("hi /tmp");

    // Another pod reaches it by its pod IP over the node's bridge, and so does the host.
    Pod client =
        pod(
            "client",
            "Always",
            new ContainerBuilder()
                .withName("c")
                .withImage(IMAGE)
                .withCommand("sleep", "3600")
                .build());
    RuntimePod clientPod = awaitRunning(client);
    assertThat(clientPod.ip()).isNotEqualTo(running.ip()).startsWith(node.ipPrefix());
    String c = id(clientPod.container("c").orElseThrow());
    assertThat(exec(c, "wget", "-q", "-O", "-", "http://" + running.ip() + ":8080/"))
        .contains("hello-nauta");
    HttpResponse<String> fromHost =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://" + running.ip() + ":8080/"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(fromHost.body()).contains("hello-nauta");

    // An agent that restarts adopts what runs: same containers, same IP, nothing recreated.
    DockerRuntime restarted = newRuntime();
    RuntimePod adopted = restarted.pod(web.getMetadata().getUid()).block(T);
    assertThat(adopted).isEqualTo(running);
    RuntimePod synced = restarted.syncPod(web).block(T);
    assertThat(ids(synced)).isEqualTo(ids(running));
    assertThat(synced.ip()).isEqualTo(running.ip());
    assertThat(restarted.pods().collectList().block(T))
        .extracting(RuntimePod::uid)
        .contains(web.getMetadata().getUid(), client.getMetadata().getUid());
    // Its IPs are taken: a new pod gets another.
    Pod third =
        pod(
            "third",
            "Always",
            new ContainerBuilder()
                .withName("c")
                .withImage(IMAGE)
                .withCommand("sleep", "3600")
                .build());
    RuntimePod thirdPod = awaitRunning(restarted, third);
    assertThat(thirdPod.ip()).isNotIn(running.ip(), clientPod.ip());

    // killPod stops and removes every container of the pod, the sandbox too.
    for (Pod p : List.of(web, client, third)) {
      restarted.killPod(p.getMetadata().getUid(), Duration.ofSeconds(2)).block(T);
      assertThat(containersOf(p)).isEmpty();
      assertThat(restarted.pod(p.getMetadata().getUid()).blockOptional(T)).isEmpty();
    }
    assertThat(events.of("web"))
        .filteredOn(e -> e.reason().equals("Killing"))
        .extracting(RecordedPodEvents.Recorded::message)
        .containsExactlyInAnyOrder("Stopping container httpd", "Stopping container sidecar");
  }

  @Test
  void aContainerThatKeepsFailingIsRestartedWithCrashLoopBackOff() {
    Pod pod =
        pod(
            "crash",
            "Always",
            new ContainerBuilder()
                .withName("fail")
                .withImage(IMAGE)
                .withCommand("sh", "-c", "echo dying; exit 1")
                .build());
    List<String> changed = new CopyOnWriteArrayList<>();
    Disposable watch = runtime.changes().subscribe(p -> changed.add(p.name()));
    try {
      runtime.syncPod(pod).block(T);
      // As the pod workers do: every change (and back-off end) leads to another sync. The first
      // exit is restarted at once, the second after 10 s, the third after 20 s.
      List<RuntimeContainer> seen = new ArrayList<>();
      await()
          .atMost(T)
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                RuntimeContainer c = runtime.syncPod(pod).block(T).container("fail").orElseThrow();
                seen.add(c);
                assertThat(c.restartCount()).isEqualTo(2);
                assertThat(c.state()).isInstanceOf(ContainerState.Waiting.class);
              });
      assertThat(seen)
          .noneSatisfy(
              c -> {
                assertThat(c.restartCount()).isZero();
                assertThat(c.state())
                    .isInstanceOfSatisfying(
                        ContainerState.Waiting.class,
                        w -> assertThat(w.reason()).isEqualTo("CrashLoopBackOff"));
              });
      assertThat(seen)
          .anySatisfy(
              c -> {
                assertThat(c.restartCount()).isEqualTo(1);
                assertThat(c.state())
                    .isEqualTo(
                        new ContainerState.Waiting(
                            "CrashLoopBackOff",
                            "back-off 10s restarting failed container=fail pod=crash_default("
                                + pod.getMetadata().getUid()
                                + ")"));
                assertThat(c.lastTermination().exitCode()).isEqualTo(1);
                assertThat(c.lastTermination().reason()).isEqualTo("Error");
              });
      RuntimeContainer now =
          runtime.pod(pod.getMetadata().getUid()).block(T).container("fail").orElseThrow();
      assertThat(((ContainerState.Waiting) now.state()).reason()).isEqualTo("CrashLoopBackOff");
      assertThat(((ContainerState.Waiting) now.state()).message()).startsWith("back-off 20s");
      assertThat(now.lastTermination().finishedAt()).isNotNull();
      assertThat(changed).contains("crash");
      assertThat(events.reasons("crash")).contains("BackOff");
      // The previous run is kept for lastState; older ones are not.
      assertThat(containersOf(pod)).hasSize(3);
    } finally {
      watch.dispose();
      runtime.killPod(pod.getMetadata().getUid(), Duration.ZERO).block(T);
    }
  }

  @Test
  void containersThatEndAreTerminatedPerRestartPolicyAndAMissingImageIsNeverPulledFromDockerHub() {
    Pod pod =
        pod(
            "batch",
            "Never",
            new ContainerBuilder().withName("ok").withImage(IMAGE).withCommand("true").build(),
            new ContainerBuilder()
                .withName("bad")
                .withImage(IMAGE)
                .withCommand("sh", "-c", "exit 3")
                .build(),
            new ContainerBuilder()
                .withName("absent")
                .withImage("nauta/does-not-exist:local")
                .withImagePullPolicy("Never")
                .build(),
            new ContainerBuilder()
                .withName("absent2")
                .withImage("nauta/does-not-exist:local")
                .withImagePullPolicy("IfNotPresent")
                .build());
    try {
      await()
          .atMost(T)
          .untilAsserted(
              () -> {
                RuntimePod p = runtime.syncPod(pod).block(T);
                var ok = p.container("ok").orElseThrow().state();
                var bad = p.container("bad").orElseThrow().state();
                assertThat(ok).isInstanceOf(ContainerState.Terminated.class);
                assertThat(bad).isInstanceOf(ContainerState.Terminated.class);
                assertThat(((ContainerState.Terminated) ok).reason()).isEqualTo("Completed");
                assertThat(((ContainerState.Terminated) bad).exitCode()).isEqualTo(3);
                assertThat(((ContainerState.Terminated) bad).reason()).isEqualTo("Error");
                assertThat(p.container("absent").orElseThrow().state())
                    .isInstanceOfSatisfying(
                        ContainerState.Waiting.class,
                        w -> assertThat(w.reason()).isEqualTo("ErrImageNeverPull"));
                assertThat(p.container("absent2").orElseThrow().state())
                    .isInstanceOfSatisfying(
                        ContainerState.Waiting.class,
                        w -> {
                          assertThat(w.reason()).isEqualTo("ErrImagePull");
                          // Docker Hub is no registry this node may pull from: never tried.
                          assertThat(w.message())
                              .contains("registry docker.io is not one this node pulls from");
                        });
                assertThat(p.containers())
                    .extracting(RuntimeContainer::name)
                    .containsExactly("ok", "bad", "absent", "absent2");
              });
    } finally {
      runtime.killPod(pod.getMetadata().getUid(), Duration.ZERO).block(T);
    }
    assertThat(containersOf(pod)).isEmpty();
  }

  @Test
  void aContainerIsReadyOnlyOnceItsReadinessProbeSucceeds() throws Exception {
    Pod pod =
        pod(
            "probed",
            "Always",
            new ContainerBuilder()
                .withName("httpd")
                .withImage(IMAGE)
                .withCommand("sh", "-c", "mkdir -p /www; exec httpd -f -p 8080 -h /www")
                .withNewReadinessProbe()
                .withNewHttpGet()
                .withPath("/ready")
                .withPort(new IntOrString(8080))
                .endHttpGet()
                .withPeriodSeconds(1)
                .withFailureThreshold(1)
                .endReadinessProbe()
                .build());
    Disposable probing = runtime.changes().subscribe();
    try {
      RuntimeContainer httpd = awaitRunning(pod).container("httpd").orElseThrow();
      assertThat(httpd.ready()).isFalse();
      // Probed every second and failing (404): still not ready a few periods later.
      await()
          .during(Duration.ofSeconds(3))
          .atMost(T)
          .untilAsserted(
              () ->
                  assertThat(runtime.pod(pod.getMetadata().getUid()).block(T).container("httpd"))
                      .hasValueSatisfying(c -> assertThat(c.ready()).isFalse()));

      assertThat(events.of(pod.getMetadata().getName()))
          .anySatisfy(
              e ->
                  assertThat(e.message())
                      .isEqualTo("Readiness probe failed: HTTP probe failed with statuscode: 404"));
      exec(id(httpd), "touch", "/www/ready");

      await()
          .atMost(T)
          .untilAsserted(
              () ->
                  assertThat(runtime.pod(pod.getMetadata().getUid()).block(T).container("httpd"))
                      .hasValueSatisfying(
                          c -> {
                            assertThat(c.ready()).isTrue();
                            assertThat(c.started()).isTrue();
                            assertThat(c.restartCount()).isZero();
                          }));
    } finally {
      probing.dispose();
      runtime.killPod(pod.getMetadata().getUid(), Duration.ZERO).block(T);
    }
  }

  @Test
  void aContainerThatFailsItsLivenessProbeIsRestarted() throws Exception {
    Pod pod =
        pod(
            "unhealthy",
            "Always",
            new ContainerBuilder()
                .withName("app")
                .withImage(IMAGE)
                .withCommand("sh", "-c", "touch /tmp/healthy; exec sleep 3600")
                .withNewLivenessProbe()
                .withNewExec()
                .withCommand("cat", "/tmp/healthy")
                .endExec()
                .withPeriodSeconds(1)
                .withFailureThreshold(2)
                .endLivenessProbe()
                .build());
    pod.getSpec().setTerminationGracePeriodSeconds(1L);
    Disposable probing = runtime.changes().subscribe();
    try {
      RuntimeContainer app = awaitRunning(pod).container("app").orElseThrow();
      // Healthy: probed every second and left alone.
      await()
          .during(Duration.ofSeconds(3))
          .atMost(T)
          .untilAsserted(
              () ->
                  assertThat(runtime.syncPod(pod).block(T).container("app"))
                      .hasValueSatisfying(
                          c -> {
                            assertThat(c.running()).isTrue();
                            assertThat(c.restartCount()).isZero();
                          }));

      exec(id(app), "rm", "/tmp/healthy");

      // Two failures a second apart, a 1 s grace period, then the restart at once (the first
      // restart has no back-off, as in Kubernetes): well within 10 s, the first back-off.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(runtime.syncPod(pod).block(T).container("app"))
                      .hasValueSatisfying(
                          c -> {
                            assertThat(c.restartCount()).isEqualTo(1);
                            assertThat(c.running()).isTrue();
                            assertThat(c.lastTermination().reason()).isEqualTo("Error");
                            assertThat(c.containerId()).isNotEqualTo(app.containerId());
                          }));
      assertThat(events.of("unhealthy"))
          .anySatisfy(
              e -> {
                assertThat(e.type()).isEqualTo("Warning");
                assertThat(e.reason()).isEqualTo("Unhealthy");
                assertThat(e.message())
                    .startsWith("Liveness probe failed: cat: can't open '/tmp/healthy'");
              })
          .anySatisfy(
              e -> {
                assertThat(e.reason()).isEqualTo("Killing");
                assertThat(e.message())
                    .isEqualTo("Container app failed liveness probe, will be restarted");
              });
    } finally {
      probing.dispose();
      runtime.killPod(pod.getMetadata().getUid(), Duration.ZERO).block(T);
    }
  }

  @Test
  void anOomKilledContainerSaysSo() {
    Pod pod =
        pod(
            "hog",
            "Never",
            new ContainerBuilder()
                .withName("hog")
                .withImage(IMAGE)
                // Holds ~64 MiB in the shell's memory: far over the 16 MiB limit.
                .withCommand("sh", "-c", "x=$(head -c 67108864 /dev/zero | tr '\\0' a); sleep 5")
                .withNewResources()
                .addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("16Mi"))
                .endResources()
                .build());
    try {
      await()
          .atMost(T)
          .untilAsserted(
              () ->
                  assertThat(runtime.syncPod(pod).block(T).container("hog").orElseThrow().state())
                      .isInstanceOfSatisfying(
                          ContainerState.Terminated.class,
                          t -> assertThat(t.reason()).isEqualTo("OOMKilled")));
    } finally {
      runtime.killPod(pod.getMetadata().getUid(), Duration.ZERO).block(T);
    }
  }

  @Test
  void aNodeNetworkRemovedBehindTheAgentsBackIsMadeAgain() {
    runtime.pods().collectList().block(T).stream()
        .filter(p -> !p.containers().isEmpty())
        .forEach(p -> runtime.killPod(p.uid(), Duration.ZERO).block(T));
    docker.removeNetworkCmd(runtime.network()).exec();
    Pod pod =
        pod(
            "after-prune",
            "Always",
            new ContainerBuilder()
                .withName("c")
                .withImage(IMAGE)
                .withCommand("sleep", "3600")
                .build());
    try {
      // The first sync finds the network gone; the pod workers retry, and the retry makes it.
      await()
          .atMost(T)
          .ignoreExceptions()
          .untilAsserted(
              () ->
                  assertThat(runtime.syncPod(pod).block(T).containers())
                      .isNotEmpty()
                      .allMatch(RuntimeContainer::running));
      assertThat(runtime.pod(pod.getMetadata().getUid()).block(T).ip()).startsWith(node.ipPrefix());
    } finally {
      runtime.killPod(pod.getMetadata().getUid(), Duration.ZERO).block(T);
    }
  }

  @Test
  void aFinishedPodGivesItsIpBackAndKeepsItsContainers() {
    PodCidr own = PodCidr.nth("10.244.0.0/16", node.index());
    DockerRuntime rt =
        new DockerRuntime(
            docker, NODE, own, IMAGE, Duration.ofMillis(500), Clock.systemUTC(), events);
    Pod pod =
        pod(
            "finished",
            "Never",
            new ContainerBuilder()
                .withName("c")
                .withImage(IMAGE)
                .withCommand("sh", "-c", "echo done")
                .build());
    String uid = pod.getMetadata().getUid();
    try {
      await()
          .atMost(T)
          .untilAsserted(
              () ->
                  assertThat(rt.syncPod(pod).block(T).container("c").orElseThrow().state())
                      .isInstanceOf(ContainerState.Terminated.class));
      String ip = rt.pod(uid).block(T).ip();
      assertThat(own.inUse(ip)).isTrue();

      rt.stopPod(uid).block(T);

      assertThat(own.inUse(ip)).isFalse();
      Container sandbox =
          containersOf(pod).stream().filter(DockerContainers::isSandbox).findFirst().orElseThrow();
      var inspect = docker.inspectContainerCmd(sandbox.getId()).exec();
      assertThat(inspect.getState().getRunning()).isFalse();
      assertThat(inspect.getNetworkSettings().getNetworks()).doesNotContainKey(rt.network());
      // Kept, for status and logs, until the pod is deleted.
      assertThat(containersOf(pod)).hasSize(2);
      // An agent that restarts does not take the address for one in use.
      PodCidr fresh = PodCidr.nth("10.244.0.0/16", node.index());
      new DockerRuntime(
              docker, NODE, fresh, IMAGE, Duration.ofMillis(500), Clock.systemUTC(), events)
          .pods()
          .collectList()
          .block(T);
      assertThat(fresh.inUse(ip)).isFalse();
    } finally {
      rt.killPod(uid, Duration.ZERO).block(T);
    }
  }

  private static RuntimePod awaitRunning(Pod pod) {
    return awaitRunning(runtime, pod);
  }

  private static RuntimePod awaitRunning(DockerRuntime rt, Pod pod) {
    await()
        .atMost(T)
        .untilAsserted(
            () ->
                assertThat(rt.syncPod(pod).block(T).containers())
                    .isNotEmpty()
                    .allMatch(RuntimeContainer::running));
    return rt.pod(pod.getMetadata().getUid()).block(T);
  }

  private static Pod pod(
      String name, String restartPolicy, io.fabric8.kubernetes.api.model.Container... containers) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .withUid(UUID.randomUUID().toString())
        .endMetadata()
        .withNewSpec()
        .withNodeName(NODE)
        .withRestartPolicy(restartPolicy)
        .withContainers(containers)
        .endSpec()
        .build();
  }

  private static List<Container> containersOf(Pod pod) {
    return docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(DockerLabels.POD_UID, pod.getMetadata().getUid()))
        .exec();
  }

  private static List<String> ids(RuntimePod p) {
    return p.containers().stream().map(RuntimeContainer::containerId).toList();
  }

  private static String id(RuntimeContainer c) {
    return c.containerId().substring("docker://".length());
  }

  private static String exec(String container, String... cmd)
      throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("docker", "exec", container));
    args.addAll(List.of(cmd));
    Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}
