package io.nauta.controllers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.api.it.Kubectl;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * StatefulSets end to end with the real kubectl, scheduler and simulated nodes: pods created in
 * order, each only once its predecessor is ready, with their claims; a deleted pod comes back with
 * its claim; scaling down removes the highest ordinals one at a time and keeps their claims,
 * scaling up reuses them; a partitioned rolling update, rollout status, history and undo; Parallel
 * and the whenScaled Delete retention policy.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatefulSetIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  static TestCluster cluster;
  static Kubectl kubectl;
  static ResourceClient<Pod> pods;
  static ResourceClient<PersistentVolumeClaim> claims;
  static SharedInformer<Pod> watch;

  /** "web-1 added" before web-0 was ready, and the like. */
  static final List<String> violations = new CopyOnWriteArrayList<>();

  static final List<String> added = new CopyOnWriteArrayList<>();
  static final List<String> leaving = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(2, "16");
    kubectl = new Kubectl(cluster.api.kubeconfig(dir));
    pods = cluster.client.resource(BuiltInResources.PODS, Pod.class);
    claims =
        cluster.client.resource(
            BuiltInResources.PERSISTENT_VOLUME_CLAIMS, PersistentVolumeClaim.class);
    watch =
        new SharedInformer<>(
            pods,
            "default",
            ListOptions.none().withLabelSelector("app=web"),
            Duration.ofMillis(100),
            Duration.ofSeconds(2));
    watch.events().subscribe(StatefulSetIT::observe);
    watch.start();
    watch.synced().block(WAIT);
    // The claims' volumes, made by hand and pre-bound: no provisioner runs beside the simulated
    // kubelet, and the scheduler's VolumeBinding holds a pod until its claims are bound.
    StringBuilder volumes = new StringBuilder();
    for (String set : List.of("web", "par")) {
      for (int i = 0; i < 3; i++) {
        volumes.append(volumeFor("data-" + set + "-" + i));
      }
    }
    Kubectl.Result made = kubectl.runWithInput(volumes.toString(), "apply", "-f", "-");
    assertThat(made.exitCode()).as(made.toString()).isZero();
  }

  /** A class-less volume pre-bound to {@code claim} in default. */
  private static String volumeFor(String claim) {
    return """
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: %s}
        spec:
          capacity: {storage: 1Mi}
          accessModes: [ReadWriteOnce]
          hostPath: {path: /tmp/nauta-it/%s}
          claimRef: {namespace: default, name: %s}
        ---
        """
        .formatted(claim, claim, claim);
  }

  @AfterAll
  static void stop() {
    if (watch != null) {
      watch.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Records creations and the start of deletions, and a pod created before its predecessor. */
  private static void observe(InformerEvent<Pod> e) {
    Pod p = e.object();
    String name = p.getMetadata().getName();
    if (e.type() == InformerEvent.Type.ADDED) {
      added.add(name);
      int ordinal = Integer.parseInt(name.substring("web-".length()));
      if (ordinal > 0) {
        Optional<Pod> before = watch.store().get("default/web-" + (ordinal - 1));
        if (before.isEmpty() || !ready(before.get())) {
          violations.add(name + " added while web-" + (ordinal - 1) + " was not ready");
        }
      }
    }
    if (p.getMetadata().getDeletionTimestamp() != null
        && (e.previous() == null || e.previous().getMetadata().getDeletionTimestamp() == null)) {
      leaving.add(name);
      for (Pod other : watch.store().list()) {
        if (other.getMetadata().getDeletionTimestamp() != null
            && !other.getMetadata().getName().equals(name)) {
          violations.add(name + " deleted while " + other.getMetadata().getName() + " was going");
        }
      }
    }
  }

  private static Kubectl.Result ok(String... args) {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r).isZero();
    return r;
  }

  private static boolean ready(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static Map<String, Pod> live(String app) {
    return pods
        .list("default", ListOptions.none().withLabelSelector("app=" + app))
        .block(WAIT)
        .items()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p));
  }

  private static Map<String, String> claimUids(String app) {
    return claims
        .list("default", ListOptions.none().withLabelSelector("app=" + app))
        .block(WAIT)
        .items()
        .stream()
        .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c.getMetadata().getUid()));
  }

  private static void awaitReady(String app, String... names) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              Map<String, Pod> now = live(app);
              assertThat(now.keySet()).containsExactlyInAnyOrder(names);
              assertThat(now.values()).allMatch(StatefulSetIT::ready);
            });
  }

  private static String image(Pod p) {
    return p.getSpec().getContainers().get(0).getImage();
  }

  private static String statefulSet(String name, String extra) {
    return """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: %s
        spec:
          serviceName: %s
          replicas: 3
          %s
          selector:
            matchLabels:
              app: %s
          template:
            metadata:
              labels:
                app: %s
            spec:
              containers:
              - name: app
                image: nauta/busybox:v1
                volumeMounts:
                - name: data
                  mountPath: /data
          volumeClaimTemplates:
          - metadata:
              name: data
            spec:
              storageClassName: ""
              accessModes: [ReadWriteOnce]
              resources:
                requests:
                  storage: 1Mi
        """
        .formatted(name, name, extra, name, name);
  }

  @Test
  @Order(1)
  void podsAreCreatedInOrderEachWithItsClaimAndIdentity() {
    cluster.kubelet.neverReady(p -> "web-0".equals(p.getMetadata().getName()));
    Kubectl.Result created =
        kubectl.runWithInput(
            statefulSet("web", "podManagementPolicy: OrderedReady"), "create", "-f", "-");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    // web-0 runs but is not ready: web-1 must wait
    await()
        .atMost(WAIT)
        .until(
            () ->
                Optional.ofNullable(live("web").get("web-0"))
                    .map(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
                    .orElse(false));
    await()
        .during(Duration.ofSeconds(2))
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(live("web")).containsOnlyKeys("web-0"));
    cluster.kubelet.neverReady(p -> false);
    ok("label", "pod", "web-0", "poke=1"); // an event for the kubelet to look again
    awaitReady("web", "web-0", "web-1", "web-2");
    assertThat(added).containsExactly("web-0", "web-1", "web-2");
    assertThat(violations).isEmpty();

    Pod web1 = live("web").get("web-1");
    assertThat(web1.getSpec().getHostname()).isEqualTo("web-1");
    assertThat(web1.getSpec().getSubdomain()).isEqualTo("web");
    assertThat(web1.getMetadata().getLabels())
        .containsEntry("statefulset.kubernetes.io/pod-name", "web-1")
        .containsEntry("apps.kubernetes.io/pod-index", "1")
        .containsKey("controller-revision-hash");
    assertThat(web1.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getKind()).isEqualTo("StatefulSet");
              assertThat(r.getController()).isTrue();
            });
    assertThat(web1.getSpec().getVolumes())
        .anySatisfy(
            v -> {
              assertThat(v.getName()).isEqualTo("data");
              assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("data-web-1");
            });
    assertThat(claimUids("web")).containsOnlyKeys("data-web-0", "data-web-1", "data-web-2");

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(kubectl.run("get", "sts", "web").stdout())
                    .containsPattern("web +3/3 +\\d+s"));
    assertThat(ok("get", "sts", "web", "-o", "wide").stdout())
        .containsPattern("web +3/3 +\\d+s +app +nauta/busybox:v1");
    String status =
        ok(
                "get",
                "sts",
                "web",
                "-o",
                "jsonpath={.status.replicas} {.status.readyReplicas} {.status.currentReplicas}"
                    + " {.status.updatedReplicas} {.status.availableReplicas}"
                    + " {.status.observedGeneration} {.status.currentRevision}"
                    + " {.status.updateRevision} {.status.collisionCount}")
            .stdout();
    String revision = web1.getMetadata().getLabels().get("controller-revision-hash");
    assertThat(status).isEqualTo("3 3 3 3 3 1 " + revision + " " + revision + " 0");
    assertThat(revision).startsWith("web-");
    // upstream's defaults
    assertThat(
            ok(
                    "get",
                    "sts",
                    "web",
                    "-o",
                    "jsonpath={.spec.podManagementPolicy} {.spec.updateStrategy.type}"
                        + " {.spec.updateStrategy.rollingUpdate.partition}"
                        + " {.spec.revisionHistoryLimit}"
                        + " {.spec.persistentVolumeClaimRetentionPolicy.whenDeleted}"
                        + " {.spec.persistentVolumeClaimRetentionPolicy.whenScaled}"
                        + " {.spec.volumeClaimTemplates[0].spec.volumeMode}"
                        + " {.spec.template.spec.restartPolicy}")
                .stdout())
        .isEqualTo("OrderedReady RollingUpdate 0 10 Retain Retain Filesystem Always");
    assertThat(ok("describe", "sts", "web").stdout())
        .contains("3 desired | 3 total")
        .containsPattern("Pods Status: +3 Running / 0 Waiting / 0 Succeeded / 0 Failed")
        .contains("Volume Claims:")
        .contains("SuccessfulCreate");
    assertThat(ok("get", "events", "--field-selector", "involvedObject.name=web").stdout())
        .contains("create Pod web-0 in StatefulSet web successful")
        .contains("create Claim data-web-0 Pod web-0 in StatefulSet web success");
  }

  @Test
  @Order(2)
  void aDeletedPodComesBackWithItsClaim() {
    Map<String, String> before = claimUids("web");
    String uid = live("web").get("web-1").getMetadata().getUid();
    ok("delete", "pod", "web-1", "--wait=false");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Pod again = live("web").get("web-1");
              assertThat(again).isNotNull();
              assertThat(again.getMetadata().getUid()).isNotEqualTo(uid);
              assertThat(ready(again)).isTrue();
            });
    assertThat(live("web").get("web-1").getSpec().getVolumes())
        .anyMatch(
            v ->
                v.getPersistentVolumeClaim() != null
                    && "data-web-1".equals(v.getPersistentVolumeClaim().getClaimName()));
    assertThat(claimUids("web")).isEqualTo(before);
    // a lost identity label comes back
    ok("label", "pod", "web-1", "statefulset.kubernetes.io/pod-name-");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(live("web").get("web-1").getMetadata().getLabels())
                    .containsEntry("statefulset.kubernetes.io/pod-name", "web-1"));
  }

  @Test
  @Order(3)
  void scalingDownRemovesTheHighestOrdinalsOneByOneAndKeepsTheirClaims() {
    Map<String, String> before = claimUids("web");
    leaving.clear();
    added.clear();
    ok("scale", "sts", "web", "--replicas=1");
    awaitReady("web", "web-0");
    await().atMost(WAIT).until(() -> leaving.size() >= 2);
    assertThat(leaving).containsExactly("web-2", "web-1");
    assertThat(claimUids("web")).isEqualTo(before);

    ok("scale", "sts", "web", "--replicas=3");
    awaitReady("web", "web-0", "web-1", "web-2");
    assertThat(added).containsExactly("web-1", "web-2");
    assertThat(claimUids("web")).isEqualTo(before);
    assertThat(violations).isEmpty();
  }

  @Test
  @Order(4)
  void aPartitionedRollingUpdateUpdatesOnlyTheOrdinalsAtOrAboveIt() {
    ok(
        "patch",
        "sts",
        "web",
        "-p",
        "{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"partition\":2}}}}");
    ok("set", "image", "sts/web", "app=nauta/busybox:v2");
    assertThat(ok("rollout", "status", "sts/web", "--timeout=60s").stdout())
        .contains("partitioned roll out complete: 1 new pods have been updated...");
    await()
        .during(Duration.ofSeconds(1))
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Map<String, Pod> now = live("web");
              assertThat(now).containsOnlyKeys("web-0", "web-1", "web-2");
              assertThat(image(now.get("web-2"))).isEqualTo("nauta/busybox:v2");
              assertThat(image(now.get("web-1"))).isEqualTo("nauta/busybox:v1");
              assertThat(image(now.get("web-0"))).isEqualTo("nauta/busybox:v1");
            });

    ok(
        "patch",
        "sts",
        "web",
        "-p",
        "{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"partition\":0}}}}");
    // kubectl reports any set partition, 0 included (which the API server defaults), this way
    assertThat(ok("rollout", "status", "sts/web", "--timeout=60s").stdout())
        .contains("partitioned roll out complete: 3 new pods have been updated...");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(live("web").values())
                    .hasSize(3)
                    .allMatch(p -> ready(p) && image(p).equals("nauta/busybox:v2")));
    Kubectl.Result history = ok("rollout", "history", "sts/web");
    assertThat(history.stdout()).containsPattern("(?m)^1 ").containsPattern("(?m)^2 ");
    assertThat(ok("rollout", "history", "sts/web", "--revision=1").stdout())
        .contains("nauta/busybox:v1");
  }

  @Test
  @Order(5)
  void rolloutUndoRestoresThePreviousTemplate() {
    assertThat(ok("rollout", "undo", "sts/web").stdout())
        .contains("statefulset.apps/web rolled back");
    ok("rollout", "status", "sts/web", "--timeout=60s");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(live("web").values())
                    .hasSize(3)
                    .allMatch(p -> image(p).equals("nauta/busybox:v1")));
    Kubectl.Result history = ok("rollout", "history", "sts/web");
    assertThat(history.stdout()).containsPattern("(?m)^2 ").containsPattern("(?m)^3 ");
    assertThat(history.stdout()).doesNotContainPattern("(?m)^1 ");
  }

  @Test
  @Order(6)
  void aStatefulSetCreatedAgainAdoptsThePodsItsPredecessorOrphaned() {
    Map<String, String> before =
        live("web").values().stream()
            .collect(
                Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getMetadata().getUid()));
    ok("delete", "sts", "web", "--cascade=orphan");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(live("web").values())
                    .hasSize(3)
                    .allMatch(p -> p.getMetadata().getOwnerReferences().isEmpty()));
    Kubectl.Result created =
        kubectl.runWithInput(
            statefulSet("web", "podManagementPolicy: OrderedReady"), "create", "-f", "-");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    String uid = ok("get", "sts", "web", "-o", "jsonpath={.metadata.uid}").stdout();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(live("web").values())
                    .hasSize(3)
                    .allMatch(
                        p -> p.getMetadata().getOwnerReferences().get(0).getUid().equals(uid)));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(kubectl.run("get", "sts", "web").stdout()).containsPattern("web +3/3 "));
    // the same pods, none replaced, and the history kept
    assertThat(
            live("web").values().stream()
                .collect(
                    Collectors.toMap(
                        p -> p.getMetadata().getName(), p -> p.getMetadata().getUid())))
        .isEqualTo(before);
    assertThat(ok("rollout", "history", "sts/web").stdout())
        .containsPattern("(?m)^2 ")
        .containsPattern("(?m)^3 ");
  }

  @Test
  @Order(7)
  void onlyTheAllowedSpecFieldsMayChange() {
    Kubectl.Result r =
        kubectl.run("patch", "sts", "web", "-p", "{\"spec\":{\"serviceName\":\"other\"}}");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr())
        .contains(
            "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template',"
                + " 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds'"
                + " are forbidden");
    Kubectl.Result bad =
        kubectl.runWithInput(
            statefulSet("bad", "podManagementPolicy: OrderedReady")
                .replace("app: bad\n  template", "app: other\n  template"),
            "create",
            "-f",
            "-");
    assertThat(bad.exitCode()).isNotZero();
  }

  @Test
  @Order(8)
  void parallelCreatesAllPodsAtOnceAndWhenScaledDeleteRemovesTheClaims() {
    // never ready: Parallel does not wait for a predecessor
    cluster.kubelet.neverReady(p -> p.getMetadata().getName().startsWith("par-"));
    Kubectl.Result created =
        kubectl.runWithInput(
            statefulSet(
                "par",
                "podManagementPolicy: Parallel\n  persistentVolumeClaimRetentionPolicy:"
                    + " {whenScaled: Delete, whenDeleted: Delete}"),
            "create",
            "-f",
            "-");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(live("par")).containsOnlyKeys("par-0", "par-1", "par-2"));
    assertThat(claimUids("par")).containsOnlyKeys("data-par-0", "data-par-1", "data-par-2");
    assertThat(
            ok("get", "sts", "par", "-o", "jsonpath={.spec.persistentVolumeClaimRetentionPolicy}")
                .stdout())
        .contains("\"whenDeleted\":\"Delete\"")
        .contains("\"whenScaled\":\"Delete\"");

    ok("scale", "sts", "par", "--replicas=1");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(live("par")).containsOnlyKeys("par-0");
              assertThat(claimUids("par")).containsOnlyKeys("data-par-0");
            });
  }

  @Test
  @Order(9)
  void deletingAStatefulSetRemovesItsPodsAndOnlyTheClaimsItOwns() {
    Map<String, String> kept = claimUids("web");
    ok("delete", "sts", "web", "par");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(live("web")).isEmpty();
              assertThat(live("par")).isEmpty();
              // whenDeleted Delete: the garbage collector takes the claims with their StatefulSet
              assertThat(claimUids("par")).isEmpty();
            });
    // Retain: the claims stay for a StatefulSet created again
    assertThat(claimUids("web")).isEqualTo(kept).hasSize(3);
  }
}
