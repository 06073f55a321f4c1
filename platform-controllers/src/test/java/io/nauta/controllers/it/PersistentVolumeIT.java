package io.nauta.controllers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.nauta.api.it.Kubectl;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.registry.BuiltInResources;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The persistent volume controllers in a whole control plane (API server, scheduler, a simulated
 * kubelet), driven with kubectl: static binding by class, capacity, access modes and selector;
 * pre-binding by {@code volumeName} and by {@code claimRef}; Released, Failed and left-alone
 * volumes after their claims go; a claim in use by a running pod, and its bound volume, held by
 * their protection finalizers until the pod goes; WaitForFirstConsumer; a provisioner's class. Each
 * test has its own namespace and storage class names, since volumes are cluster-wide. The admission
 * plugin that adds protection finalizers and default classes is not in this branch: objects are
 * created with them.
 */
class PersistentVolumeIT {

  private static final Duration T = Duration.ofSeconds(10);
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration POLL = Duration.ofMillis(50);

  @TempDir static Path dir;

  private static TestCluster cluster;
  private static Kubectl kubectl;
  private static ResourceClient<PersistentVolume> pvs;
  private static ResourceClient<PersistentVolumeClaim> pvcs;
  private static ResourceClient<Event> events;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1, "8");
    kubectl = new Kubectl(cluster.api.kubeconfig(dir));
    pvs = cluster.client.resource(BuiltInResources.PERSISTENT_VOLUMES, PersistentVolume.class);
    pvcs =
        cluster.client.resource(
            BuiltInResources.PERSISTENT_VOLUME_CLAIMS, PersistentVolumeClaim.class);
    events = cluster.client.resource(BuiltInResources.EVENTS, Event.class);
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

  private static void apply(String namespace, String manifest) {
    Kubectl.Result r =
        namespace == null
            ? kubectl.runWithInput(manifest, "create", "-f", "-")
            : kubectl.runWithInput(manifest, "-n", namespace, "create", "-f", "-");
    assertThat(r.exitCode()).as(r.toString()).isZero();
  }

  private static String pv(String name, String size, String cls, String extra) {
    return """
        apiVersion: v1
        kind: PersistentVolume
        metadata:
          name: %s
          finalizers: [kubernetes.io/pv-protection]
        spec:
          capacity: {storage: %s}
          storageClassName: "%s"
          local: {path: /var/lib/nauta-it/%s}
          nodeAffinity:
            required:
              nodeSelectorTerms:
              - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [node-0]}]
        %s
        ---
        """
        .formatted(name, size, cls, name, extra.indent(2).stripTrailing());
  }

  private static String pvc(String name, String size, String cls, String extra) {
    return """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: %s
          finalizers: [kubernetes.io/pvc-protection]
        spec:
          resources: {requests: {storage: %s}}
          storageClassName: "%s"
        %s
        ---
        """
        .formatted(name, size, cls, extra.indent(2).stripTrailing());
  }

  private static PersistentVolumeClaim claim(String ns, String name) {
    return pvcs.get(ns, name).block(T);
  }

  private static PersistentVolume volume(String name) {
    return pvs.get(null, name).block(T);
  }

  private static String phase(PersistentVolumeClaim c) {
    return c.getStatus() == null ? null : c.getStatus().getPhase();
  }

  private static String phase(PersistentVolume v) {
    return v.getStatus() == null ? null : v.getStatus().getPhase();
  }

  private static PersistentVolumeClaim awaitBound(String ns, String name, String volumeName) {
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              PersistentVolumeClaim c = claim(ns, name);
              assertThat(phase(c)).as(String.valueOf(c)).isEqualTo("Bound");
              assertThat(phase(volume(volumeName))).isEqualTo("Bound");
            });
    PersistentVolumeClaim c = claim(ns, name);
    assertThat(c.getSpec().getVolumeName()).isEqualTo(volumeName);
    PersistentVolume v = volume(volumeName);
    assertThat(v.getSpec().getClaimRef().getNamespace()).isEqualTo(ns);
    assertThat(v.getSpec().getClaimRef().getName()).isEqualTo(name);
    assertThat(v.getSpec().getClaimRef().getUid()).isEqualTo(c.getMetadata().getUid());
    assertThat(c.getMetadata().getAnnotations())
        .containsEntry("pv.kubernetes.io/bind-completed", "yes");
    assertThat(c.getStatus().getCapacity()).isEqualTo(v.getSpec().getCapacity());
    assertThat(c.getStatus().getAccessModes()).isEqualTo(v.getSpec().getAccessModes());
    return c;
  }

  private static void awaitEvent(String ns, String object, String reason, String message) {
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .untilAsserted(
            () ->
                assertThat(
                        events
                            .list(
                                ns,
                                ListOptions.none()
                                    .withFieldSelector("involvedObject.name=" + object))
                            .block(T)
                            .items())
                    .as("events of " + object)
                    .anySatisfy(
                        e -> {
                          assertThat(e.getReason()).isEqualTo(reason);
                          assertThat(e.getMessage()).isEqualTo(message);
                          assertThat(e.getSource().getComponent())
                              .isEqualTo("persistentvolume-controller");
                        }));
  }

  private static void storageClass(String name, String bindingMode) {
    apply(
        null,
        """
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: %s}
        provisioner: nauta.io/local-volume
        reclaimPolicy: Delete
        volumeBindingMode: %s
        """
            .formatted(name, bindingMode));
  }

  /** The claim carries nauta.io/local-volume in both annotations and upstream's event says so. */
  private static void awaitHandedToProvisioner(String ns, String name) {
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .untilAsserted(
            () ->
                assertThat(claim(ns, name).getMetadata().getAnnotations())
                    .containsEntry(
                        "volume.kubernetes.io/storage-provisioner", "nauta.io/local-volume")
                    .containsEntry(
                        "volume.beta.kubernetes.io/storage-provisioner", "nauta.io/local-volume"));
    awaitEvent(
        ns,
        name,
        "ExternalProvisioning",
        "Waiting for a volume to be created either by the external provisioner"
            + " 'nauta.io/local-volume' or manually by the system administrator. If volume"
            + " creation is delayed, please verify that the provisioner is running and correctly"
            + " registered.");
  }

  private static boolean gone(String ns, String name) {
    try {
      claim(ns, name);
      return false;
    } catch (NotFoundException e) {
      return true;
    }
  }

  private static boolean volumeGone(String name) {
    try {
      volume(name);
      return false;
    } catch (NotFoundException e) {
      return true;
    }
  }

  @Test
  void bindsStaticVolumesByClassCapacityAccessModesAndSelector() {
    ok("create", "namespace", "pv-static");
    apply(
        null,
        pv("static-1g", "1Gi", "it-static", "accessModes: [ReadWriteOnce]")
            + pv("static-5g", "5Gi", "it-static", "accessModes: [ReadWriteOnce]")
            + pv("static-slow", "1Gi", "it-static-slow", "accessModes: [ReadWriteOnce]")
            + pv("static-rwx", "2Gi", "it-static", "accessModes: [ReadWriteMany]")
            + pv("static-gold", "3Gi", "it-static", "accessModes: [ReadWriteOnce]")
                .replace("name: static-gold", "name: static-gold\n  labels: {tier: gold}"));
    apply(
        "pv-static",
        pvc("small", "1Gi", "it-static", "accessModes: [ReadWriteOnce]")
            + pvc(
                "gold",
                "1Gi",
                "it-static",
                "accessModes: [ReadWriteOnce]\nselector: {matchLabels: {tier: gold}}")
            + pvc("shared", "1Gi", "it-static", "accessModes: [ReadWriteMany]")
            + pvc("nothing", "1Gi", "", "accessModes: [ReadWriteOnce]"));

    PersistentVolumeClaim small = awaitBound("pv-static", "small", "static-1g");
    assertThat(small.getMetadata().getAnnotations())
        .containsEntry("pv.kubernetes.io/bound-by-controller", "yes");
    assertThat(volume("static-1g").getMetadata().getAnnotations())
        .containsEntry("pv.kubernetes.io/bound-by-controller", "yes");
    awaitBound("pv-static", "gold", "static-gold");
    awaitBound("pv-static", "shared", "static-rwx");
    assertThat(phase(volume("static-5g"))).isEqualTo("Available");
    assertThat(phase(volume("static-slow"))).isEqualTo("Available");

    awaitEvent(
        "pv-static",
        "nothing",
        "FailedBinding",
        "no persistent volumes available for this claim and no storage class is set");
    assertThat(phase(claim("pv-static", "nothing"))).isEqualTo("Pending");
    assertThat(
            ok("-n", "pv-static", "get", "pvc", "small", "-o", "jsonpath={.spec.volumeName}")
                .stdout())
        .isEqualTo("static-1g");
  }

  @Test
  void bindsVolumesPreBoundByVolumeNameAndByClaimRef() {
    ok("create", "namespace", "pv-pre");
    apply(
        null,
        pv("pre-small", "1Gi", "it-pre", "accessModes: [ReadWriteOnce]")
            + pv("pre-named", "10Gi", "it-pre", "accessModes: [ReadWriteOnce]")
            + pv(
                "pre-reserved",
                "8Gi",
                "it-pre",
                "accessModes: [ReadWriteOnce]\nclaimRef: {namespace: pv-pre, name: reserved}"));
    apply(
        "pv-pre",
        pvc("named", "1Gi", "it-pre", "accessModes: [ReadWriteOnce]\nvolumeName: pre-named")
            + pvc("reserved", "1Gi", "it-pre", "accessModes: [ReadWriteOnce]"));

    PersistentVolumeClaim named = awaitBound("pv-pre", "named", "pre-named");
    // The user chose the volume: the claim is not marked as bound by the controller, the volume is.
    assertThat(named.getMetadata().getAnnotations())
        .doesNotContainKey("pv.kubernetes.io/bound-by-controller");
    assertThat(volume("pre-named").getMetadata().getAnnotations())
        .containsEntry("pv.kubernetes.io/bound-by-controller", "yes");

    PersistentVolumeClaim reserved = awaitBound("pv-pre", "reserved", "pre-reserved");
    assertThat(reserved.getMetadata().getAnnotations())
        .containsEntry("pv.kubernetes.io/bound-by-controller", "yes");
    assertThat(volume("pre-reserved").getMetadata().getAnnotations())
        .doesNotContainKey("pv.kubernetes.io/bound-by-controller");
    assertThat(phase(volume("pre-small"))).isEqualTo("Available");
  }

  @Test
  void releasesVolumesOfDeletedClaimsByTheirReclaimPolicy() {
    ok("create", "namespace", "pv-release");
    apply(
        null,
        pv(
                "rel-retain",
                "1Gi",
                "it-rel-retain",
                "accessModes: [ReadWriteOnce]\npersistentVolumeReclaimPolicy: Retain")
            + pv(
                "rel-delete",
                "1Gi",
                "it-rel-delete",
                "accessModes: [ReadWriteOnce]\npersistentVolumeReclaimPolicy: Delete")
            + pv(
                    "rel-provisioned",
                    "1Gi",
                    "it-rel-prov",
                    "accessModes: [ReadWriteOnce]\npersistentVolumeReclaimPolicy: Delete")
                .replace(
                    "name: rel-provisioned",
                    "name: rel-provisioned\n  annotations:"
                        + " {pv.kubernetes.io/provisioned-by: nauta.io/local-volume}"));
    apply(
        "pv-release",
        pvc("retain", "1Gi", "it-rel-retain", "accessModes: [ReadWriteOnce]")
            + pvc("delete", "1Gi", "it-rel-delete", "accessModes: [ReadWriteOnce]")
            + pvc("provisioned", "1Gi", "it-rel-prov", "accessModes: [ReadWriteOnce]"));
    String retainUid = awaitBound("pv-release", "retain", "rel-retain").getMetadata().getUid();
    awaitBound("pv-release", "delete", "rel-delete");
    awaitBound("pv-release", "provisioned", "rel-provisioned");

    ok("-n", "pv-release", "delete", "pvc", "retain", "delete", "provisioned");
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              assertThat(phase(volume("rel-retain"))).isEqualTo("Released");
              assertThat(phase(volume("rel-delete"))).isEqualTo("Failed");
              assertThat(phase(volume("rel-provisioned"))).isEqualTo("Released");
            });
    // Retain keeps the claimRef (with the old claim's uid) for the administrator to see.
    assertThat(volume("rel-retain").getSpec().getClaimRef().getUid()).isEqualTo(retainUid);
    awaitEvent(
        null,
        "rel-delete",
        "VolumeFailedDelete",
        "error getting deleter volume plugin for volume \"rel-delete\": no deletable volume plugin"
            + " matched");
    // The provisioner's volume is its to delete: still here, Released, not Failed.
    assertThat(volumeGone("rel-provisioned")).isFalse();
  }

  @Test
  void aBoundClaimWhoseVolumeWasRemovedIsLost() {
    ok("create", "namespace", "pv-lost");
    apply(null, pv("lost-vol", "1Gi", "it-lost", "accessModes: [ReadWriteOnce]"));
    apply("pv-lost", pvc("data", "1Gi", "it-lost", "accessModes: [ReadWriteOnce]"));
    awaitBound("pv-lost", "data", "lost-vol");
    // pv-protection holds a Bound volume: only taking its finalizer away by hand removes it.
    ok("delete", "pv", "lost-vol", "--wait=false");
    ok("patch", "pv", "lost-vol", "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}");
    await().atMost(WAIT).pollInterval(POLL).until(() -> volumeGone("lost-vol"));
    awaitEvent(
        "pv-lost",
        "data",
        "ClaimLost",
        "Bound claim has lost its PersistentVolume. Data on the volume is lost!");
    assertThat(phase(claim("pv-lost", "data"))).isEqualTo("Lost");
    assertThat(claim("pv-lost", "data").getStatus().getCapacity()).isNullOrEmpty();
  }

  @Test
  void aClaimInUseAndItsBoundVolumeStayTerminatingUntilThePodGoes() {
    ok("create", "namespace", "pv-use");
    apply(null, pv("use-vol", "1Gi", "it-use", "accessModes: [ReadWriteOnce]"));
    apply("pv-use", pvc("data", "1Gi", "it-use", "accessModes: [ReadWriteOnce]"));
    awaitBound("pv-use", "data", "use-vol");
    apply(
        "pv-use",
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: user}
        spec:
          containers: [{name: main, image: nauta/busybox:local}]
          volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
        """);
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .until(
            () ->
                "Running"
                    .equals(
                        ok("-n", "pv-use", "get", "pod", "user", "-o", "jsonpath={.status.phase}")
                            .stdout()));

    ok("-n", "pv-use", "delete", "pvc", "data", "--wait=false");
    ok("delete", "pv", "use-vol", "--wait=false");
    // Both stay, marked for deletion, while the pod runs (and the protection controllers had
    // time to act on the deletions).
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> !gone("pv-use", "data") && !volumeGone("use-vol"));
    assertThat(
            ok("-n", "pv-use", "get", "pvc", "data", "-o", "jsonpath={.metadata.deletionTimestamp}")
                .stdout())
        .isNotBlank();
    assertThat(claim("pv-use", "data").getMetadata().getFinalizers())
        .containsExactly("kubernetes.io/pvc-protection");
    assertThat(volume("use-vol").getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(phase(volume("use-vol"))).isEqualTo("Bound");

    ok("-n", "pv-use", "delete", "pod", "user", "--wait=false");
    // The claim goes with the pod, then the volume, Released, loses its finalizer and goes too.
    await().atMost(WAIT).pollInterval(POLL).until(() -> gone("pv-use", "data"));
    await().atMost(WAIT).pollInterval(POLL).until(() -> volumeGone("use-vol"));
  }

  @Test
  void waitsForTheFirstConsumerThenHandsTheClaimToItsProvisioner() {
    ok("create", "namespace", "pv-wffc");
    storageClass("it-wffc", "WaitForFirstConsumer");
    // An Available volume of the class: the binder leaves it to the scheduler to choose.
    apply(null, pv("wffc-static", "1Gi", "it-wffc", "accessModes: [ReadWriteOnce]"));
    apply("pv-wffc", pvc("data", "1Gi", "it-wffc", "accessModes: [ReadWriteOnce]"));
    awaitEvent(
        "pv-wffc",
        "data",
        "WaitForFirstConsumer",
        "waiting for first consumer to be created before binding");
    PersistentVolumeClaim waiting = claim("pv-wffc", "data");
    assertThat(phase(waiting)).isEqualTo("Pending");
    assertThat(waiting.getSpec().getVolumeName()).isNull();
    assertThat(waiting.getMetadata().getAnnotations())
        .doesNotContainKey("volume.kubernetes.io/storage-provisioner");
    assertThat(phase(volume("wffc-static"))).isEqualTo("Available");

    // The scheduler's word: the claim's pod goes to node-0; provisioning may start.
    ok("-n", "pv-wffc", "annotate", "pvc", "data", "volume.kubernetes.io/selected-node=node-0");
    awaitHandedToProvisioner("pv-wffc", "data");
    assertThat(phase(claim("pv-wffc", "data"))).isEqualTo("Pending");

    // The provisioner's part, by hand: a volume pre-bound to the claim with its uid.
    String uid = claim("pv-wffc", "data").getMetadata().getUid();
    apply(
        null,
        pv(
                "pvc-" + uid,
                "1Gi",
                "it-wffc",
                "accessModes: [ReadWriteOnce]\npersistentVolumeReclaimPolicy: Delete\n"
                    + "claimRef: {namespace: pv-wffc, name: data, uid: "
                    + uid
                    + "}")
            .replace(
                "name: pvc-" + uid,
                "name: pvc-"
                    + uid
                    + "\n  annotations: {pv.kubernetes.io/provisioned-by: nauta.io/local-volume}"));
    awaitBound("pv-wffc", "data", "pvc-" + uid);
    assertThat(phase(volume("wffc-static"))).isEqualTo("Available");
  }

  @Test
  void annotatesClaimsOfAProvisionersClassWhenNoVolumeMatches() {
    ok("create", "namespace", "pv-prov");
    storageClass("it-prov", "Immediate");
    apply("pv-prov", pvc("data", "1Gi", "it-prov", "accessModes: [ReadWriteOnce]"));
    awaitHandedToProvisioner("pv-prov", "data");
    assertThat(claim("pv-prov", "data").getSpec().getVolumeName()).isNull();
  }
}
