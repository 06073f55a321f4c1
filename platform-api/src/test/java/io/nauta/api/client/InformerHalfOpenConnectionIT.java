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
import io.nauta.core.component.ComponentRunner;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, item 13: an informer whose watch connection goes half-open (a proxy keeps it open and
 * forwards nothing, never closing it) notices the silence once its watch should have ended, watches
 * again on a new connection, and catches up when the network forwards again. A component's
 * informers, whose watches last minutes, catch up as soon: its runner's connection probe closes the
 * silent connections.
 */
class InformerHalfOpenConnectionIT {

  private static final Duration T = Duration.ofSeconds(10);

  private static TestApiServer server;
  private static ResourceClient<ConfigMap> direct;
  private BlackHoleProxy proxy;
  private SharedInformer<ConfigMap> informer;
  private ComponentRunner runner;

  @BeforeAll
  static void startServer() {
    server = TestApiServer.startOnEmptyRedis("server.shutdown=immediate");
    direct = server.kubeClient().resource(BuiltInResources.CONFIGMAPS, ConfigMap.class);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void start() {
    proxy = BlackHoleProxy.to(server.url());
  }

  @AfterEach
  void stop() {
    if (runner != null) {
      runner.stop();
    }
    if (informer != null) {
      informer.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void anInformerWhoseWatchConnectionGoesSilentRecoversOnceTheNetworkForwardsAgain() {
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

  /**
   * A component's informers watch for minutes (the default watch timeouts): only the runner's
   * connection probe gets them off a connection that went silent. It closes the client's
   * connections during the outage, and again at the first answer after it (the watch opened
   * meanwhile went into the same silence), so the change made during the outage is seen within
   * seconds of the network's return rather than at the end of the watch.
   */
  @Test
  void aComponentRunnerClosesSilentConnectionsSoItsInformersSeeWhatChangedMeanwhile() {
    runner =
        ComponentRunner.builder("probe-it", new KubeClient(server.clientConfig(proxy.url())))
            .connectionProbe(Duration.ofMillis(300), Duration.ofMillis(300))
            .build();
    SharedInformer<ConfigMap> maps =
        runner.informers().informer(BuiltInResources.CONFIGMAPS, ConfigMap.class);
    runner.start();
    maps.synced().block(T);
    direct.create(configMap("runner-before")).block(T);
    await().atMost(T).until(() -> maps.store().get("default/runner-before").isPresent());

    proxy.blackHole();
    direct.create(configMap("runner-during")).block(T);
    // Two probes in a row without an answer: the connections are closed during the outage.
    await().atMost(T).until(() -> runner.connectionProbeCloses() >= 1);
    assertThat(maps.store().get("default/runner-during")).isEmpty();
    proxy.forward();

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(maps.store().get("default/runner-during")).isPresent());
    assertThat(runner.connectionProbeCloses())
        .as("closed again at the first answer after the outage")
        .isGreaterThanOrEqualTo(2);
    assertThat(maps.listCount()).as("resumed the watch, no re-list").isEqualTo(1);
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
