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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * Server-side apply with real kubectl 1.33 (TLS and RBAC on): two managers on different fields of
 * one Deployment, a third refused with 409 naming field and manager, then forcing; a field dropped
 * from a manifest removed; managedFields shown; a custom resource's list-map owned item by item;
 * fabric8's {@code serverSideApply()}; the 400s of a bad apply request.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerSideApplyIT {

  private static TestApiServer server;
  private static Kubectl kubectl;

  @TempDir static Path dir;

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
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
    kubectl = new Kubectl(server.kubeconfig(dir), Kubectl.versioned("1.33").toString());
    ok("create", "namespace", "ssa");
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
    return kubectl.run(args);
  }

  private static JsonNode deployment() {
    return ApiCalls.JSON.readTree(
        ok("-n", "ssa", "get", "deployment", "web", "-o", "json", "--show-managed-fields")
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
        ok("-n", "ssa", "get", "deployment", "web", "--show-managed-fields", "-o", "yaml").stdout();
    assertThat(yaml)
        .contains(
            "managedFields:",
            "manager: alice",
            "manager: carol",
            "operation: Apply",
            "fieldsType: FieldsV1",
            "f:replicas: {}");
    // Without the flag kubectl hides them, as against Kubernetes.
    assertThat(ok("-n", "ssa", "get", "deployment", "web", "-o", "yaml").stdout())
        .doesNotContain("managedFields");
  }

  @Test
  @Order(4)
  void aCustomResourcesListMapIsOwnedItemByItem() throws Exception {
    Path crd = dir.resolve("crd.yaml");
    Files.writeString(crd, WIDGETS);
    ok("apply", "--server-side", "-f", crd.toString());
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .pollInterval(java.time.Duration.ofMillis(100))
        .until(() -> kubectl.run("-n", "ssa", "get", "racks").exitCode() == 0);
    String rack = "apiVersion: example.com/v1\nkind: Rack\nmetadata: {name: r1, namespace: ssa}\n";
    Kubectl.Result a = applyAs("a", rack + "spec: {slots: [{name: left, size: 1}]}\n");
    assertThat(a.exitCode()).as(a.toString()).isZero();
    Kubectl.Result b = applyAs("b", rack + "spec: {slots: [{name: right, size: 2}]}\n");
    assertThat(b.exitCode()).as(b.toString()).isZero();
    JsonNode r =
        ApiCalls.JSON.readTree(ok("-n", "ssa", "get", "rack", "r1", "-o", "json").stdout());
    assertThat(r.at("/spec/slots")).hasSize(2);
    Kubectl.Result conflict = applyAs("b", rack + "spec: {slots: [{name: left, size: 9}]}\n");
    assertThat(conflict.stderr()).contains("conflict with \"a\": .spec.slots[name=\"left\"].size");
    assertThat(applyAs("a", rack + "spec: {slots: []}\n").exitCode()).isZero();
    r = ApiCalls.JSON.readTree(ok("-n", "ssa", "get", "rack", "r1", "-o", "json").stdout());
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
    ok(
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
