package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.support.AgentStandIn;
import io.nauta.api.support.HeadlessChromium;
import io.nauta.api.support.TestApiServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;

/**
 * The root path and the built-in console. {@code GET /} lists the served paths for an API client
 * (as Kubernetes' index, to whoever may get {@code /}) and sends a browser to {@code /console/}
 * without asking for credentials; the console, opened in headless Chromium on a secure server,
 * takes a service account's token from {@code kubectl create token} in its login form (never in a
 * URL), says why a bad token (401) or one without rights (403) shows nothing, shows a deployment's
 * rollout and pods, the node with its pods and recent events, and follows a change through its
 * watches. The screenshot is left in {@code target/console.png}.
 */
class ConsoleIT {

  private static final String NODE = "console-node-1";
  private static final Duration SHOWN = Duration.ofSeconds(15);

  private static TestApiServer server;
  private static ApiCalls api;

  @TempDir static Path profile;

  private static DisposableServer agent;

  @BeforeAll
  static void start() {
    server =
        TestApiServer.startOnEmptyRedis(
            TestApiServer.RESOURCE_METRICS + "true", "nauta.metrics.resolution=1s");
    api = new ApiCalls(server);
    agent = statsSummary();
  }

  @AfterAll
  static void stop() {
    agent.disposeNow();
    server.close();
  }

  /** The node's agent as the metrics scraper reaches it: one pod's usage and the node's. */
  private static DisposableServer statsSummary() {
    Instant started = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
    return AgentStandIn.statsSummary(
        server.pkiDir(),
        () -> {
          Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
          String pod =
              "{\"podRef\":{\"name\":\"web-5d8f7-a\",\"namespace\":\"default\",\"uid\":\"a\"},"
                  + "\"containers\":["
                  + usage("\"name\":\"web\",", started, now, 40, 48)
                  + "]}";
          return Mono.just(
              "{\"node\":"
                  + usage("\"nodeName\":\"" + NODE + "\",", started, now, 250, 512)
                  + ",\"pods\":["
                  + pod
                  + "]}");
        });
  }

  /** Stats of a node or container running at {@code millicores} with {@code mebibytes} in use. */
  private static String usage(
      String name, Instant started, Instant now, long millicores, long mebibytes) {
    long millis = Duration.between(started, now).toMillis();
    return "{"
        + name
        + "\"startTime\":\""
        + started
        + "\",\"cpu\":{\"time\":\""
        + now
        + "\",\"usageNanoCores\":"
        + millicores * 1_000_000
        + ",\"usageCoreNanoSeconds\":"
        + millicores * 1_000 * millis
        + "},\"memory\":{\"time\":\""
        + now
        + "\",\"workingSetBytes\":"
        + mebibytes * 1024 * 1024
        + "}}";
  }

