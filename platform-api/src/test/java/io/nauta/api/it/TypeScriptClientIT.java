package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.support.TestApiServer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A client in another language, generated from Nauta's own OpenAPI document, against a running
 * Nauta: the build writes the core/v1 document and runs openapi-generator's {@code
 * typescript-fetch} generator on it (see this module's POM); this test compiles that client with
 * {@code tsc} together with {@code src/test/resources/typescript-client/main.ts}, runs it on
 * Node.js to create a pod and read it back, and checks what it read against the server.
 *
 * <p>Needs {@code node} and {@code npm} on PATH; TypeScript itself is installed from the npm
 * registry once into {@code target/typescript-tools}.
 */
class TypeScriptClientIT {

  /** Pinned, so the compiler that checks the generated code does not change under us. */
  private static final String TYPESCRIPT = "typescript@5.9.3";

  private static final Path TARGET = Path.of("target");
  private static final Path GENERATED_CLIENT = TARGET.resolve("generated-clients/typescript");
  private static final Path TOOLS = TARGET.resolve("typescript-tools");
  private static final Path TSC = TOOLS.resolve("node_modules/typescript/bin/tsc");
  private static final Path WORK = TARGET.resolve("typescript-client-it");

  private static TestApiServer server;

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void generatedTypeScriptClientCreatesAndReadsAPod() throws IOException {
    assertThat(GENERATED_CLIENT.resolve("apis/CoreV1Api.ts"))
        .as("the client openapi-generator-maven-plugin generates in process-test-classes")
        .exists();
    installTypeScript();
    prepareWorkDir();

    Result tsc = run(WORK, "node", TSC.toAbsolutePath().toString(), "-p", ".");
    assertThat(tsc.exitCode()).as("tsc\n%s", tsc).isZero();

    // As a program outside the cluster would: a service account's token (kubectl create token),
    // sent through the BearerToken scheme the document declares, and the cluster's CA.
    Kubectl kubectl = new Kubectl(server.kubeconfig());
    for (String[] args :
        List.of(
            new String[] {"create", "serviceaccount", "ts-client"},
            new String[] {
              "create",
              "rolebinding",
              "ts-client-edit",
              "--clusterrole=edit",
              "--serviceaccount=default:ts-client"
            })) {
      Kubectl.Result r = kubectl.run(args);
      assertThat(r.exitCode()).as(r.toString()).isZero();
    }
    Kubectl.Result token = kubectl.run("create", "token", "ts-client");
    assertThat(token.exitCode()).as(token.toString()).isZero();
    nodeEnv.put("NODE_EXTRA_CA_CERTS", server.pkiDir().resolve("server-ca.crt").toString());
    Result run = run(WORK, "node", "out/main.js", server.url(), "ts-client", token.stdout().trim());
    assertThat(run.exitCode()).as("node out/main.js\n%s", run).isZero();

    JsonNode read = ApiCalls.JSON.readTree(run.stdout());
    assertThat(read.path("name").asString()).isEqualTo("ts-client");
    assertThat(read.path("namespace").asString()).isEqualTo("default");
    assertThat(read.path("label").asString()).isEqualTo("ts-client");
    assertThat(read.path("image").asString()).isEqualTo("nauta/busybox:local");
    assertThat(read.path("phase").asString()).isEqualTo("Pending");
    assertThat(read.path("created").asString()).isNotEmpty();
    assertThat(read.path("uid").asString())
        .isNotEmpty()
        .isEqualTo(read.path("createdUid").asString())
        .isEqualTo(uidOnServer("default", "ts-client"));
  }

  private static String uidOnServer(String namespace, String name) {
    byte[] body =
        server
            .client()
            .get()
            .uri("/api/v1/namespaces/{ns}/pods/{name}", namespace, name)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    return ApiCalls.JSON.readTree(body).path("metadata").path("uid").asString();
  }

  /** Installs the TypeScript compiler once; later runs reuse it until {@code mvn clean}. */
  private static void installTypeScript() throws IOException {
    if (Files.exists(TSC)) {
      return;
    }
    Files.createDirectories(TOOLS);
    Result npm =
        run(
            TOOLS,
            "npm",
            "install",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            "--prefix",
            ".",
            TYPESCRIPT);
    assertThat(npm.exitCode()).as("npm install %s\n%s", TYPESCRIPT, npm).isZero();
  }

  /** A fresh directory with the generated client as {@code ./client} and the script beside it. */
  private static void prepareWorkDir() throws IOException {
    deleteRecursively(WORK);
    copyRecursively(GENERATED_CLIENT, WORK.resolve("client"));
    Path script = resource("typescript-client");
    Files.copy(script.resolve("main.ts"), WORK.resolve("main.ts"));
    Files.copy(script.resolve("tsconfig.json"), WORK.resolve("tsconfig.json"));
  }

  private static Path resource(String name) {
    try {
      return Path.of(TypeScriptClientIT.class.getClassLoader().getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void copyRecursively(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest);
        }
      }
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(p);
      }
    }
  }

  record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
    }
  }

  /** Runs {@code command} in {@code dir}, waiting up to two minutes. */
  /** Environment for the processes this test runs (node finds the cluster's CA there). */
  private static final java.util.Map<String, String> nodeEnv = new java.util.HashMap<>();

  private static ProcessBuilder processBuilder(String... command) {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(nodeEnv);
    return pb;
  }

  private static Result run(Path dir, String... command) throws IOException {
    Path out = Files.createTempFile("ts-client-it", ".out");
    Path err = Files.createTempFile("ts-client-it", ".err");
    try {
      Process p =
          processBuilder(command)
              .directory(dir.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      p.getOutputStream().close();
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish");
      }
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
