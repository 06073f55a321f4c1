package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.lifecycle.DefaultStorageClass;
import io.nauta.api.support.TestApiServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * v1 PersistentVolumes and PersistentVolumeClaims and storage.k8s.io/v1 StorageClasses with the
 * real kubectl: the default class {@code nauta-local}, upstream's defaults, columns, admission
 * (default class, protection finalizers, resize) and validation messages; bad input refused with
 * nothing stored.
 */
class StorageApiIT {

  private static TestApiServer server;
  private static Kubectl kubectl;

  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
    kubectl = new Kubectl(server.kubeconfig(dir));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Kubectl.Result create(String yaml) {
    return kubectl.runWithInput(yaml, "create", "-f", "-");
  }

  private static Kubectl.Result patch(String resource, String name, String mergePatch) {
    return kubectl.run("patch", resource, name, "--type=merge", "-p", mergePatch);
  }

  private static Kubectl.Result patchStatus(String resource, String name, String mergePatch) {
    return kubectl.run(
        "patch", resource, name, "--subresource=status", "--type=merge", "-p", mergePatch);
  }

  private static String get(String... args) {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r.stdout();
  }

  private static String hostPathVolume(String name, String extra) {
    return """
        apiVersion: v1
        kind: PersistentVolume
        metadata:
          name: %s
        spec:
          capacity:
            storage: 1Gi
          accessModes: [ReadWriteOnce, ReadOnlyMany]
          hostPath:
            path: /tmp/%s
        %s
        """
        .formatted(name, name, extra.indent(2).stripTrailing());
  }

  private static String claim(String name, String extra) {
    return """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: %s
        spec:
          accessModes: [ReadWriteOnce]
          resources:
            requests:
              storage: 1Gi
        %s
        """
        .formatted(name, extra.indent(2).stripTrailing());
  }

