package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RestoreArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.nauta.api.support.TestApiServer;
import io.nauta.api.support.TestRedis;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Redis going back in time under a running API server and an informer: flushed, or restored from an
 * earlier copy. The informer must end with exactly what Redis holds now, not with the history it
 * followed before.
 */
class RedisRewindIT {

  private static final Duration T = Duration.ofSeconds(10);
  private static final String NS = "rewind";

  private TestApiServer server;
  private RedisClient redisClient;
  private StatefulRedisConnection<String, String> redisConnection;
  private KubeClient client;
  private ResourceClient<ConfigMap> configMaps;

  @BeforeEach
  void start() {
    server =
        TestApiServer.startOnEmptyRedis(
            "server.shutdown=immediate", "nauta.system-namespaces.recheck-period=1s");
    redisClient = RedisClient.create(TestRedis.url());
    redisConnection = redisClient.connect();
    client = server.kubeClient();
    configMaps = client.resource(BuiltInResources.CONFIGMAPS, ConfigMap.class);
    createNamespace();
  }

  @AfterEach
  void stop() {
    redisConnection.close();
    redisClient.shutdown();
    server.close();
  }

  private RedisCommands<String, String> redis() {
    return redisConnection.sync();
  }

  private void createNamespace() {
    Namespace ns = new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build();
    client.resource(BuiltInResources.NAMESPACES, Namespace.class).create(ns).block(T);
  }

  private void createConfigMap(String name) {
    configMaps
        .create(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withNamespace(NS)
                .withName(name)
                .endMetadata()
                .addToData("key", name)
                .build())
        .block(T);
  }

  // The test namespace's ConfigMaps: the server keeps its own in kube-system (the published client
  // CA), which come back after a flush on their own schedule.
  private SharedInformer<ConfigMap> informer() {
    return new SharedInformer<>(
        configMaps, NS, ListOptions.none(), Duration.ofMillis(50), Duration.ofMillis(500));
  }

  private static List<String> keys(String prefix, int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> NS + "/" + prefix + i).toList();
  }

  @Test
  void anInformerConvergesToTheNewStateAfterFlushall() {
    try (SharedInformer<ConfigMap> informer = informer()) {
      informer.start().synced().block(T);
      for (int i = 0; i < 100; i++) {
        createConfigMap("before-" + i);
      }
      await()
          .atMost(T)
          .untilAsserted(
              () ->
                  assertThat(informer.store().keys())
                      .containsExactlyInAnyOrderElementsOf(keys("before-", 0, 100)));

      redis().flushall();
      // Everything is gone, the namespace too; the counter starts again from 1.
      createNamespace();
      createConfigMap("after");

      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(informer.store().keys()).containsExactly(NS + "/after"));
      assertThat(informer.listCount()).isGreaterThan(1);
    }
  }

  @Test
  void theSystemNamespacesComeBackAfterFlushall() {
    redis().flushall();
    // Without kube-system and kube-node-lease no component could take a Lease again.
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions() // 404 until the namespace is back
        .untilAsserted(
            () -> {
              for (String ns :
                  List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
                assertThat(
                        client
                            .resource(BuiltInResources.NAMESPACES, Namespace.class)
                            .get(null, ns)
                            .block(T))
                    .as(ns)
                    .isNotNull();
              }
            });
  }

  @Test
  void anOpenWatchEndsWith410ExpiredWhenRedisLosesItsData() {
    createConfigMap("watched");
    try (WatchStream watch =
        new WatchStream(
            server, "/api/v1/namespaces/" + NS + "/configmaps?watch=true&resourceVersion=0")) {
      await().atMost(T).until(() -> watch.types().contains("ADDED"));

      redis().flushall();

      await().atMost(T).until(watch::ended);
      JsonNode last = watch.events().get(watch.events().size() - 1);
      assertThat(last.path("type").asString()).isEqualTo("ERROR");
      assertThat(last.path("object").path("kind").asString()).isEqualTo("Status");
      assertThat(last.path("object").path("code").asInt()).isEqualTo(410);
      assertThat(last.path("object").path("reason").asString()).isEqualTo("Expired");
    }
  }

  @Test
  void anInformerConvergesWhenRedisIsRestoredFromAnEarlierCopy() {
    try (SharedInformer<ConfigMap> informer = informer()) {
      informer.start().synced().block(T);
      for (int i = 0; i < 50; i++) {
        createConfigMap("kept-" + i);
      }
      Map<String, byte[]> copy = dumpConfigMapKeys();
      for (int i = 0; i < 50; i++) {
        createConfigMap("lost-" + i);
      }
      await().atMost(T).untilAsserted(() -> assertThat(informer.store().keys()).hasSize(100));

      // The copy comes back, as a restored backup or a promoted replica that lagged would: the
      // counter is 50 again, and the next writes reuse resource versions 51, 52, ...
      restore(copy);
      createConfigMap("new");

      List<String> expected = new java.util.ArrayList<>(keys("kept-", 0, 50));
      expected.add(NS + "/new");
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(informer.store().keys())
                      .containsExactlyInAnyOrderElementsOf(expected));
      // And it follows the restored history from there on.
      createConfigMap("newer");
      await()
          .atMost(T)
          .untilAsserted(() -> assertThat(informer.store().keys()).contains(NS + "/newer"));
    }
  }

  private Map<String, byte[]> dumpConfigMapKeys() {
    Map<String, byte[]> copy = new HashMap<>();
    for (String key : redis().keys("nauta:{core/configmaps}:*")) {
      if (!key.contains(":write:")) {
        copy.put(key, redis().dump(key));
      }
    }
    assertThat(copy).containsKey("nauta:{core/configmaps}:objects");
    return copy;
  }

  private void restore(Map<String, byte[]> copy) {
    for (String key : redis().keys("nauta:{core/configmaps}:*")) {
      if (!copy.containsKey(key)) {
        redis().del(key);
      }
    }
    copy.forEach((key, value) -> redis().restore(key, value, RestoreArgs.Builder.ttl(0).replace()));
  }
}
