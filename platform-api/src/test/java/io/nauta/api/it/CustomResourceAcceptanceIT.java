package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.api.support.TestApiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;

/**
 * Issue 15's acceptance, with TLS and RBAC on, real Redis and the real kubectl: a definition with
 * two versions (both served, v1 stored), a schema with defaults and CEL rules (one a transition
 * rule), printer columns (one only for {@code -o wide}) and both subresources.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CustomResourceAcceptanceIT {

  static final String NS = "acceptance";

  static final String DATABASES =
      """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: databases.stable.example.com
      spec:
        group: stable.example.com
        scope: Namespaced
        names:
          plural: databases
          singular: database
          kind: Database
          shortNames: [db]
        versions:
        - name: v1beta1
          served: true
          storage: false
          schema:
            openAPIV3Schema:
              type: object
              description: A database, as v1beta1 described it.
              properties:
                spec:
                  type: object
                  properties:
                    engine:
                      type: string
                      maxLength: 5
                    replicas:
                      type: integer
                    version:
                      type: string
                status:
                  type: object
                  x-kubernetes-preserve-unknown-fields: true
          subresources:
            status: {}
            scale:
              specReplicasPath: .spec.replicas
              statusReplicasPath: .status.replicas
              labelSelectorPath: .status.selector
        - name: v1
          served: true
          storage: true
          schema:
            openAPIV3Schema:
              type: object
              description: Database is a managed database server.
              properties:
                spec:
                  type: object
                  description: The database the user wants.
                  x-kubernetes-validations:
                  - rule: "self.replicas <= 5 || self.engine == 'postgres'"
                    message: only postgres runs more than 5 replicas
                  properties:
                    engine:
                      type: string
                      description: Which database server runs, postgres or mysql.
                      enum: [postgres, mysql]
                      default: postgres
                      x-kubernetes-validations:
                      - rule: self == oldSelf
                        message: engine is immutable
                    replicas:
                      type: integer
                      description: How many servers run.
                      minimum: 0
                      maximum: 10
                      default: 1
                    version:
                      type: string
                      description: The server's version, major.minor.
                      pattern: '^[0-9]+\\.[0-9]+$'
                status:
                  type: object
                  properties:
                    replicas:
                      type: integer
                    selector:
                      type: string
                    conditions:
                      type: array
                      items:
                        type: object
                        properties:
                          type: {type: string}
                          status: {type: string}
          additionalPrinterColumns:
          - name: Engine
            type: string
            jsonPath: .spec.engine
          - name: Replicas
            type: integer
            jsonPath: .spec.replicas
          - name: Ready
            type: string
            description: Whether the database is ready.
            jsonPath: .status.conditions[?(@.type=="Ready")].status
          - name: Version
            type: string
            priority: 1
            jsonPath: .spec.version
          - name: Age
            type: date
            jsonPath: .metadata.creationTimestamp
          subresources:
            status: {}
            scale:
              specReplicasPath: .spec.replicas
              statusReplicasPath: .status.replicas
              labelSelectorPath: .status.selector
      """;

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

  static Kubectl.Result ok(String... args) {
    return CustomResourceDefinitionIT.ok(kubectl, args);
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

  static JsonNode json(Kubectl.Result r) {
    return CustomResourceDefinitionIT.json(r);
  }

  /** A list as a Table, as kubectl asks for it. */
  static JsonNode table(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        server
            .httpClientBuilder()
            .build()
            .send(
                HttpRequest.newBuilder(URI.create(server.url() + path))
                    .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io")
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return ApiCalls.JSON.readTree(response.body());
  }

  static String database(String apiVersion, String name, String spec) {
    return """
        apiVersion: stable.example.com/%s
        kind: Database
        metadata:
          name: %s
          namespace: acceptance
        spec:
        %s
        """
        .formatted(apiVersion, name, spec.indent(2).stripTrailing());
  }

  @Test
  @Order(1)
  void theDefinitionIsInstalledAndItsKindServed() {
    assertThat(ok("create", "-f", write(DATABASES).toString()).stdout())
        .contains("customresourcedefinition.apiextensions.k8s.io/databases.stable.example.com");
    ok("create", "namespace", NS);
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                kubectl
                        .run(
                            "create",
                            "-f",
                            write(database("v1", "orders", "replicas: 3\nversion: \"16.2\""))
                                .toString())
                        .exitCode()
                    == 0);
  }

  @Test
  @Order(2)
  void getShowsThePrinterColumnsAndWideTheWideOnes() {
    ok(
        "-n",
        NS,
        "patch",
        "database",
        "orders",
        "--subresource=status",
        "--type=merge",
        "-p",
        "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}");
    String table = ok("-n", NS, "get", "databases").stdout();
    assertThat(table)
        .containsPattern("NAME\\s+ENGINE\\s+REPLICAS\\s+READY\\s+AGE\n")
        .containsPattern("orders\\s+postgres\\s+3\\s+True\\s+\\d+s\n")
        .doesNotContain("VERSION", "16.2");
    assertThat(ok("-n", NS, "get", "db", "orders", "-o", "wide").stdout())
        .containsPattern("NAME\\s+ENGINE\\s+REPLICAS\\s+READY\\s+VERSION\\s+AGE\n")
        .containsPattern("orders\\s+postgres\\s+3\\s+True\\s+16.2\\s+\\d+s\n");
  }

  @Test
  @Order(3)
  void theTableNamesEachColumnAsTheDefinitionDoes() throws Exception {
    JsonNode table = table("/apis/stable.example.com/v1/namespaces/acceptance/databases");
    assertThat(table.path("columnDefinitions").toString())
        .contains(
            "{\"name\":\"Engine\",\"type\":\"string\",\"format\":\"\",\"description\":\"Custom"
                + " resource definition column (in JSONPath format): .spec.engine\","
                + "\"priority\":0}",
            "{\"name\":\"Ready\",\"type\":\"string\",\"format\":\"\",\"description\":\"Whether"
                + " the database is ready.\",\"priority\":0}",
            "{\"name\":\"Version\",\"type\":\"string\",\"format\":\"\",\"description\":\"Custom"
                + " resource definition column (in JSONPath format): .spec.version\","
                + "\"priority\":1}");
    JsonNode cells = table.at("/rows/0/cells");
    assertThat(cells.get(0).asString()).isEqualTo("orders");
    assertThat(cells.get(1).asString()).isEqualTo("postgres");
    assertThat(cells.get(2).isIntegralNumber()).isTrue();
    assertThat(cells.get(2).asLong()).isEqualTo(3);
    assertThat(cells.get(4).asString()).isEqualTo("16.2");
    // v1beta1 has no columns: Name and upstream's implicit Age.
    JsonNode beta = table("/apis/stable.example.com/v1beta1/namespaces/acceptance/databases");
    assertThat(beta.path("columnDefinitions").findValuesAsString("name"))
        .containsExactly("Name", "Age");
    assertThat(beta.at("/columnDefinitions/1/type").asString()).isEqualTo("date");
  }

  @Test
  @Order(4)
  void aWriteIsValidatedAgainstTheSchemaOfTheVersionItWasSentTo() {
    // v1beta1 limits the engine's name to 5 bytes, v1 does not.
    Kubectl.Result tooLong =
        kubectl.run(
            "create", "-f", write(database("v1beta1", "legacy", "engine: postgres")).toString());
    assertThat(tooLong.exitCode()).isNotZero();
    assertThat(tooLong.stderr())
        .contains(
            "The Database \"legacy\" is invalid: spec.engine: Too long: may not be more than 5"
                + " bytes");
    // v1 knows only postgres and mysql, v1beta1 any engine: the object is stored (at v1).
    ok("create", "-f", write(database("v1beta1", "legacy", "engine: maria")).toString());
    assertThat(
            ok("-n", NS, "get", "databases.v1.stable.example.com", "legacy", "-o", "json").stdout())
        .contains("\"engine\": \"maria\"", "\"apiVersion\": \"stable.example.com/v1\"");
    Kubectl.Result viaV1 =
        kubectl.run("create", "-f", write(database("v1", "modern", "engine: maria")).toString());
    assertThat(viaV1.stderr())
        .contains(
            "spec.engine: Unsupported value: \"maria\": supported values: \"postgres\","
                + " \"mysql\"");
  }

  @Test
  @Order(5)
  void aStatusWriteValidatesOnlyTheStatus() {
    // "legacy" holds a spec that v1's schema refuses; its status is still written through v1.
    JsonNode written =
        json(
            ok(
                "-n",
                NS,
                "patch",
                "databases.v1.stable.example.com",
                "legacy",
                "--subresource=status",
                "--type=merge",
                "-o",
                "json",
                "-p",
                "{\"status\":{\"replicas\":1}}"));
    assertThat(written.at("/status/replicas").asInt()).isEqualTo(1);
    assertThat(written.at("/spec/engine").asString()).isEqualTo("maria");
    Kubectl.Result badStatus =
        kubectl.run(
            "-n",
            NS,
            "patch",
            "databases.v1.stable.example.com",
            "legacy",
            "--subresource=status",
            "--type=merge",
            "-p",
            "{\"status\":{\"replicas\":\"one\"}}");
    assertThat(badStatus.stderr())
        .contains(
            "The Database \"legacy\" is invalid: \n"
                + "* status.replicas: Invalid value: \"string\": replicas in body must be of type"
                + " integer: \"string\"\n"
                + "* <nil>: Invalid value: null: some validation rules were not checked because the"
                + " object was invalid; correct the existing errors to complete validation\n");
  }

  @Test
  @Order(6)
  void defaultsAreFilledFromTheSchema() {
    ok("create", "-f", write(database("v1", "defaulted", "version: \"8.0\"")).toString());
    JsonNode obj = json(ok("-n", NS, "get", "database", "defaulted", "-o", "json"));
    assertThat(obj.at("/spec/engine").asString()).isEqualTo("postgres");
    assertThat(obj.at("/spec/replicas").asInt()).isEqualTo(1);
    assertThat(obj.at("/metadata/generation").asLong()).isEqualTo(1);
  }

  /**
   * kubectl apply on an existing custom resource patches it with a JSON merge patch, as the API's
   * document offers no strategic merge patch for it (a 415 otherwise).
   */
  @Test
  @Order(2)
  void applyTwiceUpdatesACustomResource() {
    String first = database("v1", "applied", "version: \"8.0\"\nreplicas: 2");
    assertThat(ok("apply", "-f", write(first).toString()).stdout())
        .contains("database.stable.example.com/applied created");
    String second = database("v1", "applied", "version: \"8.0\"\nreplicas: 3");
    assertThat(ok("apply", "-f", write(second).toString()).stdout())
        .contains("database.stable.example.com/applied configured");
    JsonNode obj = json(ok("-n", NS, "get", "database", "applied", "-o", "json"));
    assertThat(obj.at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(obj.at("/metadata/generation").asLong()).isEqualTo(2);
    // the other tests count this namespace's databases
    ok("-n", NS, "delete", "database", "applied");
  }

  /** The 422 kubectl shows for an invalid object, whose first (or only) cause is {@code cause}. */
  private static String refused(String name, String spec) {
    Kubectl.Result r = kubectl.run("create", "-f", write(database("v1", name, spec)).toString());
    assertThat(r.exitCode()).as(r.toString()).isNotZero();
    assertThat(kubectl.run("-n", NS, "get", "database", name).exitCode()).isNotZero();
    return r.stderr();
  }

  @Test
  @Order(7)
  void invalidObjectsAreRefusedWithKubernetesFieldPathsAndMessages() {
    assertThat(refused("too-many", "replicas: 11"))
        .isEqualTo(
            "The Database \"too-many\" is invalid: spec.replicas: Invalid value: 11:"
                + " spec.replicas in body should be less than or equal to 10\n");
    assertThat(refused("negative", "replicas: -1"))
        .isEqualTo(
            "The Database \"negative\" is invalid: spec.replicas: Invalid value: -1:"
                + " spec.replicas in body should be greater than or equal to 0\n");
    assertThat(refused("bad-version", "version: \"16\""))
        .isEqualTo(
            "The Database \"bad-version\" is invalid: spec.version: Invalid value: \"16\":"
                + " spec.version in body should match '^[0-9]+\\.[0-9]+$'\n");
    assertThat(refused("wrong-type", "replicas: three"))
        .isEqualTo(
            "The Database \"wrong-type\" is invalid: \n"
                + "* spec.replicas: Invalid value: \"string\": spec.replicas in body must be of"
                + " type integer: \"string\"\n"
                + "* <nil>: Invalid value: null: some validation rules were not checked because"
                + " the object was invalid; correct the existing errors to complete validation\n");
    // An enum miss blocks the CEL rules too, as upstream: they would run on an invalid object.
    assertThat(refused("oracle", "engine: oracle"))
        .isEqualTo(
            "The Database \"oracle\" is invalid: \n"
                + "* spec.engine: Unsupported value: \"oracle\": supported values: \"postgres\","
                + " \"mysql\"\n"
                + "* <nil>: Invalid value: null: some validation rules were not checked because"
                + " the object was invalid; correct the existing errors to complete validation\n");
    // A CEL rule on the spec: the rule's message at the rule's path.
    // Upstream's field.Invalid(fldPath, sts.Type, ...): the "value" is the schema's type.
    assertThat(refused("big-mysql", "engine: mysql\nreplicas: 6"))
        .isEqualTo(
            "The Database \"big-mysql\" is invalid: spec: Invalid value: \"object\": only"
                + " postgres runs more than 5 replicas\n");
  }

  @Test
  @Order(8)
  void aTransitionRuleComparesWithTheStoredObject() {
    Kubectl.Result r =
        kubectl.run(
            "-n",
            NS,
            "patch",
            "database",
            "orders",
            "--type=merge",
            "-p",
            "{\"spec\":{\"engine\":\"mysql\"}}");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr())
        .isEqualTo(
            "The Database \"orders\" is invalid: spec.engine: Invalid value: \"string\":"
                + " engine is immutable\n");
    // Other changes pass the rule (oldSelf equals self).
    ok(
        "-n",
        NS,
        "patch",
        "database",
        "orders",
        "--type=merge",
        "-p",
        "{\"spec\":{\"version\":\"16.3\"}}");
  }

  @Test
  @Order(9)
  void kubectlScaleWritesTheReplicasPath() {
    assertThat(ok("-n", NS, "scale", "database", "orders", "--replicas=4").stdout())
        .contains("database.stable.example.com/orders scaled");
    JsonNode obj = json(ok("-n", NS, "get", "database", "orders", "-o", "json"));
    assertThat(obj.at("/spec/replicas").asInt()).isEqualTo(4);
    assertThat(ok("-n", NS, "get", "database", "orders").stdout())
        .containsPattern("orders\\s+postgres\\s+4\\s+True\\s+\\d+[sm]");
    // The scale subresource checks the object against the schema like any write.
    Kubectl.Result tooMany = kubectl.run("-n", NS, "scale", "database", "orders", "--replicas=11");
    assertThat(tooMany.exitCode()).isNotZero();
    assertThat(tooMany.stderr())
        .contains(
            "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or"
                + " equal to 10");
  }

  @Test
  @Order(10)
  void explainShowsTheSchemasDescriptions() {
    assertThat(ok("explain", "databases").stdout())
        .contains("GROUP:      stable.example.com", "KIND:       Database", "VERSION:    v1")
        .contains("Database is a managed database server.")
        .contains("The database the user wants.");
    assertThat(ok("explain", "databases.spec").stdout())
        .contains("Which database server runs, postgres or mysql.")
        .contains("How many servers run.")
        .contains("The server's version, major.minor.");
    assertThat(ok("explain", "databases.spec.replicas").stdout())
        .contains("FIELD: replicas <integer>")
        .contains("How many servers run.");
  }

  @Test
  @Order(11)
  void aWatchSeesEveryChange() throws Exception {
    try (Events events = Events.watch("databases")) {
      ok("create", "-f", write(database("v1", "watched", "replicas: 1")).toString());
      ok("-n", NS, "label", "database", "watched", "tier=gold");
      ok(
          "-n",
          NS,
          "patch",
          "database",
          "watched",
          "--type=merge",
          "-p",
          "{\"spec\":{\"version\":\"15.1\"}}");
      ok(
          "-n",
          NS,
          "patch",
          "database",
          "watched",
          "--subresource=status",
          "--type=merge",
          "-p",
          "{\"status\":{\"replicas\":1}}");
      ok("-n", NS, "scale", "database", "watched", "--replicas=2");
      ok("-n", NS, "delete", "database", "watched");
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(events.of("watched"))
                      .extracting(e -> e.path("type").asString())
                      .containsExactly(
                          "ADDED", "MODIFIED", "MODIFIED", "MODIFIED", "MODIFIED", "DELETED"));
      List<JsonNode> seen = events.of("watched");
      assertThat(seen.get(1).at("/object/metadata/labels/tier").asString()).isEqualTo("gold");
      assertThat(seen.get(2).at("/object/spec/version").asString()).isEqualTo("15.1");
      assertThat(seen.get(3).at("/object/status/replicas").asInt()).isEqualTo(1);
      assertThat(seen.get(4).at("/object/spec/replicas").asInt()).isEqualTo(2);
      long previous = 0;
      for (JsonNode e : seen.subList(0, 5)) {
        long rv = Long.parseLong(e.at("/object/metadata/resourceVersion").asString());
        assertThat(rv).isGreaterThan(previous);
        previous = rv;
      }
    }
  }

  @Test
  @Order(12)
  void deletingTheDefinitionDeletesItsObjects() throws Exception {
    List<String> names =
        List.of(ok("-n", NS, "get", "databases", "-o", "name").stdout().trim().split("\n"));
    assertThat(names)
        .containsExactlyInAnyOrder(
            "database.stable.example.com/defaulted",
            "database.stable.example.com/legacy",
            "database.stable.example.com/orders");
    try (Events events = Events.watch("databases")) {
      await().atMost(Duration.ofSeconds(10)).until(() -> events.all().size() == 3);
      ok("delete", "crd", "databases.stable.example.com");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(
                          events.all().stream()
                              .filter(e -> e.path("type").asString().equals("DELETED"))
                              .map(e -> e.at("/object/metadata/name").asString()))
                      .containsExactlyInAnyOrder("defaulted", "legacy", "orders"));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(kubectl.run("get", "crd", "databases.stable.example.com").stderr())
                    .contains("not found"));
    // Installed again, the kind starts empty: the objects went with the definition.
    ok("create", "-f", write(DATABASES).toString());
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Kubectl.Result r = kubectl.run("-n", NS, "get", "databases", "-o", "name");
              assertThat(r.exitCode()).as(r.toString()).isZero();
              assertThat(r.stdout()).isEmpty();
            });
  }

  /** The events of a real {@code kubectl get --watch --output-watch-events -o json}. */
  private static final class Events implements AutoCloseable {
    private final Process process;
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();

    private Events(Process process) {
      this.process = process;
      Thread reader =
          new Thread(
              () -> {
                try (MappingIterator<JsonNode> it =
                    ApiCalls.JSON.readerFor(JsonNode.class).readValues(process.getInputStream())) {
                  while (it.hasNextValue()) {
                    events.add(it.nextValue());
                  }
                } catch (RuntimeException e) {
                  // kubectl was stopped mid-event
                }
              },
              "kubectl-watch");
      reader.setDaemon(true);
      reader.start();
    }

    static Events watch(String resource) throws InterruptedException {
      Events e =
          new Events(
              kubectl.start(
                  "-n", NS, "get", resource, "--watch", "--output-watch-events", "-o", "json"));
      // kubectl lists first: wait until the watch runs (the list's objects arrive as ADDED).
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  !ok("-n", NS, "get", resource, "-o", "name").stdout().isEmpty()
                      ? !e.events.isEmpty()
                      : e.process.isAlive());
      return e;
    }

    List<JsonNode> all() {
      return List.copyOf(events);
    }

    List<JsonNode> of(String name) {
      return events.stream()
          .filter(e -> name.equals(e.at("/object/metadata/name").asString()))
          .toList();
    }

    @Override
    public void close() {
      process.destroy();
    }
  }
}
