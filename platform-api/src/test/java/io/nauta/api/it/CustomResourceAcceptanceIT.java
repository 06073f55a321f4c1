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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

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
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r).isZero();
    return r;
  }

  static Kubectl.Result apply(String yaml) {
    return ok("apply", "-f", write(yaml).toString());
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
    return ApiCalls.JSON.readTree(r.stdout());
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
    HttpResponse<String> response =
        server
            .httpClientBuilder()
            .build()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            server.url()
                                + "/apis/stable.example.com/v1/namespaces/acceptance/databases"))
                    .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io")
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode table = ApiCalls.JSON.readTree(response.body());
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
    JsonNode beta =
        ApiCalls.JSON.readTree(
            server
                .httpClientBuilder()
                .build()
                .send(
                    HttpRequest.newBuilder(
                            URI.create(
                                server.url()
                                    + "/apis/stable.example.com/v1beta1/namespaces/acceptance/"
                                    + "databases"))
                        .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io")
                        .GET()
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
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
}