  @Test
  void theRootListsServedPathsForApiClientsAndSendsBrowsersToTheConsole() throws Exception {
    ApiCalls.Response root = api.get("/");
    assertThat(root.status()).as(root.raw()).isEqualTo(200);
    List<String> paths = new ArrayList<>();
    root.body().path("paths").forEach(p -> paths.add(p.asString()));
    assertThat(paths)
        .contains("/api", "/api/v1", "/apis", "/apis/apps", "/apis/apps/v1", "/version")
        .contains("/healthz", "/openapi/v3", "/console")
        .isSorted();

    HttpClient anonymous = server.anonymousHttpClient();
    HttpResponse<String> browser =
        anonymous.send(
            request("/")
                .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
                .build(),
            BodyHandlers.ofString());
    assertThat(browser.statusCode()).isEqualTo(302);
    assertThat(browser.headers().firstValue("Location")).hasValue("/console/");
    // An API client without credentials is refused, as at any other path...
    assertThat(anonymous.send(request("/").build(), BodyHandlers.ofString()).statusCode())
        .isEqualTo(401);
    // ...and a user without cluster-admin too: system:discovery does not grant "/".
    server
        .clientAs("console-someone", "console-team")
        .get()
        .uri("/")
        .exchange()
        .expectStatus()
        .isForbidden();

    // The console's assets need no credentials and forbid anything not from this server.
    HttpResponse<String> page =
        anonymous.send(request("/console/").build(), BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(
            csp -> assertThat(csp).contains("script-src 'self'", "connect-src 'self'"));
    assertThat(page.body()).contains("/console/console.js").doesNotContain("http://", "https://");
    HttpResponse<String> script =
        anonymous.send(request("/console/console.js").build(), BodyHandlers.ofString());
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.body()).contains("Authorization: 'Bearer '");
    // The data is not public: the API behind the console still wants a token.
    assertThat(
            anonymous
                .send(request("/apis/apps/v1/deployments").build(), BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(401);
  }

  @Test
  void theConsoleShowsADeploymentsPodsOnTheirNodeAndFollowsChangesInChromium() throws Exception {
    long started = System.nanoTime();
    createCluster();
    Kubectl kubectl = new Kubectl(server.kubeconfig());
    run(kubectl, "create", "serviceaccount", "console-viewer");
    run(
        kubectl,
        "create",
        "clusterrole",
        "console-reader",
        "--verb=get,list,watch",
        "--resource=nodes,pods,deployments.apps,events,nodes.metrics.k8s.io,pods.metrics.k8s.io");
    run(
        kubectl,
        "create",
        "clusterrolebinding",
        "console-viewer",
        "--clusterrole=console-reader",
        "--serviceaccount=default:console-viewer");
    String token = run(kubectl, "create", "token", "console-viewer").stdout().trim();
    run(kubectl, "create", "serviceaccount", "console-nobody");
    String nobody = run(kubectl, "create", "token", "console-nobody").stdout().trim();

    try (HeadlessChromium chromium = HeadlessChromium.start(profile, 1280, 1000)) {
      // A browser at the server's address lands on the console's login.
      chromium.navigate(server.url() + "/", SHOWN);
      chromium.await(
          "location.pathname + ' ' + !document.getElementById('login').hidden",
          "/console/ true"::equals,
          SHOWN);
      // The stylesheet was let through the Content-Security-Policy.
      assertThat(
              chromium
                  .evaluate("getComputedStyle(document.querySelector('header')).backgroundColor")
                  .asString())
          .isEqualTo("rgb(29, 36, 51)");

      signIn(chromium, "not-a-token");
      chromium.await(
          "document.getElementById('login-message').textContent",
          m -> m.contains("401 Unauthorized"),
          SHOWN);

      // A token the server accepts but RBAC does not let read: each section says so.
      signIn(chromium, nobody);
      String forbidden =
          chromium.await(
              "document.querySelector('#deployments .error').textContent",
              m -> m.contains("Forbidden (403)"),
              SHOWN);
      assertThat(forbidden)
          .contains(
              "User \"system:serviceaccount:default:console-nobody\" cannot list resource"
                  + " \"deployments\"");
      chromium.evaluate("document.getElementById('logout').click(); true");

      signIn(chromium, token);
      String deployment =
          chromium.await(
              text("[data-deployment=\"default/web\"]"),
              t -> t.contains("web-5d8f7-a") && t.contains("web-5d8f7-b"),
              SHOWN);
      assertThat(deployment)
          .contains("2/2 updated, 1/2 ready, 1/2 available", "busybox:stable", "Running");
      String node =
          chromium.await(
              text("[data-node=\"" + NODE + "\"]"), t -> t.contains("default/web-5d8f7-b"), SHOWN);
      assertThat(node).contains("Ready", "200m requested of 2", "128Mi requested of 4Gi");
      // Usage from metrics.k8s.io, which the API server scraped from the node's agent.
      chromium.await(
          text("[data-node=\"" + NODE + "\"]"),
          t -> t.contains("250m used") && t.contains("512Mi used"),
          SHOWN);
      chromium.await(
          text("[data-node] [data-pod=\"default/web-5d8f7-a\"]"), t -> t.contains("48Mi"), SHOWN);
      chromium.await(text("#events"), t -> t.contains("ScalingReplicaSet"), SHOWN);
      assertThat(chromium.evaluate("document.getElementById('who').textContent").asString())
          .contains("system:serviceaccount:default:console-viewer");
      // The token is in the tab's session storage and the Authorization header, not in a URL.
      assertThat(chromium.evaluate("location.href").asString()).doesNotContain(token);
      assertThat(chromium.evaluate("sessionStorage.getItem('nauta.console.token')").asString())
          .isEqualTo(token);

      // Live: a third pod and the finished rollout arrive through the watches, without a reload.
      chromium.evaluate("window.notReloaded = true");
      createPod("web-5d8f7-c", true);
      run(kubectl, "scale", "deployment", "web", "--replicas=3");
      patchStatus(
          "/apis/apps/v1/namespaces/default/deployments/web",
          "{\"status\":{\"observedGeneration\":2,\"replicas\":3,\"updatedReplicas\":3,"
              + "\"readyReplicas\":3,\"availableReplicas\":3}}");
      chromium.await(
          text("[data-deployment=\"default/web\"]"),
          t ->
              t.contains("web-5d8f7-c")
                  && t.contains("3/3 updated, 3/3 ready, 3/3 available")
                  && t.contains("complete"),
          SHOWN);
      assertThat(chromium.evaluate("String(window.notReloaded)").asString()).isEqualTo("true");

      Path screenshot = chromium.screenshot(Path.of("target", "console.png").toAbsolutePath());
      assertThat(Files.size(screenshot)).isGreaterThan(20_000);
      Files.writeString(Path.of("target", "console.html"), chromium.dom());
      System.out.println("Console screenshot: " + screenshot);
    }
    System.out.printf(
        "ConsoleIT: the console in Chromium took %d ms%n",
        Duration.ofNanos(System.nanoTime() - started).toMillis());
  }

  private static String text(String selector) {
    return "(document.querySelector('"
        + selector.replace("'", "\\'")
        + "') || {}).textContent"
        + " || ''";
  }

  /** Types the token into the login form and submits it, as a person pasting it would. */
  private static void signIn(HeadlessChromium chromium, String token) {
    chromium.evaluate(
        "document.getElementById('token').value = "
            + ApiCalls.JSON.writeValueAsString(token)
            + "; document.getElementById('login-form').requestSubmit(); true");
  }

  /** A node, a deployment with two pods on it (one ready), and the event of its scale-up. */
  private static void createCluster() {
    created(
        api.post(
            "/api/v1/nodes",
            "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + NODE + "\"}}"));
    patchStatus(
        "/api/v1/nodes/" + NODE,
        "{\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"}],"
            + "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":"
            + agent.port()
            + "}},\"capacity\":{\"cpu\":\"2\",\"memory\":\"4Gi\",\"pods\":\"110\"},"
            + "\"allocatable\":{\"cpu\":\"2\",\"memory\":\"4Gi\",\"pods\":\"110\"},"
            + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\","
            + "\"lastHeartbeatTime\":\"2026-12-06T10:00:00Z\","
            + "\"lastTransitionTime\":\"2026-12-06T10:00:00Z\"}]}}");
    created(
        api.post(
            "/apis/apps/v1/namespaces/default/deployments",
            "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"},"
                + "\"spec\":{\"replicas\":2,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},"
                + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":"
                + "{\"containers\":[{\"name\":\"web\",\"image\":\"busybox:stable\"}]}}}}"));
    patchStatus(
        "/apis/apps/v1/namespaces/default/deployments/web",
        "{\"status\":{\"observedGeneration\":1,\"replicas\":2,\"updatedReplicas\":2,"
            + "\"readyReplicas\":1,\"availableReplicas\":1}}");
    createPod("web-5d8f7-a", true);
    createPod("web-5d8f7-b", false);
    created(
        api.post(
            "/api/v1/namespaces/default/events",
            "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"web.1\"},"
                + "\"involvedObject\":{\"kind\":\"Deployment\",\"namespace\":\"default\","
                + "\"name\":\"web\",\"apiVersion\":\"apps/v1\"},\"reason\":\"ScalingReplicaSet\","
                + "\"message\":\"Scaled up replica set web-5d8f7 to 2\",\"type\":\"Normal\","
                + "\"count\":1,\"source\":{\"component\":\"deployment-controller\"},"
                + "\"firstTimestamp\":\""
                + Instant.now().truncatedTo(ChronoUnit.SECONDS)
                + "\",\"lastTimestamp\":\""
                + Instant.now().truncatedTo(ChronoUnit.SECONDS)
                + "\"}"));
  }

  private static void createPod(String name, boolean ready) {
    created(
        api.post(
            "/api/v1/namespaces/default/pods",
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\""
                + name
                + "\",\"labels\":{\"app\":\"web\"}},\"spec\":{\"nodeName\":\""
                + NODE
                + "\",\"containers\":[{\"name\":\"web\",\"image\":\"busybox:stable\","
                + "\"resources\":{\"requests\":{\"cpu\":\"100m\",\"memory\":\"64Mi\"}}}]}}"));
    patchStatus(
        "/api/v1/namespaces/default/pods/" + name,
        "{\"status\":{\"phase\":\"Running\",\"podIP\":\"10.244.0."
            + (10 + name.charAt(name.length() - 1) - 'a')
            + "\",\"containerStatuses\":[{\"name\":\"web\",\"image\":\"busybox:stable\","
            + "\"imageID\":\"\",\"ready\":"
            + ready
            + ",\"restartCount\":0,\"state\":{\"running\":"
            + "{\"startedAt\":\"2026-12-06T10:00:00Z\"}}}]}}");
  }

  private static void patchStatus(String path, String patch) {
    ApiCalls.Response r = api.patch(path + "/status", "application/merge-patch+json", patch);
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
  }

  private static void created(ApiCalls.Response r) {
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(server.url() + path));
  }

  private static Kubectl.Result run(Kubectl kubectl, String... args) {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }
}
