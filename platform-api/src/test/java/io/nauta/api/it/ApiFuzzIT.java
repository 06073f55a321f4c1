package io.nauta.api.it;

import static io.nauta.api.support.RandomChoices.weight;
import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.support.Objects;
import io.nauta.api.support.RandomChoices;
import io.nauta.api.support.TestApiServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Seeded random fuzzing of the API server over real HTTP (one server, real Redis, for the whole
 * run): random methods, paths, names, query parameters, selectors, bodies and patches. Whatever
 * comes in, the answer is a 2xx or a 4xx Status, never a 5xx; and a refused write changes nothing
 * (the namespaces' objects are the same, resourceVersions included, before and after).
 *
 * <p>Every request comes from one {@link java.util.Random}: its seed is the system property {@code
 * nauta.fuzz.seed} when set, otherwise the clock. The seed is printed at the start and is in every
 * failure message; {@code -Dnauta.fuzz.seed=N} replays the same requests in the same order.
 */
class ApiFuzzIT {

  private static final String NS = "fuzz";
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  static final int TRIES = 400;

  private static TestApiServer server;
  private static HttpClient http;
  private static long seed;
  private static RandomChoices random;

  /** Everything a refused write could have changed: every served kind in the fuzzed places. */
  private static final List<String> SNAPSHOT_PATHS =
      List.of(
          "/api/v1/namespaces",
          "/api/v1/nodes",
          "/api/v1/namespaces/" + NS + "/configmaps",
          "/api/v1/namespaces/" + NS + "/pods",
          "/api/v1/namespaces/" + NS + "/services",
          "/api/v1/namespaces/" + NS + "/secrets",
          "/api/v1/namespaces/" + NS + "/endpoints",
          "/api/v1/namespaces/" + NS + "/events",
          "/apis/apps/v1/namespaces/" + NS + "/deployments",
          "/apis/apps/v1/namespaces/" + NS + "/replicasets",
          "/apis/coordination.k8s.io/v1/namespaces/" + NS + "/leases");

  @BeforeAll
  static void start() {
    String property = System.getProperty("nauta.fuzz.seed");
    seed =
        property == null || property.isBlank()
            ? System.nanoTime()
            : Long.parseLong(property.trim());
    System.out.println("ApiFuzzIT: seed " + seed + " (replay with -Dnauta.fuzz.seed=" + seed + ")");
    random = new RandomChoices(seed);
    server = TestApiServer.startOnEmptyRedis();
    http = server.httpClientBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    ApiCalls api = new ApiCalls(server);
    assertThat(api.post("/api/v1/namespaces", Objects.namespace(NS)).status()).isEqualTo(201);
    assertThat(api.post(base("configmaps"), Objects.configMap("cm", "v")).status()).isEqualTo(201);
    assertThat(api.post(base("pods"), Objects.pod("pod")).status()).isEqualTo(201);
    assertThat(api.post(base("services"), SERVICE).status()).isEqualTo(201);
    assertThat(api.post("/apis/apps/v1/namespaces/" + NS + "/deployments", DEPLOYMENT).status())
        .isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static String base(String plural) {
    return "/api/v1/namespaces/" + NS + "/" + plural;
  }

  static final String SERVICE =
      """
      {"apiVersion":"v1","kind":"Service","metadata":{"name":"svc","labels":{"app":"x"}},
       "spec":{"selector":{"app":"x"},"ports":[{"name":"http","port":80}]}}""";

  static final String DEPLOYMENT =
      """
      {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"dep"},
       "spec":{"replicas":1,"selector":{"matchLabels":{"app":"d"}},
        "template":{"metadata":{"labels":{"app":"d"}},
         "spec":{"containers":[{"name":"c","image":"nauta/busybox:local"}]}}}}""";

  static final List<String> SEEDS =
      List.of(
          Objects.configMap("cm", "v"),
          Objects.pod("pod"),
          SERVICE,
          DEPLOYMENT,
          Objects.namespace("ns"),
          """
          {"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"stringData":{"a":"b"}}""",
          """
          {"apiVersion":"v1","kind":"DeleteOptions","gracePeriodSeconds":0,
           "preconditions":{"uid":"x","resourceVersion":"1"},"propagationPolicy":"Background"}""",
          """
          {"apiVersion":"v1","kind":"Binding","metadata":{"name":"pod"},"target":{"name":"n"}}""",
          """
          {"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"dep"},
           "spec":{"replicas":2}}""");

  record Request(
      String method, String path, Map<String, String> query, String contentType, String body) {

    @Override
    public String toString() {
      return method + " " + uri() + " [" + contentType + "] " + body;
    }

    String uri() {
      StringBuilder q = new StringBuilder();
      query.forEach(
          (k, v) ->
              q.append(q.isEmpty() ? "?" : "&")
                  .append(encode(k))
                  .append(v == null ? "" : "=" + encode(v)));
      return path + q;
    }
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  // ---- the property

  @Test
  void everyAnswerIs2xxOr4xxAndARefusedWriteChangesNothing() throws Exception {
    int checked = 0;
    for (int i = 1; i <= TRIES; i++) {
      String where = "seed " + seed + " (-Dnauta.fuzz.seed=" + seed + "), try " + i + "/" + TRIES;
      Request request = request();
      if (check(request, where)) {
        checked++;
      }
    }
    // Skipped requests are rare; if most were skipped, the generators have gone wrong.
    assertThat(checked)
        .as("seed %s: requests checked of %s (the others could not be sent)", seed, TRIES)
        .isGreaterThan(TRIES / 2);
  }

  /** Sends one request and checks the answer; false when the request is skipped. */
  private static boolean check(Request request, String where) throws Exception {
    boolean write = !request.method().equals("GET");
    // Deleting a namespace starts its termination, which changes objects later on its own: that
    // would be mistaken for a refused write changing things. Everything else is fair game.
    if (write && request.method().equals("DELETE") && deletesANamespace(request.path())) {
      return false;
    }
    URI uri;
    try {
      uri = URI.create(server.url() + request.uri());
    } catch (IllegalArgumentException e) {
      return false; // not a request a client could send
    }
    Map<String, String> before = write ? snapshot() : Map.of();
    Answer answer = send(request, uri);
    if (tooLargeResourceVersion(answer)) {
      return true;
    }
    assertThat(answer.status() / 100)
        .as("%s: %s answered %s: %s", where, request, answer.status(), answer.body())
        .isIn(2, 4);
    if (write && answer.status() >= 400) {
      assertThat(snapshot())
          .as("%s: %s was refused (%s) but changed the store", where, request, answer.status())
          .isEqualTo(before);
    }
    return true;
  }

  /**
   * The one 5xx Kubernetes answers to bad input by design: a read at a resourceVersion the store
   * has not reached waits (3 s) and then is 504 Timeout "Too large resource version", with
   * retryAfterSeconds, so that a client behind a lagging cache retries.
   */
  private static boolean tooLargeResourceVersion(Answer answer) {
    return answer.status() == 504
        && answer.body().matches("(?s).*\"reason\"\\s*:\\s*\"Timeout\".*")
        && answer.body().contains("Too large resource version");
  }

  private static boolean deletesANamespace(String path) {
    String p = path.replaceAll("/+$", "");
    return p.matches("/api/v1/namespaces(/[^/]+)?");
  }

  record Answer(int status, String body) {}

  /**
   * Sends the request and reads at most 64 KiB of the answer: a watch streams forever, and its
   * status arrives with its headers.
   */
  private static Answer send(Request r, URI uri) throws IOException, InterruptedException {
    HttpRequest.BodyPublisher body =
        r.body() == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(r.body());
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).method(r.method(), body);
    if (r.contentType() != null) {
      b.header("Content-Type", r.contentType());
    }
    HttpResponse<InputStream> response =
        http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = response.body()) {
      boolean streaming =
          response.statusCode() == 200 && response.headers().firstValue("Content-Length").isEmpty();
      String text = streaming ? "" : new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
      return new Answer(response.statusCode(), text);
    }
  }

  private static Map<String, String> snapshot() throws IOException, InterruptedException {
    Map<String, String> objects = new TreeMap<>();
    for (String path : SNAPSHOT_PATHS) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      for (JsonNode item : ApiCalls.JSON.readTree(r.body()).path("items")) {
        JsonNode meta = item.path("metadata");
        objects.put(
            path + " " + meta.path("namespace").asString("") + "/" + meta.path("name").asString(),
            meta.path("resourceVersion").asString());
      }
    }
    return objects;
  }

  // ---- generators: each draws one value from the seeded random, in a fixed order

  static Request request() {
    // One after another, in this order: the seed replays the same requests only if it stays so.
    String method = method();
    String path = path();
    Map<String, String> query = query();
    String contentType = contentType();
    String body = body();
    return new Request(method, path, query, contentType, body);
  }

  static String method() {
    return random.weighted(
        weight(4, () -> "GET"),
        weight(3, () -> "POST"),
        weight(3, () -> "PUT"),
        weight(4, () -> "PATCH"),
        weight(2, () -> "DELETE"));
  }

  /** Names: mostly real ones, then valid-looking, then anything at all. */
  static String name() {
    return random.weighted(
        weight(4, () -> random.of("cm", "pod", "svc", "dep", "missing", NS, "default", "ns")),
        weight(2, () -> random.string("abcdefghijklmnopqrstuvwxyz-.09", 1, 300)),
        weight(2, () -> random.anyString(1, 40)),
        weight(1, () -> random.of("..", ".", "%", "a b", "A", "-x", "x-", "_")));
  }

  static String resource() {
    return random.weighted(
        weight(
            6,
            () ->
                random.of(
                    "configmaps",
                    "pods",
                    "services",
                    "secrets",
                    "endpoints",
                    "events",
                    "namespaces",
                    "nodes",
                    "leases",
                    "deployments",
                    "replicasets")),
        weight(1, () -> random.string(ALPHA, 1, 12)));
  }

  private static final String ALPHA = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

  static String path() {
    return random.weighted(
        weight(9, ApiFuzzIT::structuredPath),
        weight(
            1,
            () ->
                random.of(
                    "/",
                    "/api",
                    "/apis",
                    "/version",
                    "/version/",
                    "/apis/apps",
                    "/openapi/v3",
                    "/openapi/v3/api/v1",
                    "/openapi/v3/nothing",
                    "/healthz",
                    "/api/v1/namespaces/" + NS,
                    "/apis/apps/v1/nothing",
                    "/api/v1/namespaces/" + NS + "/pods/pod/log/x")));
  }

  /** prefix [/watch] [/namespaces/name] /resource [/name [/subresource]] [slashes] */
  static String structuredPath() {
    String prefix =
        random.of(
            "/api/v1", "/apis/apps/v1", "/apis/coordination.k8s.io/v1", "/api/v2", "/apis/x/v1");
    String watch = random.of("", "", "", "", "/watch");
    String namespaced = random.of(true, true, false) ? "/namespaces/" + encode(name()) : "";
    String resource = resource();
    String name = random.nextBoolean() ? "/" + encode(name()) : "";
    String sub =
        random.of(
            "",
            "",
            "",
            "",
            "/status",
            "/scale",
            "/log",
            "/binding",
            "/finalize",
            "/x",
            "/status/x");
    String slash = random.of("", "", "", "/", "//");
    return prefix
        + watch
        + namespaced
        + "/"
        + resource
        + name
        + (name.isEmpty() ? "" : sub)
        + slash;
  }

  static final List<String> QUERY_KEYS =
      List.of(
          "watch",
          "labelSelector",
          "fieldSelector",
          "resourceVersion",
          "resourceVersionMatch",
          "limit",
          "continue",
          "allowWatchBookmarks",
          "sendInitialEvents",
          "dryRun",
          "fieldValidation",
          "fieldManager",
          "gracePeriodSeconds",
          "propagationPolicy",
          "orphanDependents",
          "pretty",
          "includeObject",
          "container",
          "follow",
          "previous",
          "sinceSeconds",
          "sinceTime",
          "tailLines",
          "limitBytes",
          "timestamps",
          "force",
          "x");

  static Map<String, String> query() {
    Map<String, String> q =
        new TreeMap<>(random.map(4, () -> random.of(QUERY_KEYS), ApiFuzzIT::queryValue));
    // A watch ends on its own soon: the run must not wait on streams it never reads.
    q.put("timeoutSeconds", "1");
    return q;
  }

  static String queryValue() {
    return random.weighted(
        weight(
            4,
            () ->
                random.of(
                    "",
                    "true",
                    "True",
                    "f",
                    "1",
                    "0",
                    "-1",
                    "All",
                    "Strict",
                    "Warn",
                    "Ignore",
                    "Exact",
                    "NotOlderThan",
                    "Background",
                    "Foreground",
                    "Orphan",
                    "Object",
                    "None",
                    "9223372036854775807",
                    "9223372036854775808",
                    "10000000000",
                    "MTIzCmE",
                    "LTEKYQ",
                    "abc",
                    "app",
                    "app=x",
                    "metadata.name=cm")),
        weight(2, ApiFuzzIT::selector),
        weight(1, () -> random.anyString(0, 20)),
        // A parameter with no value at all: ?dryRun
        weight(1, () -> (String) null));
  }

  /** Label and field selectors from their grammar, often broken. */
  static String selector() {
    return String.join(
        ",",
        random.list(
            1,
            3,
            () ->
                random.of(
                        "app",
                        "a.b/c",
                        "metadata.name",
                        "metadata.namespace",
                        "status.phase",
                        "spec.nodeName",
                        "",
                        "!",
                        "x/y/z",
                        "k".repeat(70))
                    + random.of("=", "==", "!=", " in ", " notin ", "", "!", ">", "<")
                    + random.of(
                        "x", "(a,b)", "(a", "()", "", "-bad-", "v".repeat(70), "a b", "\\,", ",")));
  }

  static String contentType() {
    return random.of(
        "application/json",
        "application/json",
        "application/merge-patch+json",
        "application/strategic-merge-patch+json",
        "application/json-patch+json",
        "application/apply-patch+yaml",
        "application/vnd.kubernetes.protobuf",
        "text/plain",
        "application/json; charset=utf-8",
        "not a media type");
  }

  static String body() {
    return random.weighted(
        weight(5, ApiFuzzIT::mutatedSeed),
        weight(3, ApiFuzzIT::jsonPatch),
        weight(2, () -> json(2).toString()),
        weight(
            1,
            () ->
                random.of(
                    "",
                    "{",
                    "[",
                    "null",
                    "\"x\"",
                    "{\"metadata\":",
                    "\u0000",
                    "{}",
                    "[]",
                    "1e999")),
        weight(1, () -> random.anyString(0, 50)),
        weight(1, () -> (String) null));
  }

  /** Any JSON value, nested to at most {@code depth}. */
  static JsonNode json(int depth) {
    if (depth == 0) {
      return leaf();
    }
    return random.weighted(
        weight(3, ApiFuzzIT::leaf),
        weight(
            1,
            () -> {
              ArrayNode a = F.arrayNode();
              random.list(0, 3, () -> json(depth - 1)).forEach(a::add);
              return a;
            }),
        weight(
            1,
            () -> {
              ObjectNode o = F.objectNode();
              random.map(3, ApiFuzzIT::fieldName, () -> json(depth - 1)).forEach(o::set);
              return o;
            }));
  }

  /** A scalar: any string, a meaningful string, any or an edge number, a boolean, null. */
  static JsonNode leaf() {
    return switch (random.between(0, 6)) {
      case 0 -> F.stringNode(random.anyString(0, 12));
      case 1 ->
          F.stringNode(random.of("", "x", "0", "-1", "true", "Always", "TCP", "v1", "1Gi", "500m"));
      case 2 -> F.numberNode(random.anyLong());
      case 3 -> F.numberNode((long) random.of(0L, -1L, 1L, 65536L, Long.MAX_VALUE));
      case 4 -> F.numberNode(random.anyFiniteDouble());
      case 5 -> F.booleanNode(random.nextBoolean());
      default -> F.nullNode();
    };
  }

  static final List<String> FIELD_NAMES =
      List.of(
          "metadata",
          "name",
          "namespace",
          "labels",
          "annotations",
          "resourceVersion",
          "generateName",
          "uid",
          "finalizers",
          "ownerReferences",
          "deletionTimestamp",
          "spec",
          "status",
          "data",
          "binaryData",
          "stringData",
          "kind",
          "apiVersion",
          "containers",
          "image",
          "ports",
          "port",
          "nodePort",
          "targetPort",
          "clusterIP",
          "type",
          "selector",
          "replicas",
          "template",
          "resources",
          "limits",
          "requests",
          "$patch",
          "$retainKeys",
          "$setElementOrder/containers",
          "$deleteFromPrimitiveList/finalizers",
          "gracePeriodSeconds",
          "propagationPolicy",
          "preconditions",
          "target",
          "items");

  static String fieldName() {
    return random.weighted(
        weight(3, () -> random.of(FIELD_NAMES)), weight(1, () -> random.anyString(0, 8)));
  }

  /** A valid object with one random change: a field replaced, removed, or added somewhere. */
  static String mutatedSeed() {
    String seedObject = random.of(SEEDS);
    int where = random.between(0, 1000);
    String how = random.of("replace", "remove", "add", "none");
    String field = fieldName();
    JsonNode value = json(1);
    ObjectNode obj = (ObjectNode) ApiCalls.JSON.readTree(seedObject);
    List<ObjectNode> containers = new ArrayList<>();
    collect(obj, containers);
    ObjectNode target = containers.get(where % containers.size());
    List<String> fields = new ArrayList<>(target.propertyNames());
    switch (how) {
      case "replace" -> {
        if (!fields.isEmpty()) {
          target.set(fields.get(where % fields.size()), value);
        }
      }
      case "remove" -> {
        if (!fields.isEmpty()) {
          target.remove(fields.get(where % fields.size()));
        }
      }
      case "add" -> target.set(field, value);
      default -> {}
    }
    return obj.toString();
  }

  private static void collect(JsonNode node, List<ObjectNode> into) {
    if (node instanceof ObjectNode o) {
      into.add(o);
    }
    for (JsonNode child : node.values()) {
      collect(child, into);
    }
  }

  static final List<String> PATCH_PATHS =
      List.of(
          "/metadata/name",
          "/metadata/labels/a",
          "/metadata/resourceVersion",
          "/data/key",
          "/spec/replicas",
          "/spec/containers/0/image",
          "/spec/containers/-",
          "/spec/ports/0",
          "/metadata/finalizers/-",
          "",
          "/",
          "x",
          "/a~2b",
          "/spec/containers/99",
          "/status");

  /** JSON patches: operations on real and made-up paths, with any values. */
  static String jsonPatch() {
    ArrayNode a = F.arrayNode();
    random
        .list(
            1,
            3,
            () -> {
              ObjectNode n = F.objectNode();
              n.put("op", random.of("add", "remove", "replace", "move", "copy", "test", "x"));
              n.put("path", random.of(PATCH_PATHS));
              n.put("from", random.of(PATCH_PATHS));
              n.set("value", json(1));
              return n;
            })
        .forEach(a::add);
    return a.toString();
  }
}
