package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.nauta.api.support.TestApiServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * events.k8s.io/v1 Events over the core Events' storage, as Kubernetes serves them: what is written
 * through one API is read, listed and watched through the other, converted; a write sent to
 * events.k8s.io/v1 is held to that API's stricter rules; its field selectors use its own names;
 * fabric8's {@code events().v1()} DSL and the real kubectl use it.
 */
class EventsV1IT {

  private static final String NS = "evv1";
  private static final String CORE = "/api/v1/namespaces/" + NS + "/events";
  private static final String V1 = "/apis/events.k8s.io/v1/namespaces/" + NS + "/events";

  private static TestApiServer server;
  private static ApiCalls api;
  private static KubernetesClient client;
  private static Kubectl kubectl;

  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
    api = new ApiCalls(server);
    client = fabric8Client(server, NS);
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    kubectl = new Kubectl(server.kubeconfig(dir));
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  /** What client-go's event recorder (k8s.io/client-go/tools/events) posts. */
  private static Event recorded(String name, String regarding) {
    return new io.fabric8.kubernetes.api.model.events.v1.EventBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .endMetadata()
        .withRegarding(
            new ObjectReferenceBuilder()
                .withApiVersion("v1")
                .withKind("Pod")
                .withNamespace(NS)
                .withName(regarding)
                .build())
        .withEventTime(new MicroTime("2026-01-02T03:04:05.123456Z"))
        .withReportingController("default-scheduler")
        .withReportingInstance("default-scheduler-node-1")
        .withAction("Binding")
        .withReason("Scheduled")
        .withType("Normal")
        .withNote("Successfully assigned " + NS + "/" + regarding + " to node-1")
        .build();
  }

  /** An old-style core Event (no eventTime), as client-go's older recorder writes them. */
  private static EventBuilder legacy(String name, String pod, String reason, String message) {
    return new EventBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewInvolvedObject()
        .withKind("Pod")
        .withNamespace(NS)
        .withName(pod)
        .endInvolvedObject()
        .withReason(reason)
        .withMessage(message)
        .withType("Normal");
  }

  private static void createCore(EventBuilder event) {
    client.v1().events().inNamespace(NS).resource(event.build()).create();
  }

  @Test
  void discoveryServesTheGroup() {
    JsonNode groups = api.get("/apis").body();
    assertThat(groups.path("groups").findValuesAsString("name")).contains("events.k8s.io");
    JsonNode group = api.get("/apis/events.k8s.io").body();
    assertThat(group.path("preferredVersion").path("groupVersion").asString())
        .isEqualTo("events.k8s.io/v1");
    JsonNode resources = api.get("/apis/events.k8s.io/v1").body().path("resources");
    assertThat(resources).hasSize(1);
    assertThat(resources.get(0).path("name").asString()).isEqualTo("events");
    assertThat(resources.get(0).path("kind").asString()).isEqualTo("Event");
    assertThat(resources.get(0).path("namespaced").asBoolean()).isTrue();
    assertThat(resources.get(0).path("verbs").toString()).contains("watch", "create", "patch");
  }

  @Test
  void anEventWrittenThroughEventsV1IsReadAsCoreAndBack() {
    Event created = client.events().v1().events().resource(recorded("web.1", "web")).create();
    assertThat(created.getApiVersion()).isEqualTo("events.k8s.io/v1");
    assertThat(created.getRegarding().getName()).isEqualTo("web");
    assertThat(created.getReportingController()).isEqualTo("default-scheduler");

    io.fabric8.kubernetes.api.model.Event core =
        client.v1().events().inNamespace(NS).withName("web.1").get();
    assertThat(core.getApiVersion()).isEqualTo("v1");
    assertThat(core.getInvolvedObject().getName()).isEqualTo("web");
    assertThat(core.getMessage()).isEqualTo("Successfully assigned evv1/web to node-1");
    assertThat(core.getReportingComponent()).isEqualTo("default-scheduler");
    assertThat(core.getReportingInstance()).isEqualTo("default-scheduler-node-1");
    assertThat(core.getAction()).isEqualTo("Binding");
    assertThat(core.getEventTime().getTime()).isEqualTo("2026-01-02T03:04:05.123456Z");
    assertThat(core.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());

    JsonNode raw = api.get(CORE + "/web.1").body();
    assertThat(raw.has("regarding")).isFalse();
    assertThat(raw.has("note")).isFalse();
    assertThat(raw.has("reportingController")).isFalse();
    JsonNode rawV1 = api.get(V1 + "/web.1").body();
    assertThat(rawV1.path("apiVersion").asString()).isEqualTo("events.k8s.io/v1");
    assertThat(rawV1.has("involvedObject")).isFalse();
    assertThat(rawV1.has("message")).isFalse();
    assertThat(rawV1.path("note").asString()).isEqualTo(core.getMessage());
  }

