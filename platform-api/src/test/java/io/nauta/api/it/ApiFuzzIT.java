package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.support.Objects;
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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Property-based fuzzing of the API server over real HTTP (one server, real Redis, for the whole
 * run): random methods, paths, names, query parameters, selectors, bodies and patches. Whatever
 * comes in, the answer is a 2xx or a 4xx Status, never a 5xx; and a refused write changes nothing
 * (the namespaces' objects are the same, resourceVersions included, before and after).
 */
class ApiFuzzIT {

  private static final String NS = "fuzz";
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private static TestApiServer server;
  private static HttpClient http;

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

  @BeforeContainer
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    ApiCalls api = new ApiCalls(server);
    assertThat(api.post("/api/v1/namespaces", Objects.namespace(NS)).status()).isEqualTo(201);
    assertThat(api.post(base("configmaps"), Objects.configMap("cm", "v")).status()).isEqualTo(201);
    assertThat(api.post(base("pods"), Objects.pod("pod")).status()).isEqualTo(201);
    assertThat(api.post(base("services"), SERVICE).status()).isEqualTo(201);
    assertThat(api.post("/apis/apps/v1/namespaces/" + NS + "/deployments", DEPLOYMENT).status())
        .isEqualTo(201);
  }

  @AfterContainer
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

  @Property(tries = 400, shrinking = ShrinkingMode.OFF)
  void everyAnswerIs2xxOr4xxAndARefusedWriteChangesNothing(@ForAll("requests") Request request)
      throws Exception {
    boolean write = !request.method().equals("GET");
    // Deleting a namespace starts its termination, which changes objects later on its own: that
    // would be mistaken for a refused write changing things. Everything else is fair game.
    Assume.that(!(write && request.method().equals("DELETE") && deletesANamespace(request.path())));
    Map<String, String> before = write ? snapshot() : Map.of();
    Answer answer = send(request);
    assertThat(answer.status() / 100)
        .as("%s answered %s: %s", request, answer.status(), answer.body())
        .isIn(2, 4);
    if (write && answer.status() >= 400) {
      assertThat(snapshot())
          .as("%s was refused (%s) but changed the store", request, answer.status())
          .isEqualTo(before);
    }
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
  private static Answer send(Request r) throws IOException, InterruptedException {
    URI uri;
    try {
      uri = URI.create(server.url() + r.uri());
    } catch (IllegalArgumentException e) {
      Assume.that(false); // not a request a client could send
      throw e;
    }
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

  // ---- generators

  @Provide
  Arbitrary<Request> requests() {
    return Combinators.combine(methods(), paths(), queries(), contentTypes(), bodies())
        .as(Request::new);
  }

  static Arbitrary<String> methods() {
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, Arbitraries.just("GET")),
            net.jqwik.api.Tuple.of(3, Arbitraries.just("POST")),
            net.jqwik.api.Tuple.of(3, Arbitraries.just("PUT")),
            net.jqwik.api.Tuple.of(4, Arbitraries.just("PATCH")),
            net.jqwik.api.Tuple.of(2, Arbitraries.just("DELETE")))
        .map(m -> m);
  }

  /** Names: mostly real ones, then valid-looking, then anything at all. */
  static Arbitrary<String> names() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(
            4, Arbitraries.of("cm", "pod", "svc", "dep", "missing", NS, "default", "ns")),
        net.jqwik.api.Tuple.of(
            2,
            Arbitraries.strings()
                .withCharRange('a', 'z')
                .withChars('-', '.', '0', '9')
                .ofMinLength(1)
                .ofMaxLength(300)),
        net.jqwik.api.Tuple.of(2, Arbitraries.strings().all().ofMinLength(1).ofMaxLength(40)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("..", ".", "%", "a b", "A", "-x", "x-", "_")));
  }

  static Arbitrary<String> resources() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(
            6,
            Arbitraries.of(
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
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12)));
  }

  static Arbitrary<String> paths() {
    Arbitrary<String> prefix =
        Arbitraries.of(
            "/api/v1", "/apis/apps/v1", "/apis/coordination.k8s.io/v1", "/api/v2", "/apis/x/v1");
    Arbitrary<String> namespaced =
        Arbitraries.of(true, true, false)
            .flatMap(b -> b ? names().map(n -> "/namespaces/" + encode(n)) : Arbitraries.just(""));
    Arbitrary<String> watch = Arbitraries.of("", "", "", "", "/watch");
    Arbitrary<String> name =
        Arbitraries.of(true, false)
            .flatMap(b -> b ? names().map(n -> "/" + encode(n)) : Arbitraries.just(""));
    Arbitrary<String> sub =
        Arbitraries.of(
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
    Arbitrary<String> slash = Arbitraries.of("", "", "", "/", "//");
    Arbitrary<String> structured =
        Combinators.combine(prefix, watch, namespaced, resources(), name, sub, slash)
            .as(
                (p, w, ns, res, n, s, sl) ->
                    p + w + ns + "/" + res + n + (n.isEmpty() ? "" : s) + sl);
    Arbitrary<String> other =
        Arbitraries.of(
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
            "/api/v1/namespaces/" + NS + "/pods/pod/log/x");
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(9, structured), net.jqwik.api.Tuple.of(1, other));
  }

  static Arbitrary<Map<String, String>> queries() {
    Arbitrary<String> values =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(
                4,
                Arbitraries.of(
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
            net.jqwik.api.Tuple.of(2, selectors()),
            net.jqwik.api.Tuple.of(1, Arbitraries.strings().all().ofMaxLength(20)),
            // A parameter with no value at all: ?dryRun
            net.jqwik.api.Tuple.of(1, Arbitraries.just((String) null)));
    Arbitrary<String> keys =
        Arbitraries.of(
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
    return Arbitraries.maps(keys, values)
        .ofMaxSize(4)
        .map(
            m -> {
              // A watch ends on its own soon: the run must not wait on streams it never reads.
              Map<String, String> q = new TreeMap<>(m);
              q.put("timeoutSeconds", "1");
              return q;
            });
  }

  /** Label and field selectors from their grammar, often broken. */
  static Arbitrary<String> selectors() {
    Arbitrary<String> key =
        Arbitraries.of(
            "app",
            "a.b/c",
            "metadata.name",
            "metadata.namespace",
            "status.phase",
            "spec.nodeName",
            "",
            "!",
            "x/y/z",
            "k".repeat(70));
    Arbitrary<String> op = Arbitraries.of("=", "==", "!=", " in ", " notin ", "", "!", ">", "<");
    Arbitrary<String> value =
        Arbitraries.of("x", "(a,b)", "(a", "()", "", "-bad-", "v".repeat(70), "a b", "\\,", ",");
    Arbitrary<String> term = Combinators.combine(key, op, value).as((k, o, v) -> k + o + v);
    return term.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(",", l));
  }

  static Arbitrary<String> contentTypes() {
    return Arbitraries.of(
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

  static Arbitrary<String> bodies() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, mutatedSeeds()),
        net.jqwik.api.Tuple.of(3, jsonPatches()),
        net.jqwik.api.Tuple.of(2, json(2).map(JsonNode::toString)),
        net.jqwik.api.Tuple.of(
            1,
            Arbitraries.of(
                "", "{", "[", "null", "\"x\"", "{\"metadata\":", "\u0000", "{}", "[]", "1e999")),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().all().ofMaxLength(50)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(null)));
  }

  /** Any JSON value, nested to at most {@code depth}. */
  static Arbitrary<JsonNode> json(int depth) {
    Arbitrary<JsonNode> leaf =
        Arbitraries.oneOf(
            Arbitraries.strings().all().ofMaxLength(12).map(F::stringNode),
            Arbitraries.of("", "x", "0", "-1", "true", "Always", "TCP", "v1", "1Gi", "500m")
                .map(F::stringNode),
            Arbitraries.longs().map(F::numberNode),
            Arbitraries.of(0L, -1L, 1L, 65536L, Long.MAX_VALUE).map(F::numberNode),
            Arbitraries.doubles().map(F::numberNode),
            Arbitraries.of(true, false).map(F::booleanNode),
            Arbitraries.just(F.nullNode()));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<JsonNode> array =
        json(depth - 1)
            .list()
            .ofMaxSize(3)
            .map(
                l -> {
                  ArrayNode a = F.arrayNode();
                  l.forEach(a::add);
                  return a;
                });
    Arbitrary<JsonNode> object =
        Arbitraries.maps(fieldNames(), json(depth - 1))
            .ofMaxSize(3)
            .map(
                m -> {
                  ObjectNode o = F.objectNode();
                  m.forEach(o::set);
                  return o;
                });
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, leaf),
        net.jqwik.api.Tuple.of(1, array),
        net.jqwik.api.Tuple.of(1, object));
  }

  static Arbitrary<String> fieldNames() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(
            3,
            Arbitraries.of(
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
                "items")),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().all().ofMaxLength(8)));
  }

  /** A valid object with one random change: a field replaced, removed, or added somewhere. */
  static Arbitrary<String> mutatedSeeds() {
    return Combinators.combine(
            Arbitraries.of(SEEDS),
            Arbitraries.integers().between(0, 1000),
            Arbitraries.of("replace", "remove", "add", "none"),
            fieldNames(),
            json(1))
        .as(
            (seed, where, how, field, value) -> {
              ObjectNode obj = (ObjectNode) ApiCalls.JSON.readTree(seed);
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
            });
  }

  private static void collect(JsonNode node, List<ObjectNode> into) {
    if (node instanceof ObjectNode o) {
      into.add(o);
    }
    for (JsonNode child : node.values()) {
      collect(child, into);
    }
  }

  /** JSON patches: operations on real and made-up paths, with any values. */
  static Arbitrary<String> jsonPatches() {
    Arbitrary<String> ops = Arbitraries.of("add", "remove", "replace", "move", "copy", "test", "x");
    Arbitrary<String> paths =
        Arbitraries.of(
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
    Arbitrary<ObjectNode> op =
        Combinators.combine(ops, paths, paths, json(1))
            .as(
                (o, p, from, v) -> {
                  ObjectNode n = F.objectNode();
                  n.put("op", o);
                  n.put("path", p);
                  n.put("from", from);
                  n.set("value", v);
                  return n;
                });
    return op.list()
        .ofMinSize(1)
        .ofMaxSize(3)
        .map(
            l -> {
              ArrayNode a = F.arrayNode();
              l.forEach(a::add);
              return a.toString();
            });
  }
}
