package io.nauta.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import tools.jackson.databind.json.JsonMapper;

/** An informer against a real API server on real Redis, across a restart of that server. */
class SharedInformerIT {

  private static final Duration T = Duration.ofSeconds(10);

  private final AtomicReference<TestApiServer> server = new AtomicReference<>();

  /** The admin's settings for the current server, made once per server (each makes a cert). */
  private final AtomicReference<ClientConfig> config = new AtomicReference<>();

  private KubeClient client;
  private ResourceClient<Pod> pods;

  @BeforeEach
  void start() {
    // Immediate shutdown: like a crash, and no 30 s wait for the informer's open watch to end.
    serve(TestApiServer.startOnEmptyRedis("server.shutdown=immediate"));
    // The informer asks for the server on every request: after a restart it finds the new port,
    // over HTTPS as the admin (the servers of this JVM share one PKI).
    client = new KubeClient(config::get, JsonMapper.builder().build());
    pods = client.resource(BuiltInResources.PODS, Pod.class);
    for (String name : List.of("inf-a", "inf-b")) {
      Namespace ns = new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build();
      client.resource(BuiltInResources.NAMESPACES, Namespace.class).create(ns).block(T);
    }
  }

  private void serve(TestApiServer started) {
    config.set(started.clientConfig());
    server.set(started);
  }

  @AfterEach
  void stop() {
    server.get().close();
  }

  private static Pod pod(String ns, String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .addToLabels("app", "inf")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("nauta/busybox:local")
        .endContainer()
        .endSpec()
        .build();
  }

  private void deleteNow(String ns, String name) {
    pods.delete(ns, name, new DeleteOptionsBuilder().withGracePeriodSeconds(0L).build()).block(T);
  }

  private SharedInformer<Pod> informer() {
    return new SharedInformer<>(
        pods, null, ListOptions.labels("app=inf"), Duration.ofMillis(50), Duration.ofMillis(500));
  }

  @Test
  void syncsFollowsChangesAndIndexesByNamespaceAndNode() {
    pods.create(pod("inf-a", "one")).block(T);
    pods.create(pod("inf-b", "two")).block(T);
    List<String> events = new CopyOnWriteArrayList<>();

    try (SharedInformer<Pod> informer = informer()) {
      Disposable recording =
          informer
              .events()
              .subscribe(e -> events.add(e.type() + " " + InformerStore.keyOf(e.object())));
      informer.start().synced().block(T);

      assertThat(informer.hasSynced()).isTrue();
      assertThat(informer.store().keys()).containsExactlyInAnyOrder("inf-a/one", "inf-b/two");

      pods.create(pod("inf-a", "three")).block(T);
      client.bind("inf-a", "three", "node-1").block(T);
      deleteNow("inf-b", "two");

      await()
          .atMost(T)
          .untilAsserted(
              () -> {
                assertThat(informer.store().keys())
                    .containsExactlyInAnyOrder("inf-a/one", "inf-a/three");
                assertThat(informer.store().byIndex(InformerStore.BY_NODE_NAME, "node-1"))
                    .extracting(p -> p.getMetadata().getName())
                    .containsExactly("three");
              });
      assertThat(informer.store().byIndex(InformerStore.BY_NAMESPACE, "inf-a")).hasSize(2);
      assertThat(events)
          .containsSubsequence(
              "ADDED inf-a/one", "ADDED inf-a/three", "UPDATED inf-a/three", "DELETED inf-b/two");
      recording.dispose();
    }
  }

