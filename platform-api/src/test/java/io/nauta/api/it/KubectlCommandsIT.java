package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.nauta.api.support.TestApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * The everyday kubectl commands against Nauta, with the real kubectl binary on PATH and no flags:
 * discovery, apply (twice, removing fields), get in every output, describe, edit, patch, label,
 * annotate, scale, explain and delete; then server-side apply with kubectl 1.33 ({@link
 * ServerSideApply}), on the same server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlCommandsIT {

  private static TestApiServer server;
  private static Kubectl kubectl;

  @TempDir static Path dir;

  private static final String APP_V1 =
      """
      apiVersion: v1
      kind: Namespace
      metadata:
        name: shop
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: shop
        labels:
          app: web
          tier: front
      spec:
        replicas: 2
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            labels:
              app: web
          spec:
            containers:
            - name: httpd
              image: nauta/busybox:local
              command: ["httpd", "-f", "-p", "8080"]
              ports:
              - containerPort: 8080
                name: http
              - containerPort: 9090
                name: metrics
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: web
        namespace: shop
      spec:
        selector:
          app: web
        ports:
        - port: 80
          targetPort: http
      """;

  /** The same manifest with the metrics port and the tier label removed. */
  private static final String APP_V2 =
      APP_V1
          .replace("    tier: front\n", "")
          .replace("        - containerPort: 9090\n          name: metrics\n", "");

  @Test
  @Order(0)
  void theSecondManifestDropsAPortAndALabel() {
    assertThat(APP_V2).doesNotContain("9090", "tier").isNotEqualTo(APP_V1);
  }

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
    kubectl = new Kubectl(server.kubeconfig(dir));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Kubectl.Result ok(String... args) {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r).isZero();
    return r;
  }

  @Test
  @Order(1)
  void discoveryCommandsListWhatIsServed() {
    assertThat(ok("api-versions").stdout()).contains("v1", "apps/v1", "coordination.k8s.io/v1");
    String resources = ok("api-resources").stdout();
    assertThat(resources).containsPattern("pods\\s+po\\s+v1\\s+true\\s+Pod");
    assertThat(resources).containsPattern("deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment");
    assertThat(resources).containsPattern("namespaces\\s+ns\\s+v1\\s+false\\s+Namespace");
  }

  @Test
  @Order(2)
  void applyCreatesThenReappliesAsAThreeWayPatch() throws Exception {
    Path v1 = dir.resolve("app-v1.yaml");
    Files.writeString(v1, APP_V1);
    String first = ok("apply", "-f", v1.toString()).stdout();
    assertThat(first)
        .contains("namespace/shop created", "deployment.apps/web created", "service/web created");

    Path v2 = dir.resolve("app-v2.yaml");
    Files.writeString(v2, APP_V2);
    String second = ok("apply", "-f", v2.toString()).stdout();
    assertThat(second).contains("namespace/shop unchanged", "deployment.apps/web configured");

    JsonNode deployment =
        ApiCalls.JSON.readTree(ok("-n", "shop", "get", "deployment", "web", "-o", "json").stdout());
    assertThat(deployment.at("/metadata/labels").has("tier")).isFalse();
    JsonNode ports = deployment.at("/spec/template/spec/containers/0/ports");
    assertThat(ports).hasSize(1);
    assertThat(ports.get(0).path("containerPort").asInt()).isEqualTo(8080);
    assertThat(
            deployment
                .at("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration")
                .asString())
        .doesNotContain("9090");
  }

  @Test
  @Order(3)
  void createWithoutFlagsValidatesOnTheServer() throws Exception {
    Path pod = dir.resolve("pod.yaml");
    Files.writeString(
        pod,
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: solo
          namespace: shop
          labels:
            app: solo
        spec:
          containers:
          - name: c
            image: nauta/busybox:local
        """);
    assertThat(ok("create", "-f", pod.toString()).stdout()).contains("pod/solo created");

    Path bad = dir.resolve("bad.yaml");
    Files.writeString(
        bad,
        Files.readString(pod)
            .replace("name: solo", "name: bad")
            .replace("    image:", "    imagex:"));
    Kubectl.Result refused = kubectl.run("create", "-f", bad.toString());
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("unknown field \"spec.containers[0].imagex\"");
  }

  @Test
  @Order(4)
  void getPrintsKubernetesColumnsInEveryOutput() {
    String pods = ok("-n", "shop", "get", "pods").stdout();
    assertThat(pods).containsPattern("NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE");
    assertThat(pods).containsPattern("solo\\s+0/1\\s+Pending\\s+0\\s+\\d+s");

    assertThat(ok("-n", "shop", "get", "pods", "-o", "wide").stdout())
        .containsPattern("NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE\\s+IP\\s+NODE");
    assertThat(ok("-n", "shop", "get", "deploy").stdout())
        .containsPattern("NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE")
        .containsPattern("web\\s+0/2\\s+0\\s+0");
    assertThat(ok("-n", "shop", "get", "svc").stdout())
        .containsPattern("NAME\\s+TYPE\\s+CLUSTER-IP\\s+EXTERNAL-IP\\s+PORT\\(S\\)\\s+AGE");
    assertThat(ok("get", "ns").stdout()).containsPattern("shop\\s+Active");

    assertThat(ok("-n", "shop", "get", "pods", "-o", "name").stdout().trim()).isEqualTo("pod/solo");
    assertThat(ok("-n", "shop", "get", "pods", "-o", "jsonpath={.items[*].metadata.name}").stdout())
        .isEqualTo("solo");
    assertThat(ok("-n", "shop", "get", "pods", "-o", "yaml").stdout())
        .contains("kind: List", "name: solo");
    assertThat(ok("-n", "shop", "get", "pods", "-l", "app=solo", "-o", "name").stdout())
        .contains("pod/solo");
    assertThat(ok("-n", "shop", "get", "pods", "-l", "app=nothing").stderr())
        .contains("No resources found");
    assertThat(
            ok("-n", "shop", "get", "pods", "--field-selector", "metadata.name=solo", "-o", "name")
                .stdout())
        .contains("pod/solo");
    assertThat(ok("get", "pods", "-A").stdout())
        .containsPattern("NAMESPACE\\s+NAME\\s+READY")
        .contains("shop");
    assertThat(ok("-n", "shop", "get", "pods", "--show-labels").stdout())
        .contains("LABELS", "app=solo");
    assertThat(ok("-n", "shop", "get", "pods", "-L", "app").stdout())
        .containsPattern("APP\\s*\\n.*solo");
  }

  @Test
  @Order(5)
  void describeShowsTheObjectAndItsEvents() {
    String uid = ok("-n", "shop", "get", "pod", "solo", "-o", "jsonpath={.metadata.uid}").stdout();
    String event =
        "{\"metadata\":{\"name\":\"solo.1\",\"namespace\":\"shop\"},\"involvedObject\":{\"kind\":\"Pod\","
            + "\"name\":\"solo\",\"namespace\":\"shop\",\"apiVersion\":\"v1\",\"uid\":\""
            + uid
            + "\"},\"reason\":\"Tested\","
            + "\"message\":\"described by a test\",\"type\":\"Normal\",\"source\":{\"component\":\"test\"}}";
    assertThat(new ApiCalls(server).post("/api/v1/namespaces/shop/events", event).status())
        .isEqualTo(201);
    String out = ok("-n", "shop", "describe", "pod", "solo").stdout();
    assertThat(out)
        .contains(
            "Name:", "solo", "Namespace:", "shop", "Events:", "Tested", "described by a test");
  }

  @Test
  @Order(6)
  void editPatchLabelAnnotateAndScaleChangeTheObject() throws Exception {
    Path editor = dir.resolve("editor.sh");
    Files.writeString(
        editor,
        "#!/bin/sh\nsed -i 's/image: nauta\\/busybox:local/image: nauta\\/busybox:edited/' \"$1\"\n");
    Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder edit =
        new ProcessBuilder(
            "kubectl",
            "--kubeconfig=" + server.kubeconfig(dir),
            "-n",
            "shop",
            "edit",
            "pod",
            "solo");
    edit.environment().put("EDITOR", editor.toString());
    edit.environment().put("KUBECACHEDIR", dir.resolve("cache").toString());
    Process editing = edit.redirectErrorStream(true).start();
    String editOut = new String(editing.getInputStream().readAllBytes());
    assertThat(editing.waitFor()).as(editOut).isZero();
    assertThat(editOut).contains("pod/solo edited");
    assertThat(
            ok("-n", "shop", "get", "pod", "solo", "-o", "jsonpath={.spec.containers[0].image}")
                .stdout())
        .isEqualTo("nauta/busybox:edited");

    ok(
        "-n",
        "shop",
        "patch",
        "pod",
        "solo",
        "--type=merge",
        "-p",
        "{\"metadata\":{\"labels\":{\"m\":\"1\"}}}");
    ok(
        "-n",
        "shop",
        "patch",
        "pod",
        "solo",
        "--type=json",
        "-p",
        "[{\"op\":\"add\",\"path\":\"/metadata/labels/j\",\"value\":\"2\"}]");
    ok("-n", "shop", "patch", "pod", "solo", "-p", "{\"metadata\":{\"labels\":{\"s\":\"3\"}}}");
    ok("-n", "shop", "label", "pod", "solo", "l=4");
    ok("-n", "shop", "annotate", "pod", "solo", "note=hello");
    JsonNode pod =
        ApiCalls.JSON.readTree(ok("-n", "shop", "get", "pod", "solo", "-o", "json").stdout());
    assertThat(pod.at("/metadata/labels").toString())
        .contains("\"m\":\"1\"", "\"j\":\"2\"", "\"s\":\"3\"", "\"l\":\"4\"");
    assertThat(pod.at("/metadata/annotations/note").asString()).isEqualTo("hello");

    assertThat(ok("-n", "shop", "scale", "deployment", "web", "--replicas=3").stdout())
        .contains("deployment.apps/web scaled");
    assertThat(ok("-n", "shop", "get", "deploy", "web", "-o", "jsonpath={.spec.replicas}").stdout())
        .isEqualTo("3");
  }

  @Test
  @Order(7)
  void explainReadsTheOpenApiDocument() {
    String out = ok("explain", "pods.spec.containers.ports").stdout();
    assertThat(out).contains("KIND:", "Pod", "containerPort");
  }

  @Test
  @Order(8)
  void serverSideApplyTakesOverFromClientSideApply() throws Exception {
    // The manifest kubectl applied client-side: its last-applied annotation lets kubectl's
    // server-side apply take the fields over without conflicts, as against Kubernetes.
    Path v2 = dir.resolve("app-v2.yaml");
    Kubectl.Result r = kubectl.run("apply", "--server-side", "-f", v2.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("deployment.apps/web serverside-applied");
    JsonNode deployment =
        ApiCalls.JSON.readTree(
            ok("-n", "shop", "get", "deployment", "web", "-o", "json", "--show-managed-fields")
                .stdout());
    assertThat(deployment.at("/metadata/managedFields").toString())
        .contains("\"manager\":\"kubectl\",\"operation\":\"Apply\"");
  }

  @Test
  @Order(9)
  void deleteWaitsForTheObjectToGo() {
    assertThat(ok("-n", "shop", "delete", "pod", "solo").stdout()).contains("pod \"solo\" deleted");
    assertThat(kubectl.run("-n", "shop", "get", "pod", "solo").stderr()).contains("NotFound");
    assertThat(
            ok(
                    "-n",
                    "shop",
                    "delete",
                    "-f",
                    dir.resolve("app-v2.yaml").toString(),
                    "--ignore-not-found")
                .stdout())
        .contains("deployment.apps \"web\" deleted");
  }

  /**
   * Server-side apply with real kubectl 1.33 on this class's server (TLS and RBAC on): two managers
   * on different fields of one Deployment, a third refused with 409 naming field and manager, then
   * forcing; a field dropped from a manifest removed; managedFields shown; a custom resource's
   * list-map owned item by item; fabric8's {@code serverSideApply()}; the 4xx of bad requests.
   */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class ServerSideApply {

    private static Kubectl kubectl133;

    private static final String ALICE =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: ssa
          annotations:
            note: first
        spec:
          replicas: 2
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
              - name: httpd
                image: nauta/busybox:local
        """;

    private static final String BOB =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: ssa
          labels:
            team: bob
        spec:
          minReadySeconds: 3
        """;

    private static final String CAROL =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: ssa
        spec:
          replicas: 5
        """;

    private static final String WIDGETS =
        """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: racks.example.com
        spec:
          group: example.com
          scope: Namespaced
          names: {plural: racks, singular: rack, kind: Rack}
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      slots:
                        type: array
                        x-kubernetes-list-type: map
                        x-kubernetes-list-map-keys: [name]
                        items:
                          type: object
                          required: [name]
                          properties:
                            name: {type: string}
                            size: {type: integer}
        """;

    @BeforeAll
    void createNamespace() {
      kubectl133 = new Kubectl(server.kubeconfig(dir), Kubectl.versioned("1.33").toString());
      ok133("create", "namespace", "ssa");
    }

    private static Kubectl.Result ok133(String... args) {
      Kubectl.Result r = kubectl133.run(args);
      assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r).isZero();
      return r;
    }

    private static Kubectl.Result applyAs(String manager, String manifest, String... more)
        throws Exception {
      Path f = Files.createTempFile(dir, manager, ".yaml");
      Files.writeString(f, manifest);
      String[] args = new String[5 + more.length];
      args[0] = "apply";
      args[1] = "--server-side";
      args[2] = "--field-manager=" + manager;
      args[3] = "-f";
      args[4] = f.toString();
      System.arraycopy(more, 0, args, 5, more.length);
      return kubectl133.run(args);
    }

    private static JsonNode deployment() {
      return ApiCalls.JSON.readTree(
          ok133("-n", "ssa", "get", "deployment", "web", "-o", "json", "--show-managed-fields")
              .stdout());
    }

    private static JsonNode entryOf(JsonNode obj, String manager) {
      for (JsonNode e : obj.at("/metadata/managedFields")) {
        if (e.path("manager").asString().equals(manager)) {
          return e;
        }
      }
      return null;
    }

    @Test
    @Order(1)
    void twoManagersOnDifferentFieldsCoexist() throws Exception {
      assertThat(applyAs("alice", ALICE).exitCode()).isZero();
      Kubectl.Result bob = applyAs("bob", BOB);
      assertThat(bob.exitCode()).as(bob.toString()).isZero();
      assertThat(bob.stdout()).contains("deployment.apps/web serverside-applied");
      JsonNode d = deployment();
      assertThat(d.at("/spec/replicas").asInt()).isEqualTo(2);
      assertThat(d.at("/spec/minReadySeconds").asInt()).isEqualTo(3);
      assertThat(d.at("/metadata/labels/team").asString()).isEqualTo("bob");
      JsonNode alice = entryOf(d, "alice");
      assertThat(alice.path("operation").asString()).isEqualTo("Apply");
      assertThat(alice.path("fieldsType").asString()).isEqualTo("FieldsV1");
      assertThat(alice.at("/fieldsV1/f:spec/f:replicas").isObject()).isTrue();
      assertThat(entryOf(d, "bob").at("/fieldsV1/f:spec/f:minReadySeconds").isObject()).isTrue();
      assertThat(entryOf(d, "bob").at("/fieldsV1/f:spec").has("f:replicas")).isFalse();
    }

    @Test
    @Order(2)
    void aThirdManagerChangingAnOwnedFieldConflictsUntilItForces() throws Exception {
      Kubectl.Result refused = applyAs("carol", CAROL);
      assertThat(refused.exitCode()).isNotZero();
      assertThat(refused.stderr())
          .contains("Apply failed with 1 conflict: conflict with \"alice\": .spec.replicas");
      assertThat(deployment().at("/spec/replicas").asInt()).isEqualTo(2);

      Kubectl.Result forced = applyAs("carol", CAROL, "--force-conflicts");
      assertThat(forced.exitCode()).as(forced.toString()).isZero();
      JsonNode d = deployment();
      assertThat(d.at("/spec/replicas").asInt()).isEqualTo(5);
      assertThat(entryOf(d, "alice").at("/fieldsV1/f:spec").has("f:replicas")).isFalse();
      assertThat(entryOf(d, "carol").at("/fieldsV1/f:spec/f:replicas").isObject()).isTrue();
    }

    @Test
    @Order(3)
    void aFieldDroppedFromTheManifestIsRemovedAndManagedFieldsShow() throws Exception {
      String withoutNote =
          ALICE.replace("  annotations:\n    note: first\n", "").replace("  replicas: 2\n", "");
      assertThat(withoutNote).doesNotContain("note", "replicas");
      Kubectl.Result r = applyAs("alice", withoutNote);
      assertThat(r.exitCode()).as(r.toString()).isZero();
      JsonNode d = deployment();
      assertThat(d.at("/metadata/annotations").has("note")).isFalse();
      assertThat(d.at("/spec/replicas").asInt()).isEqualTo(5);

      String yaml =
          ok133("-n", "ssa", "get", "deployment", "web", "--show-managed-fields", "-o", "yaml")
              .stdout();
      assertThat(yaml)
          .contains(
              "managedFields:",
              "manager: alice",
              "manager: carol",
              "operation: Apply",
              "fieldsType: FieldsV1",
              "f:replicas: {}");
      // Without the flag kubectl hides them, as against Kubernetes.
      assertThat(ok133("-n", "ssa", "get", "deployment", "web", "-o", "yaml").stdout())
          .doesNotContain("managedFields");
    }

    @Test
    @Order(4)
    void aCustomResourcesListMapIsOwnedItemByItem() throws Exception {
      Path crd = dir.resolve("crd.yaml");
      Files.writeString(crd, WIDGETS);
      ok133("apply", "--server-side", "-f", crd.toString());
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .pollInterval(java.time.Duration.ofMillis(100))
          .until(() -> kubectl133.run("-n", "ssa", "get", "racks").exitCode() == 0);
      String rack =
          "apiVersion: example.com/v1\nkind: Rack\nmetadata: {name: r1, namespace: ssa}\n";
      Kubectl.Result a = applyAs("a", rack + "spec: {slots: [{name: left, size: 1}]}\n");
      assertThat(a.exitCode()).as(a.toString()).isZero();
      Kubectl.Result b = applyAs("b", rack + "spec: {slots: [{name: right, size: 2}]}\n");
      assertThat(b.exitCode()).as(b.toString()).isZero();
      JsonNode r =
          ApiCalls.JSON.readTree(ok133("-n", "ssa", "get", "rack", "r1", "-o", "json").stdout());
      assertThat(r.at("/spec/slots")).hasSize(2);
      Kubectl.Result conflict = applyAs("b", rack + "spec: {slots: [{name: left, size: 9}]}\n");
      assertThat(conflict.stderr())
          .contains("conflict with \"a\": .spec.slots[name=\"left\"].size");
      assertThat(applyAs("a", rack + "spec: {slots: []}\n").exitCode()).isZero();
      r = ApiCalls.JSON.readTree(ok133("-n", "ssa", "get", "rack", "r1", "-o", "json").stdout());
      assertThat(r.at("/spec/slots")).hasSize(1);
      assertThat(r.at("/spec/slots/0/name").asString()).isEqualTo("right");
    }

    @Test
    @Order(5)
    void fabric8ServerSideApplyCreatesThenConflicts() {
      Config config =
          new ConfigBuilder(Config.fromKubeconfig(server.kubeconfig().toFile()))
              .withNamespace("ssa")
              .withRequestRetryBackoffLimit(0)
              .build();
      try (KubernetesClient client =
          new KubernetesClientBuilder()
              .withConfig(config)
              .withHttpClientFactory(new JdkHttpClientFactory())
              .build()) {
        ConfigMap cm =
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .endMetadata()
                .addToData("mode", "fast")
                .build();
        ConfigMap created = client.resource(cm).fieldManager("operator").serverSideApply();
        assertThat(created.getData()).containsEntry("mode", "fast");
        assertThat(created.getMetadata().getManagedFields())
            .singleElement()
            .satisfies(
                e -> {
                  assertThat(e.getManager()).isEqualTo("operator");
                  assertThat(e.getOperation()).isEqualTo("Apply");
                });
        cm.getData().put("mode", "slow");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> client.resource(cm).fieldManager("intruder").serverSideApply())
            .isInstanceOfSatisfying(
                KubernetesClientException.class,
                e -> {
                  assertThat(e.getCode()).isEqualTo(409);
                  assertThat(e.getStatus().getDetails().getCauses().get(0).getReason())
                      .isEqualTo("FieldManagerConflict");
                  assertThat(e.getStatus().getDetails().getCauses().get(0).getField())
                      .isEqualTo(".data.mode");
                });
        ConfigMap forced =
            client.resource(cm).fieldManager("intruder").forceConflicts().serverSideApply();
        assertThat(forced.getData()).containsEntry("mode", "slow");
      }
    }

    /**
     * As upstream's create handler: managedFields are recorded after defaulting and before mutating
     * admission, so the creator owns what defaulting filled and not what admission set (the
     * ServiceAccount plugin's account and token volume, Priority's priority, the default
     * tolerations, the default StorageClass, the PVC protection finalizer).
     */
    @Test
    @Order(7)
    void theCreatorOwnsDefaultsButNotWhatMutatingAdmissionSet() throws Exception {
      Path manifests = Files.createTempFile(dir, "created", ".yaml");
      Files.writeString(
          manifests,
          """
          apiVersion: storage.k8s.io/v1
          kind: StorageClass
          metadata:
            name: ssa-default
            annotations:
              storageclass.kubernetes.io/is-default-class: "true"
          provisioner: example.com/none
          """);
      ok133("create", "-f", manifests.toString());
      try {
        Awaitility.await()
            .atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> kubectl133.run("get", "storageclass", "ssa-default").exitCode() == 0);
        Files.writeString(
            manifests,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: owned
              namespace: ssa
            spec:
              containers:
              - name: c
                image: nauta/busybox:local
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata:
              name: owned
              namespace: ssa
            spec:
              accessModes: [ReadWriteOnce]
              resources:
                requests:
                  storage: 1Gi
            """);
        ok133("create", "-f", manifests.toString());

        JsonNode pod = created("pod");
        assertThat(pod.at("/spec/serviceAccountName").asString()).isEqualTo("default");
        assertThat(pod.at("/spec/priority").isNumber()).isTrue();
        JsonNode podSpec = entryOf(pod, "kubectl-create").at("/fieldsV1/f:spec");
        assertThat(podSpec.has("f:restartPolicy")).as(podSpec.toString()).isTrue();
        assertThat(podSpec.has("f:dnsPolicy")).isTrue();
        assertThat(podSpec.has("f:enableServiceLinks")).isTrue();
        assertThat(podSpec.at("/f:containers/k:{\"name\":\"c\"}").has("f:imagePullPolicy"))
            .isTrue();
        for (String admitted :
            new String[] {
              "f:serviceAccountName",
              "f:serviceAccount",
              "f:priority",
              "f:preemptionPolicy",
              "f:tolerations",
              "f:volumes"
            }) {
          assertThat(podSpec.has(admitted)).as(admitted + " in " + podSpec).isFalse();
        }
        assertThat(podSpec.at("/f:containers/k:{\"name\":\"c\"}").has("f:volumeMounts")).isFalse();

        JsonNode claim = created("pvc");
        assertThat(claim.at("/spec/storageClassName").asString()).isEqualTo("ssa-default");
        assertThat(claim.at("/metadata/finalizers").toString()).contains("pvc-protection");
        JsonNode claimFields = entryOf(claim, "kubectl-create").path("fieldsV1");
        assertThat(claimFields.at("/f:spec").has("f:accessModes")).isTrue();
        assertThat(claimFields.at("/f:spec").has("f:volumeMode")).isTrue();
        assertThat(claimFields.at("/f:spec").has("f:storageClassName"))
            .as(claimFields.toString())
            .isFalse();
        assertThat(claimFields.path("f:metadata").has("f:finalizers")).isFalse();
      } finally {
        kubectl133.run("-n", "ssa", "delete", "pod,pvc", "owned", "--wait=false");
        kubectl133.run("delete", "storageclass", "ssa-default");
      }
    }

    private static JsonNode created(String kind) {
      return ApiCalls.JSON.readTree(
          ok133("-n", "ssa", "get", kind, "owned", "-o", "json", "--show-managed-fields").stdout());
    }

    @Test
    @Order(6)
    void badApplyRequestsAre400sAndChangeNothing() {
      String path = "/apis/apps/v1/namespaces/ssa/deployments/web";
      server
          .client()
          .patch()
          .uri(path)
          .contentType(MediaType.parseMediaType("application/apply-patch+yaml"))
          .bodyValue(CAROL)
          .exchange()
          .expectStatus()
          .isEqualTo(422)
          .expectBody()
          .jsonPath("$.message")
          .isEqualTo(
              "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required"
                  + " for apply patch")
          .jsonPath("$.details.causes[0].reason")
          .isEqualTo("FieldValueRequired");
      server
          .client()
          .patch()
          .uri(path + "?fieldManager=x")
          .contentType(MediaType.parseMediaType("application/apply-patch+yaml"))
          .bodyValue(CAROL.replace("apps/v1", "apps/v1beta1"))
          .exchange()
          .expectStatus()
          .isBadRequest()
          .expectBody()
          .jsonPath("$.message")
          .isEqualTo(
              "Incorrect version specified in apply patch. Specified patch version: apps/v1beta1,"
                  + " expected: apps/v1");
      server
          .client()
          .patch()
          .uri(path + "?fieldManager=x")
          .contentType(MediaType.parseMediaType("application/apply-patch+yaml"))
          .bodyValue(CAROL.replace("name: web", "name: other"))
          .exchange()
          .expectStatus()
          .isBadRequest()
          .expectBody()
          .jsonPath("$.message")
          .isEqualTo("the name of the object (other) does not match the name on the URL (web)");
      // An item named twice in a list-map: upstream's 500 from its typed conversion, nothing
      // written.
      String before = deployment().at("/metadata/resourceVersion").asString();
      server
          .client()
          .patch()
          .uri(path + "?fieldManager=x")
          .contentType(MediaType.parseMediaType("application/apply-patch+yaml"))
          .bodyValue(
              "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"},"
                  + "\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"x\"},"
                  + "{\"name\":\"x\"}]}}}}")
          .exchange()
          .expectStatus()
          .isEqualTo(500)
          .expectBody()
          .jsonPath("$.message")
          .isEqualTo(
              "failed to create typed patch object (/web; apps/v1, Kind=Deployment):"
                  + " .spec.template.spec.containers: duplicate entries for key [name=\"x\"]");
      assertThat(deployment().at("/metadata/resourceVersion").asString()).isEqualTo(before);
      // A create naming an unprintable manager: 422 on CreateOptions, nothing created.
      server
          .client()
          .post()
          .uri(
              b ->
                  b.path("/api/v1/namespaces/ssa/configmaps")
                      .queryParam("fieldManager", "a\u0007b")
                      .build())
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue(
              "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"fm\"}}")
          .exchange()
          .expectStatus()
          .isEqualTo(422)
          .expectBody()
          .jsonPath("$.message")
          .isEqualTo(
              "CreateOptions.meta.k8s.io \"\" is invalid: fieldManager: Invalid value: \"a\u0007b\":"
                  + " invalid character U+0007 (at position 1)");
      server
          .client()
          .get()
          .uri("/api/v1/namespaces/ssa/configmaps/fm")
          .exchange()
          .expectStatus()
          .isNotFound();
      // The status subresource: its own Apply entry, owning status only.
      server
          .client()
          .patch()
          .uri(path + "/status?fieldManager=statusbot")
          .contentType(MediaType.parseMediaType("application/apply-patch+yaml"))
          .bodyValue(
              "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"},"
                  + "\"status\":{\"observedGeneration\":42}}")
          .exchange()
          .expectStatus()
          .isOk();
      JsonNode bot = entryOf(deployment(), "statusbot");
      assertThat(bot.path("subresource").asString()).isEqualTo("status");
      assertThat(bot.path("fieldsV1").toString())
          .isEqualTo("{\"f:status\":{\"f:observedGeneration\":{}}}");
      // Apply to the scale subresource is not served (Kubernetes serves it): a clear 415.
      server
          .client()
          .patch()
          .uri(path + "/scale?fieldManager=x")
          .contentType(MediaType.parseMediaType("application/apply-patch+yaml"))
          .bodyValue(
              "{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"Scale\",\"spec\":{\"replicas\":1}}")
          .exchange()
          .expectStatus()
          .isEqualTo(415);
      // A dry run of a forced apply answers the result and stores nothing.
      server
          .client()
          .patch()
          .uri(path + "?fieldManager=x&force=true&dryRun=All")
          .contentType(MediaType.parseMediaType("application/apply-patch+yaml"))
          .bodyValue(CAROL.replace("replicas: 5", "replicas: 7"))
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.spec.replicas")
          .isEqualTo(7);
      assertThat(deployment().at("/spec/replicas").asInt()).isEqualTo(5);
      // Clearing managedFields with one empty entry (or an empty list), as Kubernetes allows for
      // non-apply writes.
      ok133(
          "-n",
          "ssa",
          "patch",
          "deployment",
          "web",
          "--type=merge",
          "-p",
          "{\"metadata\":{\"managedFields\":[{}]}}");
      assertThat(deployment().at("/metadata").has("managedFields")).isFalse();
    }
  }
}