  @Test
  void anOldStyleCoreEventIsReadThroughEventsV1WithItsDeprecatedFields() {
    createCore(
        legacy("db.1", "db", "Pulled", "pulled the image")
            .withCount(3)
            .withFirstTimestamp("2026-01-02T03:00:00Z")
            .withLastTimestamp("2026-01-02T03:05:00Z")
            .withNewSource()
            .withComponent("kubelet")
            .withHost("node-1")
            .endSource());

    Event v1 = client.events().v1().events().withName("db.1").get();
    assertThat(v1.getRegarding().getName()).isEqualTo("db");
    assertThat(v1.getNote()).isEqualTo("pulled the image");
    assertThat(v1.getDeprecatedCount()).isEqualTo(3);
    assertThat(v1.getDeprecatedFirstTimestamp()).isEqualTo("2026-01-02T03:00:00Z");
    assertThat(v1.getDeprecatedLastTimestamp()).isEqualTo("2026-01-02T03:05:00Z");
    assertThat(v1.getDeprecatedSource().getComponent()).isEqualTo("kubelet");
    assertThat(v1.getDeprecatedSource().getHost()).isEqualTo("node-1");
    assertThat(v1.getReportingController()).isNull();

    List<String> names =
        client.events().v1().events().list().getItems().stream()
            .map(e -> e.getMetadata().getName())
            .toList();
    assertThat(names).contains("db.1");
    assertThat(api.get(V1).body().path("kind").asString()).isEqualTo("EventList");
    assertThat(api.get(V1).body().path("apiVersion").asString()).isEqualTo("events.k8s.io/v1");
  }

