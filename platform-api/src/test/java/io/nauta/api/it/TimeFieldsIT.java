package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.api.support.Objects;
import io.nauta.api.support.TestApiServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Times over real HTTP on real Redis, as Kubernetes stores them: a metav1.Time in UTC whole
 * seconds, a MicroTime in UTC with six digits, whatever offset and fraction a client sent; a value
 * that is no time is a 400 that stores nothing; a custom resource's date-time is kept as sent.
 */
class TimeFieldsIT {

  private static final String NS = "/api/v1/namespaces/times";
  private static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/times/leases";
  private static final String SENT = "2024-01-01T10:00:00.123+02:00";

  private static TestApiServer server;
  private static ApiCalls api;

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
    api = new ApiCalls(server);
    assertThat(api.post("/api/v1/namespaces", Objects.namespace("times")).status()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String lease(String name, String renewTime) {
    return """
        {"metadata":{"name":"%s"},"spec":{"holderIdentity":"a","leaseDurationSeconds":40,
         "renewTime":"%s"}}"""
        .formatted(name, renewTime);
  }

  @Test
  void aConditionWithAnOffsetAndAFractionComesBackInUtcWholeSecondsEverywhere() {
    assertThat(api.post(NS + "/pods", Objects.pod("conditioned")).status()).isEqualTo(201);
    ObjectNode pod = api.get(NS + "/pods/conditioned").object();
    String rv = pod.at("/metadata/resourceVersion").asString();
    try (WatchStream watch =
        new WatchStream(server, NS + "/pods?watch=true&resourceVersion=" + rv)) {
      statusOf(pod)
          .putArray("conditions")
          .addObject()
          .put("type", "Ready")
          .put("status", "False")
          .put("lastTransitionTime", SENT);
      ApiCalls.Response put = api.put(NS + "/pods/conditioned/status", pod.toString());
      assertThat(put.status()).as(put.raw()).isEqualTo(200);
      assertThat(readyTransition(put.body())).isEqualTo("2024-01-01T08:00:00Z");

      assertThat(readyTransition(api.get(NS + "/pods/conditioned").body()))
          .isEqualTo("2024-01-01T08:00:00Z");
      JsonNode listed =
          api.get(NS + "/pods?fieldSelector=metadata.name=conditioned").body().at("/items/0");
      assertThat(readyTransition(listed)).isEqualTo("2024-01-01T08:00:00Z");
      await().atMost(Duration.ofSeconds(10)).until(() -> watch.types().contains("MODIFIED"));
      JsonNode event =
          watch.events().stream()
              .filter(e -> e.path("type").asString().equals("MODIFIED"))
              .findFirst()
              .orElseThrow();
      assertThat(readyTransition(event.path("object"))).isEqualTo("2024-01-01T08:00:00Z");
    }

    // A patch of the status is decoded the same way.
    ApiCalls.Response patched =
        api.patch(
            NS + "/pods/conditioned/status",
            "application/strategic-merge-patch+json",
            "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\","
                + "\"lastTransitionTime\":\"2024-06-30T23:59:59.999-01:30\"}]}}");
    assertThat(patched.status()).as(patched.raw()).isEqualTo(200);
    assertThat(readyTransition(patched.body())).isEqualTo("2024-07-01T01:29:59Z");
  }

  private static ObjectNode statusOf(ObjectNode pod) {
    return pod.get("status") instanceof ObjectNode status ? status : pod.putObject("status");
  }

  private static String readyTransition(JsonNode pod) {
    for (JsonNode c : pod.at("/status/conditions")) {
      if (c.path("type").asString().equals("Ready")) {
        return c.path("lastTransitionTime").asString();
      }
    }
    return null;
  }

  @Test
  void aMicroTimeComesBackInUtcWithSixDigitsFromACreateAndAnApply() {
    ApiCalls.Response created = api.post(LEASES, lease("created", SENT));
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    assertThat(created.body().at("/spec/renewTime").asString())
        .isEqualTo("2024-01-01T08:00:00.123000Z");
    assertThat(api.get(LEASES + "/created").body().at("/spec/renewTime").asString())
        .isEqualTo("2024-01-01T08:00:00.123000Z");
    // managedFields' time is a metav1.Time: whole seconds, Z.
    assertThat(created.body().at("/metadata/managedFields/0/time").asString())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

    ApiCalls.Response applied =
        api.patch(
            LEASES + "/applied?fieldManager=times-test",
            "application/apply-patch+yaml",
            """
            {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"applied"},
             "spec":{"holderIdentity":"b","acquireTime":"2024-01-01T00:00:00.5-05:00"}}""");
    assertThat(applied.status()).as(applied.raw()).isEqualTo(201);
    assertThat(applied.body().at("/spec/acquireTime").asString())
        .isEqualTo("2024-01-01T05:00:00.500000Z");
  }

  @Test
  void somethingThatIsNoTimeIsABadRequestAndStoresNothing() {
    ApiCalls.Response refused = api.post(LEASES, lease("refused", "yesterday"));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.reason()).isEqualTo("BadRequest");
    assertThat(refused.body().path("message").asString())
        .isEqualTo(
            "Lease in version \"v1\" cannot be handled as a Lease: parsing time \"yesterday\" as"
                + " \"2006-01-02T15:04:05.000000Z07:00\": cannot parse \"yesterday\" as \"2006\"");
    assertThat(api.get(LEASES + "/refused").status()).isEqualTo(404);

    assertThat(api.post(NS + "/pods", Objects.pod("kept")).status()).isEqualTo(201);
    ObjectNode pod = api.get(NS + "/pods/kept").object();
    statusOf(pod)
        .putArray("conditions")
        .addObject()
        .put("type", "Ready")
        .put("status", "False")
        .put("lastTransitionTime", "2024-13-01T00:00:00Z");
    ApiCalls.Response bad = api.put(NS + "/pods/kept/status", pod.toString());
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().path("message").asString())
        .isEqualTo(
            "Pod in version \"v1\" cannot be handled as a Pod: parsing time"
                + " \"2024-13-01T00:00:00Z\": month out of range");
    JsonNode after = api.get(NS + "/pods/kept").body();
    assertThat(after.at("/metadata/resourceVersion").asString())
        .isEqualTo(pod.at("/metadata/resourceVersion").asString());
    assertThat(readyTransition(after)).isNull();
  }

  @Test
  void aCustomResourcesDateTimeIsKeptAsSent() {
    String crd =
        """
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
         "metadata":{"name":"clocks.times.example.com"},
         "spec":{"group":"times.example.com","scope":"Namespaced",
           "names":{"plural":"clocks","singular":"clock","kind":"Clock"},
           "versions":[{"name":"v1","served":true,"storage":true,
             "schema":{"openAPIV3Schema":{"type":"object","properties":{
               "spec":{"type":"object","properties":{
                 "when":{"type":"string","format":"date-time"}}}}}}}]}}""";
    assertThat(api.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd).status())
        .isEqualTo(201);
    String clocks = "/apis/times.example.com/v1/namespaces/times/clocks";
    String clock =
        """
        {"apiVersion":"times.example.com/v1","kind":"Clock","metadata":{"name":"c"},
         "spec":{"when":"%s"}}"""
            .formatted(SENT);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> api.post(clocks, clock).status() == 201);
    assertThat(api.get(clocks + "/c").body().at("/spec/when").asString()).isEqualTo(SENT);
  }
}
