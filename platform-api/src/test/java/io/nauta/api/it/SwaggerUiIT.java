package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.support.HeadlessChromium;
import io.nauta.api.support.TestApiServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Swagger UI, as a person opens it: headless Chromium (Debian's {@code chromium}) loads {@code
 * /swagger-ui.html} from a secure server without credentials, renders the operations generated from
 * the registry, and leaves a screenshot in {@code target/swagger-ui.png}. The document declares
 * Kubernetes' {@code BearerToken} scheme, and a request sent as "Try it out" sends it after
 * Authorize (header {@code authorization: Bearer <token from kubectl create token>}) is answered.
 */
class SwaggerUiIT {

  private static TestApiServer server;

  @TempDir static Path profile;

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theDocumentDeclaresTheBearerTokenSchemeAndATokenInItsHeaderIsAccepted() throws Exception {
    // What Swagger UI reads, without credentials.
    JsonNode doc =
        ApiCalls.JSON.readTree(
            server
                .anonymousClient()
                .get()
                .uri("/v3/api-docs")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody());
    JsonNode scheme = doc.path("components").path("securitySchemes").path("BearerToken");
    assertThat(scheme.path("type").asString()).isEqualTo("apiKey");
    assertThat(scheme.path("in").asString()).isEqualTo("header");
    assertThat(scheme.path("name").asString()).isEqualTo("authorization");
    JsonNode list = doc.path("paths").path("/api/v1/namespaces/{namespace}/pods").path("get");
    assertThat(list.path("security").get(0).has("BearerToken")).as(list.toString()).isTrue();

    // A token as the README says to get it, pasted as "Bearer <token>" into Authorize.
    Kubectl kubectl = new Kubectl(server.kubeconfig());
    run(kubectl, "create", "serviceaccount", "swagger");
    run(
        kubectl,
        "create",
        "rolebinding",
        "swagger-view",
        "--clusterrole=view",
        "--serviceaccount=default:swagger");
    String token = run(kubectl, "create", "token", "swagger").stdout().trim();
    HttpClient http = server.anonymousHttpClient();
    String uri = server.url() + "/api/v1/namespaces/default/pods";
    HttpResponse<String> without =
        http.send(HttpRequest.newBuilder(URI.create(uri)).build(), BodyHandlers.ofString());
    assertThat(without.statusCode()).isEqualTo(401);
    HttpResponse<String> tried =
        http.send(
            HttpRequest.newBuilder(URI.create(uri))
                .header(scheme.path("name").asString(), "Bearer " + token)
                .header("accept", "application/json")
                .build(),
            BodyHandlers.ofString());
    assertThat(tried.statusCode()).as(tried.body()).isEqualTo(200);
    assertThat(ApiCalls.JSON.readTree(tried.body()).path("kind").asString()).isEqualTo("PodList");
  }

  private static Kubectl.Result run(Kubectl kubectl, String... args) {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }

  @Test
  void swaggerUiRendersEveryResourcePathInChromium() throws Exception {
    String url = server.url() + "/swagger-ui.html";
    String dom = chromium("--dump-dom", url);
    assertThat(dom).contains("Nauta API");
    assertThat(dom).contains("/api/v1/namespaces/{namespace}/pods/{name}");
    assertThat(dom).contains("/apis/apps/v1/namespaces/{namespace}/deployments");
    assertThat(dom).contains("/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases");

    Path screenshot = Path.of("target", "swagger-ui.png").toAbsolutePath();
    Files.deleteIfExists(screenshot);
    chromium("--screenshot=" + screenshot, "--window-size=1280,1600", url);
    assertThat(screenshot).exists();
    assertThat(Files.size(screenshot)).isGreaterThan(20_000);
  }

  /** Runs headless Chromium with the flags this machine's closed network needs. */
  private static String chromium(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("--virtual-time-budget=20000"));
    command.addAll(List.of(args));
    command = HeadlessChromium.command(profile, command.toArray(String[]::new));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    // Read aside, so that a Chromium that never exits fails the test instead of hanging it.
    java.util.concurrent.CompletableFuture<String> out =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("chromium " + String.join(" ", args) + " did not exit in 120 s");
    }
    String dom = out.get(10, TimeUnit.SECONDS);
    assertThat(p.exitValue()).as(dom).isZero();
    return dom;
  }
}
