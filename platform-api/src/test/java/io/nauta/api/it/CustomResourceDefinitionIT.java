package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.api.support.TestApiServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * CustomResourceDefinitions end to end, with TLS and RBAC on, real Redis, real HTTP and the real
 * kubectl: a definition with two versions is established and its kind served like a built-in one
 * (CRUD, list, watch, selectors, paging, patches, dry run, finalizers, discovery, explain), on a
 * second API server instance too; deleting the definition deletes its objects and unserves the
 * kind; bad definitions are refused with Kubernetes' messages and nothing is stored.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CustomResourceDefinitionIT {

  static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

  /** Two versions (v1 stored), namespaced, status subresource, descriptions for explain. */
  static final String WIDGETS =
      """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: widgets.example.com
      spec:
        group: example.com
        scope: Namespaced
        names:
          plural: widgets
          singular: widget
          kind: Widget
          shortNames: [wd]
        versions:
        - name: v1beta1
          served: true
          storage: false
          schema:
            openAPIV3Schema:
              type: object
              description: A widget, as v1beta1 described it.
              x-kubernetes-preserve-unknown-fields: true
          subresources:
            status: {}
        - name: v1
          served: true
          storage: true
          schema:
            openAPIV3Schema:
              type: object
              description: Widget is a thing the test makes and breaks.
              properties:
                spec:
                  type: object
                  description: What the widget should be.
                  x-kubernetes-preserve-unknown-fields: true
                  properties:
                    size:
                      type: integer
                      description: How big the widget is, in furlongs.
              x-kubernetes-preserve-unknown-fields: true
          subresources:
            status: {}
            scale:
              specReplicasPath: .spec.replicas
              statusReplicasPath: .status.replicas
              labelSelectorPath: .status.selector
      """;

  private static TestApiServer server;
  private static TestApiServer second;
  private static Kubectl kubectl;

  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
    kubectl = new Kubectl(server.kubeconfig(dir));
  }

  @AfterAll
  static void stop() {
    if (second != null) {
      second.close();
    }
    server.close();
  }

  static Kubectl.Result ok(Kubectl k, String... args) {
    Kubectl.Result r = k.run(args);
    assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r).isZero();
    return r;
  }

  static Kubectl.Result ok(String... args) {
    return ok(kubectl, args);
  }

  static Kubectl.Result create(Kubectl k, String yaml) {
    return ok(k, "create", "-f", write(yaml).toString());
  }

  static Path write(String yaml) {
    try {
      Path file = Files.createTempFile(dir, "manifest-", ".yaml");
      Files.writeString(file, yaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String widget(String apiVersion, String name, String extra) {
    return """
        apiVersion: %s
        kind: Widget
        metadata:
          name: %s
          namespace: shop
          labels: {app: %s}
        %sspec:
          size: 3
        """
        .formatted(apiVersion, name, name, extra);
  }

  static JsonNode json(Kubectl.Result r) {
    return ApiCalls.JSON.readTree(r.stdout());
  }

  @Test
  @Order(1)
  void invalidDefinitionsAreRefusedWithKubernetesMessagesAndNothingIsStored() {
    String mismatch =
        ApiCalls.JSON.writeValueAsString(
            yamlToJson(WIDGETS.replace("name: widgets.example.com", "name: gadgets.example.com")));
    server
        .client()
        .post()
        .uri(CRDS)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(mismatch)
        .exchange()
        .expectStatus()
        .isEqualTo(422)
        .expectBody()
        .jsonPath("$.reason")
        .isEqualTo("Invalid")
        .jsonPath("$.message")
        .isEqualTo(
            "CustomResourceDefinition.apiextensions.k8s.io \"gadgets.example.com\" is invalid:"
                + " metadata.name: Invalid value: \"gadgets.example.com\": must be"
                + " spec.names.plural+\".\"+spec.group")
        .jsonPath("$.details.causes[0].field")
        .isEqualTo("metadata.name");

    Kubectl.Result twoStorage =
        kubectl.run(
            "create", "-f", write(WIDGETS.replace("storage: false", "storage: true")).toString());
    assertThat(twoStorage.exitCode()).isNotZero();
    assertThat(twoStorage.stderr())
        .contains("CustomResourceDefinition \"widgets.example.com\" is invalid")
        .contains("spec.versions: Invalid value:")
        .contains("must have exactly one version marked as storage version");

    Kubectl.Result webhook =
        kubectl.run(
            "create",
            "-f",
            write(
                    WIDGETS.replace(
                        "  scope: Namespaced\n",
                        "  scope: Namespaced\n  conversion:\n    strategy: Webhook\n"))
                .toString());
    assertThat(webhook.exitCode()).isNotZero();
    assertThat(webhook.stderr())
        .contains("spec.conversion.strategy: Unsupported value: \"Webhook\"")
        .contains("conversion webhooks are not supported by Nauta yet");

    assertThat(ok("get", "crd", "-o", "name").stdout()).isBlank();
  }

  @Test
  @Order(2)
  void aNewDefinitionIsEstablishedAndItsKindServedWithoutARestart() {
    long created = System.nanoTime();
    assertThat(create(kubectl, WIDGETS).stdout())
        .contains("customresourcedefinition.apiextensions.k8s.io/widgets.example.com created");
    ok("create", "namespace", "shop");
    // The first create of the new kind succeeds once the kind is served.
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                kubectl
                        .run("create", "-f", write(widget("example.com/v1", "w1", "")).toString())
                        .exitCode()
                    == 0);
    System.out.printf(
        "CRD create to first widget created: %d ms%n",
        Duration.ofNanos(System.nanoTime() - created).toMillis());

    JsonNode crd = json(ok("get", "crd", "widgets.example.com", "-o", "json"));
    assertThat(condition(crd, "NamesAccepted").path("status").asString()).isEqualTo("True");
    assertThat(condition(crd, "NamesAccepted").path("reason").asString()).isEqualTo("NoConflicts");
    assertThat(condition(crd, "Established").path("status").asString()).isEqualTo("True");
    assertThat(condition(crd, "Established").path("reason").asString())
        .isEqualTo("InitialNamesAccepted");
    assertThat(crd.at("/status/acceptedNames/kind").asString()).isEqualTo("Widget");
    assertThat(crd.at("/status/acceptedNames/listKind").asString()).isEqualTo("WidgetList");
    assertThat(crd.at("/status/storedVersions").toString()).isEqualTo("[\"v1\"]");
    assertThat(crd.at("/metadata/finalizers").toString())
        .contains("customresourcecleanup.apiextensions.k8s.io");

    assertThat(ok("get", "crd").stdout())
        .containsPattern("NAME\\s+CREATED AT")
        .containsPattern("widgets.example.com\\s+\\d{4}-\\d\\d-\\d\\dT");
    assertThat(ok("get", "crds", "-o", "name").stdout())
        .contains("customresourcedefinition.apiextensions.k8s.io/widgets.example.com");
    assertThat(ok("api-resources").stdout())
        .containsPattern("widgets\\s+wd\\s+example.com/v1\\s+true\\s+Widget")
        .containsPattern(
            "customresourcedefinitions\\s+crd,crds\\s+apiextensions.k8s.io/v1\\s+false\\s+CustomResourceDefinition");
    assertThat(ok("api-versions").stdout()).contains("example.com/v1", "example.com/v1beta1");
  }

  @Test
  @Order(3)
  void customResourcesAreServedLikeBuiltInKinds() throws Exception {
    Process watch =
        kubectl.start(
            "get", "widgets", "-n", "shop", "--watch", "--output-watch-events", "-o", "json");
    StringBuffer events = new StringBuffer();
    Thread reader = follow(watch.getInputStream(), events);
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> events.toString().contains("\"w1\""));

      // Through the other version: stored at v1, shown as the version asked for.
      create(kubectl, widget("example.com/v1beta1", "w2", ""));
      assertThat(
              json(ok("-n", "shop", "get", "widgets.v1beta1.example.com", "w2", "-o", "json"))
                  .path("apiVersion")
                  .asString())
          .isEqualTo("example.com/v1beta1");
      assertThat(
              json(ok("-n", "shop", "get", "widgets.v1.example.com", "w2", "-o", "json"))
                  .path("apiVersion")
                  .asString())
          .isEqualTo("example.com/v1");

      assertThat(ok("-n", "shop", "get", "widgets").stdout())
          .containsPattern("NAME\\s+AGE")
          .containsPattern("w1\\s+\\d+[smh]")
          .contains("w2");
      assertThat(ok("-n", "shop", "get", "wd", "-o", "name").stdout())
          .contains("widget.example.com/w1", "widget.example.com/w2");
      assertThat(ok("get", "widgets", "-A", "-l", "app=w1", "-o", "name").stdout().trim())
          .isEqualTo("widget.example.com/w1");
      assertThat(
              ok(
                      "-n",
                      "shop",
                      "get",
                      "widgets",
                      "--field-selector",
                      "metadata.name=w2",
                      "-o",
                      "name")
                  .stdout()
                  .trim())
          .isEqualTo("widget.example.com/w2");
      assertThat(ok("-n", "shop", "get", "widgets", "--chunk-size=1", "-o", "name").stdout())
          .contains("widget.example.com/w1", "widget.example.com/w2");

      // Merge patch bumps generation on a spec change; status stays the status subresource's.
      JsonNode patched =
          json(
              ok(
                  "-n",
                  "shop",
                  "patch",
                  "widget",
                  "w1",
                  "--type=merge",
                  "-o",
                  "json",
                  "-p",
                  "{\"spec\":{\"size\":5},\"status\":{\"ready\":true}}"));
      assertThat(patched.at("/spec/size").asInt()).isEqualTo(5);
      assertThat(patched.at("/metadata/generation").asLong()).isEqualTo(2);
      assertThat(patched.has("status")).isFalse();
      JsonNode status =
          json(
              ok(
                  "-n",
                  "shop",
                  "patch",
                  "widget",
                  "w1",
                  "--subresource=status",
                  "--type=merge",
                  "-o",
                  "json",
                  "-p",
                  "{\"status\":{\"ready\":true}}"));
      assertThat(status.at("/status/ready").asBoolean()).isTrue();
      assertThat(status.at("/metadata/generation").asLong()).isEqualTo(2);

      // Strategic merge patch has no patch strategies to follow for a custom resource.
      Kubectl.Result strategic =
          kubectl.run("-n", "shop", "patch", "widget", "w1", "-p", "{\"spec\":{\"size\":6}}");
      assertThat(strategic.exitCode()).isNotZero();
      assertThat(strategic.stderr())
          .contains(
              "the body of the request was in an unknown format - accepted media types include:"
                  + " application/json-patch+json, application/merge-patch+json,"
                  + " application/apply-patch+yaml");
      assertThat(
              ok(
                      "-n",
                      "shop",
                      "patch",
                      "widget",
                      "w1",
                      "--type=json",
                      "-o",
                      "jsonpath={.spec.size}",
                      "-p",
                      "[{\"op\":\"replace\",\"path\":\"/spec/size\",\"value\":7}]")
                  .stdout())
          .isEqualTo("7");

      // The scale subresource reads and writes the paths the definition names.
      ok("-n", "shop", "scale", "widget", "w1", "--replicas=4");
      assertThat(
              ok("-n", "shop", "get", "widget", "w1", "-o", "jsonpath={.spec.replicas}").stdout())
          .isEqualTo("4");
      ok(
          "-n",
          "shop",
          "patch",
          "widget",
          "w1",
          "--subresource=status",
          "--type=merge",
          "-p",
          "{\"status\":{\"replicas\":2,\"selector\":\"app=w1\"}}");
      JsonNode scale =
          json(ok("get", "--raw", "/apis/example.com/v1/namespaces/shop/widgets/w1/scale"));
      assertThat(scale.path("kind").asString()).isEqualTo("Scale");
      assertThat(scale.at("/spec/replicas").asInt()).isEqualTo(4);
      assertThat(scale.at("/status/replicas").asInt()).isEqualTo(2);
      assertThat(scale.at("/status/selector").asString()).isEqualTo("app=w1");

      // A dry run stores nothing.
      ok("create", "--dry-run=server", "-f", write(widget("example.com/v1", "w3", "")).toString());
      assertThat(kubectl.run("-n", "shop", "get", "widget", "w3").stderr())
          .contains("widgets.example.com \"w3\" not found");

      // A finalizer holds a deleted widget until it is removed.
      create(kubectl, widget("example.com/v1", "w4", "  finalizers: [example.com/hold]\n"));
      ok("-n", "shop", "delete", "widget", "w4", "--wait=false");
      assertThat(
              ok(
                      "-n",
                      "shop",
                      "get",
                      "widget",
                      "w4",
                      "-o",
                      "jsonpath={.metadata.deletionTimestamp}")
                  .stdout())
          .isNotBlank();
      ok(
          "-n",
          "shop",
          "patch",
          "widget",
          "w4",
          "--type=merge",
          "-p",
          "{\"metadata\":{\"finalizers\":null}}");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> kubectl.run("-n", "shop", "get", "widget", "w4").exitCode() != 0);

      ok("-n", "shop", "delete", "widget", "w2");
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(events.toString())
                      .contains("\"ADDED\"", "\"MODIFIED\"", "\"DELETED\"", "\"w2\"", "\"w4\""));
    } finally {
      watch.destroy();
      reader.join(5000);
    }

    String explained = ok("explain", "widgets").stdout();
    assertThat(explained).contains("Widget is a thing the test makes and breaks.");
    assertThat(ok("explain", "widgets.spec.size").stdout())
        .contains("How big the widget is, in furlongs.");
  }

  @Test
  @Order(4)
  void aSecondApiServerServesTheKindToo() {
    second = TestApiServer.start();
    Kubectl other = new Kubectl(second.kubeconfig(dir));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> other.run("-n", "shop", "get", "widget", "w1").exitCode() == 0);
    create(other, widget("example.com/v1", "w5", ""));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> kubectl.run("-n", "shop", "get", "widget", "w5").exitCode() == 0);
    assertThat(ok(other, "api-resources").stdout())
        .containsPattern("widgets\\s+wd\\s+example.com/v1\\s+true\\s+Widget");
  }

  @Test
  @Order(5)
  void deletingTheDefinitionDeletesItsObjectsThenUnservesTheKindEverywhere() throws IOException {
    Kubectl other = new Kubectl(second.kubeconfig(dir));
    ok("delete", "crd", "widgets.example.com", "--timeout=30s");
    for (Kubectl k : new Kubectl[] {kubectl, other}) {
      // A kubectl whose discovery cache predates the deletion gets a 404 for the list...
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(k.run("-n", "shop", "get", "widgets").stderr())
                      .contains("the server could not find the requested resource"));
      // ...and one that discovers afresh no longer knows the kind.
      assertThat(
              k.run(
                      "--cache-dir=" + Files.createTempDirectory(dir, "cache"),
                      "-n",
                      "shop",
                      "get",
                      "widgets")
                  .stderr())
          .contains("the server doesn't have a resource type \"widgets\"");
    }
    server
        .client()
        .get()
        .uri("/apis/example.com/v1/namespaces/shop/widgets")
        .exchange()
        .expectStatus()
        .isNotFound();
    assertThat(ok("get", "--raw", "/openapi/v3").stdout()).doesNotContain("apis/example.com/v1");

    // Defined again, the kind starts empty: the objects went with the old definition.
    create(kubectl, WIDGETS);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(ok("get", "widgets", "-A", "-o", "name").stdout()).isBlank());
  }

  /**
   * Convergence after a failure: a definition stored while no instance established it (its
   * controller stopped, as if the instance died right after the write) is established by the next
   * instance that starts; one whose deletion was under way when the instances stopped is finished
   * by the next.
   */
  @Test
  @Order(6)
  void theNextInstanceFinishesWhatAStoppedOneLeftHalfDone() {
    second.close();
    second = null;
    // Deletion under way: a widget's own finalizer holds the definition's deletion.
    create(kubectl, widget("example.com/v1", "held", "  finalizers: [example.com/hold]\n"));
    ok("delete", "crd", "widgets.example.com", "--wait=false");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        ok(
                                "get",
                                "crd",
                                "widgets.example.com",
                                "-o",
                                "jsonpath={.status.conditions[?(@.type==\"Terminating\")].reason}")
                            .stdout())
                    .isEqualTo("InstanceDeletionInProgress"));

    // Establishing never done: the controller is stopped before the definition is written.
    server.bean(io.nauta.api.customresource.DefinitionController.class).stop();
    create(
        kubectl,
        WIDGETS.replace("widget", "gizmo").replace("Widget", "Gizmo").replace("[wd]", "[gz]"));
    assertThat(
            ok(
                    "get",
                    "crd",
                    "gizmos.example.com",
                    "-o",
                    "jsonpath={.status.conditions[?(@.type==\"Established\")].status}")
                .stdout())
        .isBlank();
    server.close();

    server = TestApiServer.start();
    kubectl = new Kubectl(server.kubeconfig(dir));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                kubectl.run("-n", "shop", "get", "gizmos").exitCode() == 0
                    && "True"
                        .equals(
                            ok(
                                    "get",
                                    "crd",
                                    "gizmos.example.com",
                                    "-o",
                                    "jsonpath={.status.conditions[?(@.type==\"Established\")].status}")
                                .stdout()));
    // The held widget is still served (its definition is terminating) and still there.
    assertThat(ok("-n", "shop", "get", "widget", "held", "-o", "name").stdout())
        .contains("widget.example.com/held");
    Kubectl.Result refused =
        kubectl.run("create", "-f", write(widget("example.com/v1", "late", "")).toString());
    assertThat(refused.stderr())
        .contains("create not allowed while custom resource definition is terminating");
    ok(
        "-n",
        "shop",
        "patch",
        "widget",
        "held",
        "--type=merge",
        "-p",
        "{\"metadata\":{\"finalizers\":null}}");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(kubectl.run("get", "crd", "widgets.example.com").stderr())
                    .contains("not found"));
  }

  private static JsonNode condition(JsonNode crd, String type) {
    for (JsonNode c : crd.path("status").path("conditions")) {
      if (type.equals(c.path("type").asString())) {
        return c;
      }
    }
    throw new AssertionError("no condition " + type + " in " + crd);
  }

  private static JsonNode yamlToJson(String yaml) {
    return json(kubectl.runWithInput(yaml, "create", "--dry-run=client", "-o", "json", "-f", "-"));
  }

  private static Thread follow(InputStream in, StringBuffer into) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[8192];
              try {
                int n;
                while ((n = in.read(buf)) > 0) {
                  into.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
              } catch (IOException e) {
                // the watch was ended
              }
            },
            "kubectl-watch-widgets");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
