package io.nauta.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import io.nauta.agent.runtime.docker.DockerClients;
import io.nauta.agent.runtime.docker.EgressGuard;
import io.nauta.agent.runtime.docker.TestDockerNode;
import io.nauta.api.it.Kubectl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The acceptance of issue 18's storage and StatefulSets on the Docker runtime: the API server (with
 * the default {@code nauta-local} StorageClass), the scheduler (VolumeBinding), the controller
 * manager (PV binder, protection controllers, StatefulSet controller) and a node agent provisioning
 * node-local volumes and bind-mounting them into real containers, driven by the real kubectl.
 *
 * <p>The StatefulSet's pods remember who first wrote into their volume: a pod that finds the file
 * prints {@code found <name>}, one that does not writes its own name and prints {@code wrote}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatefulSetsOnDockerIT {

  private static final String IMAGE = "nauta/busybox:local";
  private static final String SECOND_IMAGE = "nauta/busybox:it-sts";
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dir;

  private static TestDockerNode node;
  private static DockerClient docker;
  private static ControlPlane plane;
  private static ConfigurableApplicationContext agent;
  private static Kubectl kubectl;

  @BeforeAll
  static void startCluster() throws Exception {
    EgressGuard.install();
    docker = DockerClients.connect("", System.getProperty("api.version", ""));
    node = TestDockerNode.reserve(docker, "it-sts");
    docker.tagImageCmd(IMAGE, "nauta/busybox", "it-sts").exec();
    plane = ControlPlane.start();
    agent =
        plane.startDockerAgent(
            "--nauta.agent.node-name=" + node.name(),
            "--nauta.agent.first-node-index=" + node.index(),
            "--nauta.agent.status-check-interval=1s",
            "--nauta.agent.root-dir=" + Files.createDirectories(dir.resolve("agent")));
    kubectl = new Kubectl(plane.api.kubeconfig(dir));
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(ok("get", "nodes", "-o", "name").stdout()).isNotBlank());
    apply(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          clusterIP: None
          selector: {app: web}
          ports: [{name: http, port: 8080}]
        """);
  }

  @AfterAll
  static void stopCluster() {
    if (kubectl != null) {
      kubectl.run("delete", "sts", "web", "--wait=false");
      kubectl.run("delete", "pods", "--all", "--grace-period=0", "--wait=false");
    }
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
  @Order(1)
  void podsStartInOrderEachWithItsOwnClaimOnALocalVolume() throws Exception {
    apply(statefulSet(3));
    ok("rollout", "status", "sts/web", "--timeout=90s");
    // OrderedReady: web-<n> is made only once web-<n-1> is Ready (timestamps are whole seconds).
    for (int i = 1; i < 3; i++) {
      Instant previousReady =
          Instant.parse(
              jsonpath(
                  "pod/web-" + (i - 1),
                  "{.status.conditions[?(@.type==\"Ready\")].lastTransitionTime}"));
      Instant created = Instant.parse(jsonpath("pod/web-" + i, "{.metadata.creationTimestamp}"));
      assertThat(created)
          .as("web-%d made after web-%d was ready", i, i - 1)
          .isAfterOrEqualTo(previousReady);
    }
    for (int i = 0; i < 3; i++) {
      String pod = "web-" + i;
      assertThat(ok("logs", pod).stdout()).as(pod).isEqualTo("wrote\n");
      String claim = "data-web-" + i;
      assertThat(jsonpath("pvc/" + claim, "{.status.phase} {.spec.storageClassName}"))
          .isEqualTo("Bound nauta-local");
      String volume = jsonpath("pvc/" + claim, "{.spec.volumeName}");
      // Next to the pod's data: the volume is pinned to the pod's node.
      assertThat(
              jsonpath(
                  "pv/" + volume,
                  "{.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}"))
          .isEqualTo(jsonpath("pod/" + pod, "{.spec.nodeName}"));
      Path path = Path.of(jsonpath("pv/" + volume, "{.spec.local.path}"));
      assertThat(Files.readString(path.resolve("name"))).as(pod).isEqualTo(pod + "\n");
    }
  }

  @Test
  @Order(2)
  void aDeletedPodComesBackToItsOwnData() {
    String uid = jsonpath("pod/web-1", "{.metadata.uid}");
    ok("delete", "pod", "web-1", "--wait=false");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(jsonpath("pod/web-1", "{.metadata.uid}")).isNotEqualTo(uid);
              assertThat(ok("logs", "web-1").stdout()).isEqualTo("found web-1\n");
            });
  }

  @Test
  @Order(3)
  void scalingDownKeepsTheClaimsAndScalingUpReusesThem() {
    ok("scale", "sts", "web", "--replicas=1");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(ok("get", "pods", "-l", "app=web", "-o", "name").stdout())
                    .isEqualTo("pod/web-0\n"));
    assertThat(ok("get", "pvc", "-o", "name").stdout())
        .contains("persistentvolumeclaim/data-web-1", "persistentvolumeclaim/data-web-2");
    ok("scale", "sts", "web", "--replicas=3");
    ok("rollout", "status", "sts/web", "--timeout=90s");
    assertThat(ok("logs", "web-1").stdout()).isEqualTo("found web-1\n");
    assertThat(ok("logs", "web-2").stdout()).isEqualTo("found web-2\n");
  }

  @Test
  @Order(4)
  void aRollingUpdateWithAPartitionUpdatesOnlyTheOrdinalsAtOrAboveIt() {
    ok(
        "patch",
        "sts",
        "web",
        "-p",
        "{\"spec\":{\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":2}}}}");
    ok("set", "image", "sts/web", "app=" + SECOND_IMAGE);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(jsonpath("sts/web", "{.status.updatedReplicas}")).isEqualTo("1");
              assertThat(jsonpath("pod/web-2", "{.spec.containers[0].image}"))
                  .isEqualTo(SECOND_IMAGE);
              assertThat(jsonpath("pod/web-2", "{.status.conditions[?(@.type==\"Ready\")].status}"))
                  .isEqualTo("True");
            });
    assertThat(ok("logs", "web-2").stdout()).isEqualTo("found web-2\n");
    assertThat(jsonpath("pod/web-0", "{.spec.containers[0].image}")).isEqualTo(IMAGE);
    assertThat(jsonpath("pod/web-1", "{.spec.containers[0].image}")).isEqualTo(IMAGE);
  }

  @Test
  @Order(5)
  void aWaitForFirstConsumerClaimBindsOnItsPodsNodeAndIsProtectedWhileInUse() {
    apply(
        """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: lonely}
        spec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 8Mi}}
        """);
    // No consumer yet: nothing is bound, and the claim says why.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        ok("get", "events", "--field-selector", "involvedObject.name=lonely")
                            .stdout())
                    .contains("WaitForFirstConsumer"));
    assertThat(jsonpath("pvc/lonely", "{.status.phase}/{.spec.volumeName}")).isEqualTo("Pending/");

    apply(
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: consumer}
        spec:
          terminationGracePeriodSeconds: 0
          volumes: [{name: data, persistentVolumeClaim: {claimName: lonely}}]
          containers:
          - name: app
            image: nauta/busybox:local
            imagePullPolicy: Never
            volumeMounts: [{name: data, mountPath: /data}]
            command: [sh, -c, 'echo hello > /data/hello; exec sleep 600']
        """);
    ok("wait", "--for=condition=Ready", "pod/consumer", "--timeout=60s");
    assertThat(jsonpath("pvc/lonely", "{.status.phase}")).isEqualTo("Bound");
    String volume = jsonpath("pvc/lonely", "{.spec.volumeName}");
    assertThat(
            jsonpath(
                "pv/" + volume,
                "{.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}"))
        .isEqualTo(jsonpath("pod/consumer", "{.spec.nodeName}"));
    Path path = Path.of(jsonpath("pv/" + volume, "{.spec.local.path}"));
    await().atMost(WAIT).until(() -> Files.exists(path.resolve("hello")));

    // In use: the claim waits, Terminating, for its pod to go.
    ok("delete", "pvc", "lonely", "--wait=false");
    assertThat(jsonpath("pvc/lonely", "{.metadata.deletionTimestamp}")).isNotEmpty();
    assertThat(ok("get", "pvc", "lonely").stdout()).contains("Terminating");
    assertThat(jsonpath("pvc/lonely", "{.metadata.finalizers}"))
        .contains("kubernetes.io/pvc-protection");
    ok("delete", "pod", "consumer", "--grace-period=0", "--wait=false");
    // Then the claim goes, the Delete reclaim policy removes the volume and its directory.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(kubectl.run("get", "pvc", "lonely").stderr()).contains("not found");
              assertThat(kubectl.run("get", "pv", volume).stderr()).contains("not found");
              assertThat(path).doesNotExist();
            });
  }

  @Test
  @Order(6)
  void aLocalVolumeMadeByHandIsBoundMountedAndRetained() throws Exception {
    Path manual = Files.createDirectories(dir.resolve("manual"));
    Files.writeString(manual.resolve("seed"), "by hand\n");
    apply(
        """
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: manual}
        spec:
          capacity: {storage: 10Mi}
          accessModes: [ReadWriteOnce]
          persistentVolumeReclaimPolicy: Retain
          local: {path: %s}
          nodeAffinity:
            required:
              nodeSelectorTerms:
              - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [%s]}]
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: manual}
        spec:
          storageClassName: ""
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 5Mi}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: reader}
        spec:
          terminationGracePeriodSeconds: 0
          volumes: [{name: data, persistentVolumeClaim: {claimName: manual}}]
          containers:
          - name: app
            image: nauta/busybox:local
            imagePullPolicy: Never
            volumeMounts: [{name: data, mountPath: /data}]
            command: [sh, -c, 'cat /data/seed; echo from the pod > /data/out; exec sleep 600']
        """
            .formatted(manual, node.name()));
    ok("wait", "--for=condition=Ready", "pod/reader", "--timeout=60s");
    assertThat(jsonpath("pvc/manual", "{.status.phase} {.spec.volumeName}"))
        .isEqualTo("Bound manual");
    assertThat(ok("logs", "reader").stdout()).isEqualTo("by hand\n");
    await().atMost(WAIT).until(() -> Files.exists(manual.resolve("out")));

    // Retain: once pod and claim are gone the volume is Released and its data stays.
    ok("delete", "pod", "reader", "--grace-period=0");
    ok("delete", "pvc", "manual");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(jsonpath("pv/manual", "{.status.phase}")).isEqualTo("Released"));
    assertThat(manual.resolve("out")).hasContent("from the pod");
    ok("delete", "pv", "manual");
  }

  private static String statefulSet(int replicas) {
    return """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: web}
        spec:
          replicas: %d
          serviceName: web
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              terminationGracePeriodSeconds: 0
              containers:
              - name: app
                image: nauta/busybox:local
                imagePullPolicy: Never
                volumeMounts: [{name: data, mountPath: /data}]
                env: [{name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
                command:
                - sh
                - -c
                - 'if [ -f /data/name ]; then echo "found $(cat /data/name)"; else echo "$POD_NAME" > /data/name && echo wrote; fi; exec sleep 600'
          volumeClaimTemplates:
          - metadata: {name: data}
            spec:
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 16Mi}}
        """
        .formatted(replicas);
  }

  private static void apply(String yaml) {
    Kubectl.Result r = kubectl.runWithInput(yaml, "apply", "-f", "-");
    assertThat(r.exitCode()).as(r.toString()).isZero();
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