  @Test
  void theDefaultClassVolumesAndClaimsAreServedAsKubernetesServesThem() {
    // The class the server made at start, shown as kubectl shows a default class.
    String classes = get("get", "sc");
    assertThat(classes.lines().findFirst().orElseThrow())
        .matches("NAME +PROVISIONER +RECLAIMPOLICY +VOLUMEBINDINGMODE +ALLOWVOLUMEEXPANSION +AGE");
    assertThat(classes)
        .containsPattern(
            "nauta-local \\(default\\) +nauta\\.io/local-volume +Delete +WaitForFirstConsumer"
                + " +false +\\d+s");
    assertThat(get("describe", "sc", "nauta-local"))
        .contains("IsDefaultClass:        Yes", "Provisioner:           nauta.io/local-volume");

    // A hand-made volume: defaults, its protection finalizer, upstream's columns.
    Kubectl.Result pv = create(hostPathVolume("pv-a", ""));
    assertThat(pv.exitCode()).as(pv.toString()).isZero();
    assertThat(
            get(
                "get",
                "pv",
                "pv-a",
                "-o",
                "jsonpath={.spec.persistentVolumeReclaimPolicy} {.spec.volumeMode}"
                    + " {.status.phase} {.metadata.finalizers} {.spec.hostPath.type}|"))
        .isEqualTo("Retain Filesystem Pending [\"kubernetes.io/pv-protection\"] |");
    assertThat(get("get", "pv", "pv-a", "-o", "jsonpath={.status.lastPhaseTransitionTime}"))
        .isNotEmpty();
    String volumes = get("get", "pv");
    assertThat(volumes.lines().findFirst().orElseThrow())
        .matches(
            "NAME +CAPACITY +ACCESS MODES +RECLAIM POLICY +STATUS +CLAIM +STORAGECLASS"
                + " +VOLUMEATTRIBUTESCLASS +REASON +AGE");
    assertThat(volumes).containsPattern("pv-a +1Gi +RWO,ROX +Retain +Pending +<unset> +\\d+s");
    assertThat(get("get", "pv", "-o", "wide").lines().findFirst().orElseThrow())
        .endsWith("AGE   VOLUMEMODE");
    assertThat(get("describe", "pv", "pv-a"))
        .contains("kubernetes.io/pv-protection", "HostPath (bare host directory volume)");

    // A claim without a class gets the default one; "" asks for none and keeps it.
    Kubectl.Result pvc = create(claim("data", ""));
    assertThat(pvc.exitCode()).as(pvc.toString()).isZero();
    assertThat(
            get(
                "get",
                "pvc",
                "data",
                "-o",
                "jsonpath={.spec.storageClassName} {.spec.volumeMode} {.status.phase}"
                    + " {.metadata.finalizers}"))
        .isEqualTo("nauta-local Filesystem Pending [\"kubernetes.io/pvc-protection\"]");
    assertThat(create(claim("classless", "storageClassName: \"\"")).exitCode()).isZero();
    assertThat(get("get", "pvc", "classless", "-o", "jsonpath={.spec.storageClassName}|"))
        .isEqualTo("|");
    String claims = get("get", "pvc");
    assertThat(claims.lines().findFirst().orElseThrow())
        .matches(
            "NAME +STATUS +VOLUME +CAPACITY +ACCESS MODES +STORAGECLASS +VOLUMEATTRIBUTESCLASS"
                + " +AGE");
    assertThat(claims).containsPattern("data +Pending +nauta-local +<unset> +\\d+s");
    assertThat(get("get", "pvc", "-o", "wide"))
        .containsPattern("data +Pending +nauta-local +<unset> +\\d+s +Filesystem");
    assertThat(get("describe", "pvc", "data"))
        .contains("StorageClass:  nauta-local", "Status:        Pending");

    // The status subresource writes only status; the main resource keeps it.
    Kubectl.Result bound =
        patchStatus(
            "pvc",
            "data",
            "{\"spec\":{\"volumeName\":\"sneaked\"},\"status\":{\"phase\":\"Bound\","
                + "\"accessModes\":[\"ReadWriteOnce\"],\"capacity\":{\"storage\":\"1Gi\"}}}");
    assertThat(bound.exitCode()).as(bound.toString()).isZero();
    assertThat(
            patch(
                    "pvc",
                    "data",
                    "{\"metadata\":{\"labels\":{\"a\":\"b\"}},\"status\":{\"phase\":\"Lost\"}}")
                .exitCode())
        .isZero();
    assertThat(get("get", "pvc", "data", "-o", "jsonpath={.spec.volumeName}|{.status.phase}"))
        .isEqualTo("|Bound");

    // The binder sets volumeName once; capacity and access modes are then the volume's.
    assertThat(patch("pvc", "data", "{\"spec\":{\"volumeName\":\"pv-a\"}}").exitCode()).isZero();
    assertThat(get("get", "pvc", "data"))
        .containsPattern("data +Bound +pv-a +1Gi +RWO +nauta-local +<unset> +\\d+s");
    Kubectl.Result rebind = patch("pvc", "data", "{\"spec\":{\"volumeName\":\"pv-b\"}}");
    assertThat(rebind.stderr())
        .contains(
            "The PersistentVolumeClaim \"data\" is invalid: spec: Forbidden: spec is immutable"
                + " after creation except resources.requests and volumeAttributesClassName for"
                + " bound claims");

    // A bigger request needs a class that allows expansion (PersistentVolumeClaimResize).
    Kubectl.Result grow =
        patch("pvc", "data", "{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"2Gi\"}}}}");
    assertThat(grow.exitCode()).isNotZero();
    assertThat(grow.stderr())
        .contains(
            "persistentvolumeclaims \"data\" is forbidden: only dynamically provisioned pvc can be"
                + " resized and the storageclass that provisions the pvc must support resize");
    assertThat(get("get", "pvc", "data", "-o", "jsonpath={.spec.resources.requests.storage}"))
        .isEqualTo("1Gi");
    Kubectl.Result expandable =
        create(
            """
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata:
              name: expandable
            provisioner: example.com/disk
            allowVolumeExpansion: true
            """);
    assertThat(expandable.exitCode()).as(expandable.toString()).isZero();
    assertThat(
            get("get", "sc", "expandable", "-o", "jsonpath={.reclaimPolicy} {.volumeBindingMode}"))
        .isEqualTo("Delete Immediate");
    assertThat(create(claim("grows", "storageClassName: expandable")).exitCode()).isZero();
    Kubectl.Result pendingGrow =
        patch("pvc", "grows", "{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"2Gi\"}}}}");
    assertThat(pendingGrow.stderr()).contains("spec: Forbidden: spec is immutable after creation");
    Kubectl.Result growsBound =
        patchStatus(
            "pvc",
            "grows",
            "{\"status\":{\"phase\":\"Bound\",\"capacity\":{\"storage\":\"1Gi\"}}}");
    assertThat(growsBound.exitCode()).as(growsBound.toString()).isZero();
    Kubectl.Result grown =
        patch("pvc", "grows", "{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"2Gi\"}}}}");
    assertThat(grown.exitCode()).as(grown.toString()).isZero();
    Kubectl.Result shrunk =
        patch("pvc", "grows", "{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"512Mi\"}}}}");
    assertThat(shrunk.stderr())
        .contains(
            "spec.resources.requests.storage: Forbidden: field can not be less than"
                + " status.capacity");

    // What a class and a volume may never change.
    Kubectl.Result provisioner =
        patch(
            "sc",
            "expandable",
            "{\"provisioner\":\"example.com/other\",\"reclaimPolicy\":\"Retain\"}");
    assertThat(provisioner.stderr())
        .contains(
            "The StorageClass \"expandable\" is invalid: ",
            "provisioner: Forbidden: updates to provisioner are forbidden.",
            "reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.");
    Kubectl.Result moved = patch("pv", "pv-a", "{\"spec\":{\"hostPath\":{\"path\":\"/x\"}}}");
    assertThat(moved.stderr())
        .contains(
            "spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable"
                + " after creation");
    assertThat(
            patch("pv", "pv-a", "{\"spec\":{\"persistentVolumeReclaimPolicy\":\"Delete\"}}")
                .exitCode())
        .isZero();

    // A claim being deleted stays, Terminating, while its finalizer holds it.
    assertThat(kubectl.run("delete", "pvc", "classless", "--wait=false").exitCode()).isZero();
    assertThat(get("get", "pvc", "classless")).containsPattern("classless +Terminating");

    // A default class the user deleted is not made again.
    assertThat(kubectl.run("delete", "sc", "nauta-local").exitCode()).isZero();
    server.bean(DefaultStorageClass.class).ensure().block();
    assertThat(kubectl.run("get", "sc", "nauta-local").stderr()).contains("NotFound");
    assertThat(create(claim("after", "")).exitCode()).isZero();
    assertThat(get("get", "pvc", "after", "-o", "jsonpath={.spec.storageClassName}|"))
        .isEqualTo("|");
  }