  @Test
  void survivesAnApiServerRestartAndCatchesUpWithWhatChangedMeanwhile() {
    pods.create(pod("inf-a", "stays")).block(T);
    pods.create(pod("inf-a", "goes")).block(T);

    try (SharedInformer<Pod> informer = informer()) {
      List<InformerEvent<Pod>> events = new CopyOnWriteArrayList<>();
      Disposable recording = informer.events().subscribe(events::add);
      informer.start().synced().block(T);
      assertThat(informer.store().keys()).containsExactlyInAnyOrder("inf-a/stays", "inf-a/goes");

      server.get().close();
      // A new API server on the same Redis, on another port; the old one's watch is gone.
      serve(TestApiServer.start("server.shutdown=immediate"));
      deleteNow("inf-a", "goes");
      pods.create(pod("inf-b", "new")).block(T);

      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(informer.store().keys())
                      .containsExactlyInAnyOrder("inf-a/stays", "inf-b/new"));

      // And it is watching again.
      pods.create(pod("inf-b", "after")).block(T);
      await()
          .atMost(T)
          .untilAsserted(() -> assertThat(informer.store().get("inf-b", "after")).isPresent());
      assertThat(events)
          .extracting(e -> e.type() + " " + InformerStore.keyOf(e.object()))
          .contains("DELETED inf-a/goes", "ADDED inf-b/new", "ADDED inf-b/after")
          .doesNotContain("DELETED inf-a/stays");
      // The new server still kept every event since the informer's resourceVersion: it resumed
      // its watch from there and caught up without listing again.
      assertThat(informer.listCount()).isEqualTo(1);
      recording.dispose();
    }
  }

  @Test
  void relistsWhenWhatChangedWhileTheServerWasAwayFellOutOfTheWatchHistory() {
    pods.create(pod("inf-a", "stays")).block(T);
    pods.create(pod("inf-a", "goes")).block(T);
    // Keeps only the last 5 events of a type, so a few writes push older ones out.
    String[] trimming = {"server.shutdown=immediate", "nauta.watch.history-max-events=5"};

    try (SharedInformer<Pod> informer = informer()) {
      List<InformerEvent<Pod>> events = new CopyOnWriteArrayList<>();
      Disposable recording = informer.events().subscribe(events::add);
      informer.start().synced().block(T);
      assertThat(informer.store().keys()).containsExactlyInAnyOrder("inf-a/stays", "inf-a/goes");
      long seenRv = Long.parseLong(informer.lastResourceVersion());

      // The informer's server goes away; its client keeps asking at the old address meanwhile.
      server.get().close();
      // Another API server on the same Redis takes writes, and trims the type's event stream.
      String rvAfterWrites;
      try (TestApiServer other = TestApiServer.start(trimming)) {
        ResourceClient<Pod> viaOther =
            other.kubeClient().resource(BuiltInResources.PODS, Pod.class);
        var now = new DeleteOptionsBuilder().withGracePeriodSeconds(0L).build();
        viaOther.delete("inf-a", "goes", now).block(T);
        for (int i = 0; i < 8; i++) {
          viaOther.create(pod("inf-b", "new-" + i)).block(T);
        }
        for (int i = 0; i < 3; i++) {
          viaOther.delete("inf-b", "new-" + i, now).block(T);
        }
        rvAfterWrites = viaOther.list(null, ListOptions.none()).block(T).resourceVersion();
      }
      assertThat(Long.parseLong(rvAfterWrites)).isGreaterThan(seenRv + 5);

      // The informer's server is back (on a new port), with the trimmed history.
      serve(TestApiServer.start(trimming));

      List<String> expected =
          List.of(
              "inf-a/stays",
              "inf-b/new-3",
              "inf-b/new-4",
              "inf-b/new-5",
              "inf-b/new-6",
              "inf-b/new-7");
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(informer.store().keys())
                      .containsExactlyInAnyOrderElementsOf(expected));
      // Its resumed watch was answered 410 Gone, so it listed again: once.
      assertThat(informer.listCount()).isEqualTo(2);
      assertThat(
              pods.list(null, ListOptions.labels("app=inf")).block(T).items().stream()
                  .map(InformerStore::keyOf))
          .containsExactlyInAnyOrderElementsOf(expected);
      assertThat(events)
          .extracting(e -> e.type() + " " + InformerStore.keyOf(e.object()))
          .contains("DELETED inf-a/goes", "ADDED inf-b/new-3", "ADDED inf-b/new-7")
          .doesNotContain("DELETED inf-a/stays", "ADDED inf-b/new-0");

      // And it watches again from the new list.
      pods.create(pod("inf-b", "after")).block(T);
      await()
          .atMost(T)
          .untilAsserted(() -> assertThat(informer.store().get("inf-b", "after")).isPresent());
      assertThat(informer.listCount()).isEqualTo(2);
      recording.dispose();
    }
  }
}
