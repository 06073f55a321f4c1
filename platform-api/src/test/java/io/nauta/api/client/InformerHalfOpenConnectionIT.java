package io.nauta.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.nauta.api.support.BlackHoleProxy;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, item 13: an informer whose watch connection goes half-open (a proxy keeps it open and
 * forwards nothing, never closing it) notices the silence once its watch should have ended, watches
 * again on a new connection, and catches up when the network forwards again.
 */
class InformerHalfOpenConnectionIT {

  private static final Duration T = Duration.ofSeconds(10);

  private TestApiServer server;
  private BlackHoleProxy proxy;
  private SharedInformer<ConfigMap> informer;
  private ResourceClient<ConfigMap> direct;

  @BeforeEach
  void start() {
    server = TestApiServer.startOnEmptyRedis("server.shutdown=immediate");
    proxy = BlackHoleProxy.to(server.url());
    direct = server.kubeClient().resource(BuiltInResources.CONFIGMAPS, ConfigMap.class);
    // Watches ask for 2-4 s, so a silent one counts as dead after at most 6 s.
    informer =
        new SharedInformer<>(
            new KubeClient(server.clientConfig(proxy.url()))
                .resource(BuiltInResources.CONFIGMAPS, ConfigMap.class),
            "default",
            ListOptions.none(),
            Duration.ofMillis(200),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2));
  }

  @AfterEach
  void stop() {
    if (informer != null) {
      informer.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void anInformerWhoseWatchConnectionGoesSilentRecoversOnceTheNetworkForwardsAgain() {
    informer.start();
    informer.synced().block(T);
    direct.create(configMap("before")).block(T);
    await().atMost(T).until(() -> informer.store().get("default/before").isPresent());

    proxy.blackHole();
    direct.create(configMap("during")).block(T);
    proxy.forward();
    direct.create(configMap("after")).block(T);

    // The black-holed watch never ends by itself: only the client's own limit gets it out.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(informer.store().get("default/during")).isPresent();
              assertThat(informer.store().get("default/after")).isPresent();
            });
    assertThat(informer.listCount()).as("resumed the watch, no re-list").isEqualTo(1);
  }

  private static ConfigMap configMap(String name) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .endMetadata()
        .addToData("k", "v")
        .build();
  }
}
