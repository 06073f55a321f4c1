package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.nauta.api.storage.RedisObjectStore;
import io.nauta.api.support.Objects;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.registry.BuiltInResources;
import java.net.URI;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Watches end as Kubernetes ends them and carry the events Kubernetes sends: over WebSocket the
 * server closes the socket when the watch ends, a first dump larger than a watcher's backlog
 * arrives whole, and after an API server restart updates are MODIFIED, not ADDED.
 */
class WatchEndingIT {

  private static TestApiServer server;
  private static ApiCalls api;

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
    api = new ApiCalls(server);
    for (String ns : List.of("ends", "bulk", "restart")) {
      assertThat(api.post("/api/v1/namespaces", Objects.namespace(ns)).status()).isEqualTo(201);
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A WebSocket watch that records its frames and how it was closed. */
  private static final class SocketWatch implements WebSocket.Listener {
    final List<String> frames = new CopyOnWriteArrayList<>();
    final AtomicInteger closeStatus = new AtomicInteger(-1);

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      frames.add(data.toString());
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
      closeStatus.set(status);
      return null;
    }

    static WebSocket open(String path, SocketWatch listener) throws Exception {
      return server
          .httpClient()
          .newWebSocketBuilder()
          .buildAsync(URI.create(server.url().replaceFirst("^http", "ws") + path), listener)
          .get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void theServerClosesAWebSocketWatchAfterTimeoutSeconds() throws Exception {
    SocketWatch listener = new SocketWatch();
    WebSocket socket =
        SocketWatch.open("/api/v1/namespaces/ends/secrets?watch=true&timeoutSeconds=1", listener);
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> listener.closeStatus.get() != -1);
      assertThat(listener.closeStatus.get()).isEqualTo(WebSocket.NORMAL_CLOSURE);
    } finally {
      socket.abort();
    }
  }