  @Test
  void aWatchOnEitherApiSeesAWriteThroughTheOther() {
    List<io.fabric8.kubernetes.api.model.Event> seenAsCore = new CopyOnWriteArrayList<>();
    List<Event> seenAsV1 = new CopyOnWriteArrayList<>();
    try (Watch core =
            client
                .v1()
                .events()
                .inNamespace(NS)
                .withField("involvedObject.name", "watched")
                .watch(collect(seenAsCore));
        Watch v1 =
            client
                .events()
                .v1()
                .events()
                .withField("regarding.name", "watched")
                .watch(collect(seenAsV1))) {
      client.events().v1().events().resource(recorded("watched.1", "watched")).create();
      createCore(legacy("watched.2", "watched", "Killing", "stopping"));

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> seenAsCore.size() >= 2 && seenAsV1.size() >= 2);
    }
    assertThat(seenAsCore)
        .extracting(io.fabric8.kubernetes.api.model.Event::getMessage)
        .containsExactly("Successfully assigned evv1/watched to node-1", "stopping");
    assertThat(seenAsCore)
        .allSatisfy(e -> assertThat(e.getApiVersion()).isEqualTo("v1"))
        .extracting(e -> e.getInvolvedObject().getName())
        .containsOnly("watched");
    assertThat(seenAsV1)
        .extracting(Event::getNote)
        .containsExactly("Successfully assigned evv1/watched to node-1", "stopping");
    assertThat(seenAsV1)
        .allSatisfy(e -> assertThat(e.getApiVersion()).isEqualTo("events.k8s.io/v1"))
        .extracting(e -> e.getRegarding().getName())
        .containsOnly("watched");
  }

  private static <T> Watcher<T> collect(List<T> into) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        if (action == Action.ADDED) {
          into.add(resource);
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  @Test
  void anEventsV1CreateIsHeldToThatApisRules() {
    // eventTime set: the reporter's fields are required (upstream's legacy rules for new events)
    ApiCalls.Response missing =
        api.post(
            V1,
            """
            {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"bad.1"},
             "regarding":{"kind":"Pod","namespace":"evv1","name":"web"},
             "eventTime":"2026-01-02T03:04:05.000000Z","reason":"Scheduled","type":"Normal"}""");
    assertThat(missing.status()).as(missing.raw()).isEqualTo(422);
    assertThat(missing.reason()).isEqualTo("Invalid");
    String message = missing.body().path("message").asString();
    assertThat(message)
        .startsWith("Event \"bad.1\" is invalid: ")
        .contains(
            "reportingController: Required value",
            "reportingInstance: Required value",
            "action: Required value");
    assertThat(missing.body().path("details").path("causes").findValuesAsString("field"))
        .contains("reportingController", "reportingInstance", "action");

    // no eventTime, an unknown type, the deprecated fields set: only events.k8s.io refuses these
    String legacy =
        """
        {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"bad.2"},
         "regarding":{"kind":"Pod","namespace":"evv1","name":"web"},"reason":"Started",
         "type":"Info","deprecatedCount":2,"deprecatedSource":{"component":"kubelet"},
         "deprecatedFirstTimestamp":"2026-01-02T03:00:00Z",
         "series":{"count":1}}""";
    ApiCalls.Response refused = api.post(V1, legacy);
    assertThat(refused.status()).as(refused.raw()).isEqualTo(422);
    assertThat(refused.body().path("message").asString())
        .contains(
            "series.count: Invalid value: \"\": should be at least 2",
            "series.lastObservedTime: Required value",
            "eventTime: Required value",
            "type: Invalid value: \"\": has invalid value: Info",
            "firstTimestamp: Invalid value: \"\": needs to be unset",
            "count: Invalid value: \"\": needs to be unset",
            "source: Invalid value: \"\": needs to be unset")
        .doesNotContain("lastTimestamp");
    assertThat(api.get(CORE + "/bad.1").status()).isEqualTo(404);
    assertThat(api.get(CORE + "/bad.2").status()).isEqualTo(404);

    // The same event through the core API is an old-style event, which is allowed.
    String asCore =
        """
        {"apiVersion":"v1","kind":"Event","metadata":{"name":"bad.2"},
         "involvedObject":{"kind":"Pod","namespace":"evv1","name":"web"},"reason":"Started",
         "type":"Info","count":2,"source":{"component":"kubelet"},
         "firstTimestamp":"2026-01-02T03:00:00Z"}""";
    assertThat(api.post(CORE, asCore).status()).isEqualTo(201);
  }

  @Test
  void anEventsV1UpdateMayMoveTheSeriesButNotRewriteTheEvent() {
    client.events().v1().events().resource(recorded("series.1", "series")).create();
    // What client-go's recorder does when the event recurs.
    ApiCalls.Response patched =
        api.patch(
            V1 + "/series.1",
            "application/strategic-merge-patch+json",
            """
            {"series":{"count":2,"lastObservedTime":"2026-01-02T03:10:00.000000Z"}}""");
    assertThat(patched.status()).as(patched.raw()).isEqualTo(200);
    assertThat(patched.body().path("series").path("count").asInt()).isEqualTo(2);
    JsonNode core = api.get(CORE + "/series.1").body();
    assertThat(core.path("series").path("count").asInt()).isEqualTo(2);
    assertThat(core.path("series").path("lastObservedTime").asString())
        .isEqualTo("2026-01-02T03:10:00.000000Z");

    ApiCalls.Response rewritten =
        api.patch(V1 + "/series.1", "application/merge-patch+json", "{\"note\":\"other\"}");
    assertThat(rewritten.status()).as(rewritten.raw()).isEqualTo(422);
    assertThat(rewritten.body().path("message").asString())
        .contains("message: Invalid value: \"other\": field is immutable");
    // Through the core API the same change is allowed, as upstream's legacy rules allow it.
    ApiCalls.Response viaCore =
        api.patch(CORE + "/series.1", "application/merge-patch+json", "{\"message\":\"other\"}");
    assertThat(viaCore.status()).as(viaCore.raw()).isEqualTo(200);
    assertThat(api.get(V1 + "/series.1").body().path("note").asString()).isEqualTo("other");

    // Deleted through events.k8s.io, gone from both.
    ApiCalls.Response deleted = api.delete(V1 + "/series.1");
    assertThat(deleted.status()).as(deleted.raw()).isEqualTo(200);
    assertThat(deleted.body().path("apiVersion").asString()).isEqualTo("events.k8s.io/v1");
    assertThat(deleted.body().path("regarding").path("name").asString()).isEqualTo("series");
    assertThat(api.get(CORE + "/series.1").status()).isEqualTo(404);
    assertThat(api.get(V1 + "/series.1").status()).isEqualTo(404);
  }

  @Test
  void fieldSelectorsUseEachApisOwnNames() {
    client.events().v1().events().resource(recorded("sel.1", "picked")).create();
    client.events().v1().events().resource(recorded("sel.2", "other")).create();

    assertThat(names(V1 + "?fieldSelector=regarding.name=picked")).containsExactly("sel.1");
    assertThat(names(CORE + "?fieldSelector=involvedObject.name=picked")).containsExactly("sel.1");
    assertThat(
            names(
                V1 + "?fieldSelector=reportingController=default-scheduler,regarding.name!=picked"))
        .contains("sel.2")
        .doesNotContain("sel.1");
    assertThat(names(V1 + "?fieldSelector=regarding.kind=Pod,type=Normal,reason=Scheduled"))
        .contains("sel.1", "sel.2");

    ApiCalls.Response coreName = api.get(V1 + "?fieldSelector=involvedObject.name=picked");
    assertThat(coreName.status()).isEqualTo(400);
    assertThat(coreName.body().path("message").asString())
        .isEqualTo("field label not supported: involvedObject.name");
    ApiCalls.Response v1Name = api.get(CORE + "?fieldSelector=regarding.name=picked");
    assertThat(v1Name.status()).isEqualTo(400);
    assertThat(v1Name.body().path("message").asString())
        .isEqualTo("field label not supported: regarding.name");
  }

  private static List<String> names(String path) {
    ApiCalls.Response r = api.get(path);
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    return r.body().path("items").findValuesAsString("name").stream()
        .filter(n -> n.contains("."))
        .toList();
  }

  @Test
  void kubectlListsAndShowsThem() {
    client.events().v1().events().resource(recorded("kubectl.1", "kubectl-pod")).create();

    Kubectl.Result resources = kubectl.run("api-resources", "--api-group=events.k8s.io");
    assertThat(resources.exitCode()).as(resources.toString()).isZero();
    assertThat(resources.stdout())
        .containsPattern("events\\s+ev\\s+events.k8s.io/v1\\s+true\\s+Event");

    Kubectl.Result all = kubectl.run("get", "events.events.k8s.io", "-A");
    assertThat(all.exitCode()).as(all.toString()).isZero();
    assertThat(all.stdout())
        .containsPattern("NAMESPACE\\s+LAST SEEN\\s+TYPE\\s+REASON\\s+OBJECT\\s+MESSAGE")
        .containsPattern(
            "evv1\\s+\\S+\\s+Normal\\s+Scheduled\\s+pod/kubectl-pod\\s+"
                + "Successfully assigned evv1/kubectl-pod to node-1");

    Kubectl.Result yaml =
        kubectl.run("get", "events.v1.events.k8s.io", "-n", NS, "kubectl.1", "-o", "yaml");
    assertThat(yaml.exitCode()).as(yaml.toString()).isZero();
    assertThat(yaml.stdout())
        .contains("apiVersion: events.k8s.io/v1", "regarding:", "reportingController:")
        .doesNotContain("involvedObject:");

    // Plain "events" (and "ev") stay the core API, as with Kubernetes' group priorities.
    for (String name : List.of("events", "ev")) {
      Kubectl.Result core =
          kubectl.run("get", name, "-n", NS, "kubectl.1", "-o", "jsonpath={.apiVersion}");
      assertThat(core.exitCode()).as(core.toString()).isZero();
      assertThat(core.stdout()).isEqualTo("v1");
    }

    Kubectl.Result events = kubectl.run("events", "-n", NS, "--for", "pod/kubectl-pod");
    assertThat(events.exitCode()).as(events.toString()).isZero();
    assertThat(events.stdout())
        .containsPattern(
            "Normal\\s+Scheduled\\s+Pod/kubectl-pod\\s+Successfully assigned evv1/kubectl-pod");
  }

  @Test
  void theSchedulersRoleMayWriteEventsThroughEitherApi() {
    JsonNode role =
        api.get("/apis/rbac.authorization.k8s.io/v1/clusterroles/system:kube-scheduler").body();
    assertThat(role.path("rules").toString())
        .containsPattern(
            "\"apiGroups\":\\[\"\",\"events.k8s.io\"\\],\"resources\":\\[\"events\"\\]");
  }

  @Test
  void theOpenApiDocumentsDescribeIt() {
    JsonNode v2 = api.get("/openapi/v2").body();
    JsonNode schema = v2.path("definitions").path("io.k8s.api.events.v1.Event");
    assertThat(schema.path("properties").has("regarding")).isTrue();
    assertThat(schema.path("x-kubernetes-group-version-kind").toString())
        .contains("events.k8s.io", "Event");
    assertThat(v2.path("paths").has("/apis/events.k8s.io/v1/namespaces/{namespace}/events"))
        .isTrue();
    ApiCalls.Response v3 = api.get("/openapi/v3/apis/events.k8s.io/v1");
    assertThat(v3.status()).as(v3.raw()).isEqualTo(200);
    assertThat(v3.body().path("components").path("schemas").has("io.k8s.api.events.v1.Event"))
        .isTrue();
  }

  /**
   * fabric8's client as the admin, on the JDK HTTP client, in {@code namespace}, without retries (a
   * refused request is the test's answer, not something to try again).
   */
  // Not in TestApiServer: the other modules' tests use it without fabric8's client on their path.
  private static io.fabric8.kubernetes.client.KubernetesClient fabric8Client(
      TestApiServer server, String namespace) {
    return new io.fabric8.kubernetes.client.KubernetesClientBuilder()
        .withConfig(
            new io.fabric8.kubernetes.client.ConfigBuilder(
                    io.fabric8.kubernetes.client.Config.fromKubeconfig(
                        server.kubeconfig().toFile()))
                .withNamespace(namespace)
                .withRequestRetryBackoffLimit(0)
                .build())
        .withHttpClientFactory(new io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory())
        .build();
  }
}
