package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.support.TestApiServer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/** Create, get, list, update and delete of every registered kind, on real Redis over HTTP. */
class CrudIT {

  private static TestApiServer server;
  private static ApiCalls api;

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
    api = new ApiCalls(server);
    assertThat(api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"crud\"}}").status())
        .isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Stream<Arguments> kinds() {
    String ns = "/api/v1/namespaces/crud";
    String apps = "/apis/apps/v1/namespaces/crud";
    String template =
        """
        "template":{"metadata":{"labels":{"app":"w"}},
          "spec":{"containers":[{"name":"c","image":"nauta/busybox:local"}]}}""";
    return Stream.of(
        Arguments.of("/api/v1/namespaces", "{\"metadata\":{\"name\":\"other\"}}"),
        Arguments.of(ns + "/pods", io.nauta.api.support.Objects.pod("p1")),
        Arguments.of("/api/v1/nodes", "{\"metadata\":{\"name\":\"node-a\"}}"),
        Arguments.of(
            ns + "/services",
            "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"selector\":{\"app\":\"w\"},"
                + "\"ports\":[{\"port\":80,\"targetPort\":8080}]}}"),
        Arguments.of(
            ns + "/endpoints",
            "{\"metadata\":{\"name\":\"web\"},\"subsets\":[{\"addresses\":[{\"ip\":\"10.244.0.5\"}],"
                + "\"ports\":[{\"port\":8080}]}]}"),
        Arguments.of(
            ns + "/events",
            "{\"metadata\":{\"name\":\"ev1\"},\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"p1\","
                + "\"namespace\":\"crud\"},\"reason\":\"Tested\",\"message\":\"m\",\"type\":\"Normal\"}"),
        Arguments.of(ns + "/configmaps", io.nauta.api.support.Objects.configMap("cm", "v")),
        Arguments.of(
            ns + "/secrets", "{\"metadata\":{\"name\":\"s\"},\"data\":{\"k\":\"dmFsdWU=\"}}"),
        Arguments.of(
            apps + "/replicasets",
            "{\"metadata\":{\"name\":\"rs\"},\"spec\":{\"replicas\":2,"
                + "\"selector\":{\"matchLabels\":{\"app\":\"w\"}},"
                + template
                + "}}"),
        Arguments.of(
            apps + "/deployments",
            "{\"metadata\":{\"name\":\"d\"},\"spec\":{\"replicas\":2,"
                + "\"selector\":{\"matchLabels\":{\"app\":\"w\"}},"
                + template
                + "}}"),
        Arguments.of(
            "/apis/coordination.k8s.io/v1/namespaces/crud/leases",
            "{\"metadata\":{\"name\":\"l\"},\"spec\":{\"holderIdentity\":\"a\","
                + "\"leaseDurationSeconds\":40}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void everyKindSupportsCreateGetListUpdateAndDelete(String collection, String manifest) {
    ApiCalls.Response created = api.post(collection, manifest);
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    ObjectNode obj = created.object();
    String name = obj.path("metadata").path("name").asString();
    String path = collection + "/" + name;
    assertThat(obj.path("metadata").path("uid").asString()).isNotEmpty();
    assertThat(obj.path("metadata").path("creationTimestamp").asString()).isNotEmpty();
    String rv = obj.path("metadata").path("resourceVersion").asString();
    assertThat(rv).isNotEmpty();

    ApiCalls.Response got = api.get(path);
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.body()).isEqualTo(obj);

    ApiCalls.Response list = api.get(collection);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body().path("kind").asString()).endsWith("List");
    assertThat(list.body().path("metadata").path("resourceVersion").asString()).isNotEmpty();
    assertThat(
            list.body()
                .path("items")
                .valueStream()
                .map(i -> i.path("metadata").path("name").asString()))
        .contains(name);

    ObjectNode changed = obj.deepCopy();
    ((ObjectNode) changed.path("metadata")).putObject("labels").put("changed", "yes");
    ApiCalls.Response updated = api.put(path, changed.toString());
    assertThat(updated.status()).as(updated.raw()).isEqualTo(200);
    assertThat(updated.body().path("metadata").path("labels").path("changed").asString())
        .isEqualTo("yes");
    assertThat(updated.body().path("metadata").path("resourceVersion").asString()).isNotEqualTo(rv);

    ApiCalls.Response stale = api.put(path, changed.toString());
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.reason()).isEqualTo("Conflict");
    assertThat(stale.body().path("message").asString())
        .contains("the object has been modified; please apply your changes to the latest version");

    ApiCalls.Response deleted = api.delete(path);
    assertThat(deleted.status()).as(deleted.raw()).isIn(200, 202);
    if (!collection.equals("/api/v1/namespaces")) {
      ApiCalls.Response gone = api.get(path);
      assertThat(gone.status()).isEqualTo(404);
      assertThat(gone.reason()).isEqualTo("NotFound");
    }
  }
}