  @Test
  void aFabric8WatchWithATimeoutSeesItsEnd() {
    Config config =
        new ConfigBuilder(Config.fromKubeconfig(server.kubeconfig().toFile()))
            .withNamespace("ends")
            .withRequestRetryBackoffLimit(0)
            .build();
    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(config)
            .withHttpClientFactory(new JdkHttpClientFactory())
            .build()) {
      String rv = client.configMaps().list().getMetadata().getResourceVersion();
      AtomicReference<WatcherException> closed = new AtomicReference<>();
      try (Watch watch =
          client
              .configMaps()
              .watch(
                  new ListOptionsBuilder().withResourceVersion(rv).withTimeoutSeconds(1L).build(),
                  new Watcher<ConfigMap>() {
                    @Override
                    public void eventReceived(Action action, ConfigMap resource) {}

                    @Override
                    public void onClose(WatcherException cause) {
                      closed.set(cause);
                    }
                  })) {
        // fabric8 takes a watch the server ends at once, without an event, as a stale
        // resourceVersion and closes it: it must learn that the server ended it at all.
        await().atMost(Duration.ofSeconds(10)).until(() -> closed.get() != null);
      }
    }
  }

  @Test
  void aWatchWithoutResourceVersionGetsAFirstDumpLargerThanItsBacklogThenLiveEvents() {
    int count = 20_000;
    RedisObjectStore store = server.bean(RedisObjectStore.class);
    // Through the store in bulk: 20,000 creates over HTTP would take minutes here.
    Flux.range(0, count)
        .flatMap(
            i ->
                store.create(
                    BuiltInResources.CONFIGMAPS,
                    "bulk",
                    "cm-" + i,
                    """
                    {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm-%d",\
                    "namespace":"bulk","uid":"uid-%d","resourceVersion":"%s",\
                    "creationTimestamp":"2026-01-01T00:00:00Z"},"data":{"k":"v"}}"""
                        .formatted(i, i, RedisObjectStore.RV_PLACEHOLDER)),
            64)
        .blockLast(Duration.ofMinutes(2));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                api.get("/api/v1/namespaces/bulk/configmaps?resourceVersion=0")
                        .body()
                        .path("items")
                        .size()
                    == count);

    try (WatchStream watch =
        new WatchStream(server, "/api/v1/namespaces/bulk/configmaps?watch=true")) {
      await().atMost(Duration.ofSeconds(60)).until(() -> watch.events().size() >= count);
      assertThat(
              api.post("/api/v1/namespaces/bulk/configmaps", Objects.configMap("live", "v"))
                  .status())
          .isEqualTo(201);
      await().atMost(Duration.ofSeconds(10)).until(() -> watch.events().size() == count + 1);
      assertThat(watch.types().subList(0, count)).containsOnly("ADDED");
      assertThat(watch.names().get(count)).isEqualTo("live");
      assertThat(watch.types().get(count)).isEqualTo("ADDED");
      assertThat(watch.ended()).isFalse();
    }
  }

  @Test
  void afterARestartReplayedUpdatesAreModifiedAndDeletes() {
    String base = "/api/v1/namespaces/restart/configmaps";
    ObjectNode old = api.post(base, Objects.configMap("old", "1")).object();
    ObjectNode labelled = ApiCalls.parse(Objects.configMap("labelled", "1"));
    labelled.withObjectProperty("metadata").putObject("labels").put("app", "web");
    labelled = api.post(base, labelled.toString()).object();
    // The creates leave the history (as they would after the watch window), so the restarted
    // server knows the objects but not what they looked like before the updates below.
    RedisObjectStore store = server.bean(RedisObjectStore.class);
    // A cutoff ahead of the clock: every event written so far is older than it.
    long cutoff = System.currentTimeMillis() + 60_000;
    while (store.trimBefore(BuiltInResources.CONFIGMAPS, cutoff).block(Duration.ofSeconds(5)) > 0) {
      // one batch per call
    }
    String from = labelled.path("metadata").path("resourceVersion").asString();

    old.withObjectProperty("data").put("key", "2");
    assertThat(api.put(base + "/old", old.toString()).status()).isEqualTo(200);
    labelled.withObjectProperty("metadata").remove("labels");
    assertThat(api.put(base + "/labelled", labelled.toString()).status()).isEqualTo(200);
    assertThat(api.delete(base + "/old").status()).isEqualTo(200);

    server.close();
    server = TestApiServer.start();
    api = new ApiCalls(server);

    try (WatchStream watch =
        new WatchStream(server, base + "?watch=true&resourceVersion=" + from)) {
      await().atMost(Duration.ofSeconds(5)).until(() -> watch.events().size() == 3);
      assertThat(watch.types()).containsExactly("MODIFIED", "MODIFIED", "DELETED");
      assertThat(watch.names()).containsExactly("old", "labelled", "old");
    }
    // Whether "labelled" left the selector cannot be told without its state before the update:
    // the client must relist, as after any Kubernetes API server restart.
    try (WatchStream watch =
        new WatchStream(
            server, base + "?watch=true&labelSelector=app=web&resourceVersion=" + from)) {
      await().atMost(Duration.ofSeconds(5)).until(watch::ended);
      JsonNode error = watch.events().get(0);
      assertThat(error.path("type").asString()).isEqualTo("ERROR");
      assertThat(error.path("object").path("code").asInt()).isEqualTo(410);
    }
  }

  @Test
  void aSelectorWatchSeesDeletedWhenTheLabelIsRemovedAlsoAfterARestart() {
    String base = "/api/v1/namespaces/restart/configmaps";
    ObjectNode cm = ApiCalls.parse(Objects.configMap("sel", "1"));
    cm.withObjectProperty("metadata").putObject("labels").put("app", "db");
    cm = api.post(base, cm.toString()).object();
    String from = cm.path("metadata").path("resourceVersion").asString();
    cm.withObjectProperty("metadata").remove("labels");
    assertThat(api.put(base + "/sel", cm.toString()).status()).isEqualTo(200);

    try (WatchStream live =
        new WatchStream(
            server, base + "?watch=true&labelSelector=app=db&resourceVersion=" + from)) {
      await().atMost(Duration.ofSeconds(5)).until(() -> live.types().equals(List.of("DELETED")));
    }
    server.close();
    server = TestApiServer.start();
    api = new ApiCalls(server);
    try (WatchStream replayed =
        new WatchStream(
            server, base + "?watch=true&labelSelector=app=db&resourceVersion=" + from)) {
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> replayed.types().equals(List.of("DELETED")));
      assertThat(replayed.names()).containsExactly("sel");
    }
  }
}