  @Test
  void badVolumesClaimsAndClassesAreRefusedWithUpstreamsMessagesAndNothingIsStored() {
    assertInvalid(
        "pv",
        "two-sources",
        hostPathVolume("two-sources", "local:\n  path: /mnt/disk"),
        "The PersistentVolume \"two-sources\" is invalid: spec.local: Forbidden: may not specify"
            + " more than 1 volume type");
    assertInvalid(
        "pv",
        "no-affinity",
        """
        apiVersion: v1
        kind: PersistentVolume
        metadata:
          name: no-affinity
        spec:
          accessModes: [ReadWriteOncePod, ReadWriteOnce]
          persistentVolumeReclaimPolicy: Keep
          local:
            path: /mnt/../disk
        """,
        "spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes",
        "spec.capacity: Required value",
        "spec.capacity: Unsupported value: core.ResourceList(nil): supported values: \"storage\"",
        "spec.persistentVolumeReclaimPolicy: Unsupported value: \"Keep\": supported values:"
            + " \"Delete\", \"Recycle\", \"Retain\"",
        "spec.local.path: Invalid value: \"/mnt/../disk\": must not contain '..'",
        "spec.nodeAffinity: Required value: Local volume requires node affinity");
    assertInvalid(
        "pv",
        "no-source",
        """
        apiVersion: v1
        kind: PersistentVolume
        metadata:
          name: no-source
        spec:
          capacity:
            storage: "0"
          accessModes: [ReadWriteSometimes]
        """,
        "spec.accessModes: Unsupported value: \"ReadWriteSometimes\": supported values:"
            + " \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\"",
        "spec.capacity[storage]: Invalid value: \"0\": must be greater than zero",
        "spec: Required value: must specify a volume type");
    assertInvalid(
        "pvc",
        "empty",
        """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: empty
        spec:
          volumeMode: Raw
        """,
        "The PersistentVolumeClaim \"empty\" is invalid: ",
        "spec.accessModes: Required value: at least 1 access mode is required",
        "spec.resources[storage]: Required value",
        "spec.volumeMode: Unsupported value: \"Raw\": supported values: \"Block\","
            + " \"Filesystem\"");
    assertInvalid(
        "sc",
        "nothing",
        """
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata:
          name: nothing
        reclaimPolicy: Recycle
        volumeBindingMode: Later
        """,
        "The StorageClass \"nothing\" is invalid: ",
        "provisioner: Required value",
        "reclaimPolicy: Unsupported value: \"Recycle\": supported values: \"Delete\", \"Retain\"",
        "volumeBindingMode: Unsupported value: \"Later\": supported values: \"Immediate\","
            + " \"WaitForFirstConsumer\"");
  }

  private static void assertInvalid(String resource, String name, String yaml, String... messages) {
    Kubectl.Result r = create(yaml);
    assertThat(r.exitCode()).as(r.toString()).isNotZero();
    assertThat(r.stderr()).contains(messages);
    assertThat(kubectl.run("get", resource, name).stderr()).contains("NotFound");
  }
}
