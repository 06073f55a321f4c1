package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.support.Objects;
import io.nauta.api.support.ReplyDroppingProxy;
import io.nauta.api.support.TestApiServer;
import io.nauta.api.support.TestRedis;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A write whose reply from Redis is lost (the connection drops after Redis ran the script, before
 * the answer reached the API server) still runs exactly once: the Redis client sends the unanswered
 * command again after reconnecting, and the store must recognise it as the same write.
 */
class WriteReplayIT {

  private static final String NS = "replay";
  private static final String OK_REPLY = "$2\r\nok\r\n";

  private static ReplyDroppingProxy proxy;
  private static TestApiServer server;
  private static ApiCalls api;

  @BeforeAll
  static void start() throws IOException {
    TestRedis.flush();
    proxy = new ReplyDroppingProxy(TestRedis.url());
    server = TestApiServer.start("nauta.redis.url=" + proxy.url());
    api = new ApiCalls(server);
    assertThat(api.post("/api/v1/namespaces", Objects.namespace(NS)).status()).isEqualTo(201);
  }

  @AfterAll
  static void stop() throws IOException {
    server.close();
    proxy.close();
  }

  private static List<String> configMapNames() {
    List<String> names = new ArrayList<>();
    for (JsonNode item : api.get("/api/v1/namespaces/" + NS + "/configmaps").body().path("items")) {
      names.add(item.path("metadata").path("name").asString());
    }
    return names;
  }

  @Test
  void aCreateWhoseReplyWasLostIsStoredOnceAndAnsweredAsCreated() {
    int droppedBefore = proxy.droppedReplies();
    proxy.dropReplyTo("lost-reply", OK_REPLY);

    ApiCalls.Response created =
        api.post("/api/v1/namespaces/" + NS + "/configmaps", Objects.configMap("lost-reply", "v"));

    assertThat(proxy.droppedReplies()).isEqualTo(droppedBefore + 1);
    // Not 409 AlreadyExists for its own success.
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    assertThat(created.body().path("metadata").path("name").asString()).isEqualTo("lost-reply");
    assertThat(configMapNames()).filteredOn(n -> n.equals("lost-reply")).hasSize(1);
  }

  @Test
  void aGenerateNameCreateWhoseReplyWasLostMakesOneObject() {
    int droppedBefore = proxy.droppedReplies();
    proxy.dropReplyTo("lost-gen-", OK_REPLY);

    ApiCalls.Response created =
        api.post(
            "/api/v1/namespaces/" + NS + "/configmaps",
            """
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"generateName":"lost-gen-"},
             "data":{"key":"v"}}""");

    assertThat(proxy.droppedReplies()).isEqualTo(droppedBefore + 1);
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    String name = created.body().path("metadata").path("name").asString();
    assertThat(configMapNames()).filteredOn(n -> n.startsWith("lost-gen-")).containsExactly(name);
  }

  @Test
  void anUpdateWhoseReplyWasLostIsAnsweredAsDone() {
    String path = "/api/v1/namespaces/" + NS + "/configmaps/lost-update";
    ApiCalls.Response created =
        api.post(
            "/api/v1/namespaces/" + NS + "/configmaps", Objects.configMap("lost-update", "one"));
    assertThat(created.status()).isEqualTo(201);
    String rv = created.body().path("metadata").path("resourceVersion").asString();
    int droppedBefore = proxy.droppedReplies();
    proxy.dropReplyTo("value-two", OK_REPLY);

    ApiCalls.Response updated =
        api.put(
            path,
            """
            {"apiVersion":"v1","kind":"ConfigMap",
             "metadata":{"name":"lost-update","resourceVersion":"%s"},
             "data":{"key":"value-two"}}"""
                .formatted(rv));

    assertThat(proxy.droppedReplies()).isEqualTo(droppedBefore + 1);
    // Not 409 Conflict (the stored resourceVersion moved on): the replayed update is the one
    // that already happened.
    assertThat(updated.status()).as(updated.raw()).isEqualTo(200);
    assertThat(api.get(path).body().path("data").path("key").asString()).isEqualTo("value-two");
  }
}
