package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.nauta.api.support.TestApiServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fabric8 {@code KubernetesClient} (on the JDK HTTP client) against a running Nauta: CRUD, a
 * watch and a {@code SharedIndexInformer}, unmodified, as a Java platform team would use it.
 */
class Fabric8ClientIT {

  private static TestApiServer server;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
    Config config =
        new ConfigBuilder(Config.fromKubeconfig(server.kubeconfig().toFile()))
            .withNamespace("fabric8")
            .withRequestRetryBackoffLimit(0)
            .build();
    client =
        new KubernetesClientBuilder()
            .withConfig(config)
            .withHttpClientFactory(new JdkHttpClientFactory())
            .build();
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("fabric8").endMetadata().build())
        .create();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @Test
  void createsReadsUpdatesListsAndDeletes() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("f8")
            .addToLabels("app", "f8")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage("nauta/busybox:local")
            .endContainer()
            .endSpec()
            .build();
    Pod created = client.pods().resource(pod).create();
    assertThat(created.getMetadata().getUid()).isNotEmpty();
    assertThat(created.getStatus().getPhase()).isEqualTo("Pending");

    Pod edited =
        client
            .pods()
            .withName("f8")
            .edit(
                p ->
                    new PodBuilder(p)
                        .editMetadata()
                        .addToLabels("edited", "yes")
                        .endMetadata()
                        .build());
    assertThat(edited.getMetadata().getLabels()).containsEntry("edited", "yes");

    assertThat(client.pods().withLabel("app", "f8").list().getItems())
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("f8");
    assertThat(client.pods().withName("missing").get()).isNull();

    client.pods().withName("f8").delete();
    await().atMost(Duration.ofSeconds(5)).until(() -> client.pods().withName("f8").get() == null);
  }

  @Test
  void aStaleUpdateIsAConflict() {
    ConfigMap cm =
        client
            .configMaps()
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("f8-cm")
                    .endMetadata()
                    .addToData("k", "1")
                    .build())
            .create();
    client
        .configMaps()
        .withName("f8-cm")
        .edit(c -> new ConfigMapBuilder(c).addToData("k", "2").build());
    cm.getData().put("k", "3");
    KubernetesClientException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            KubernetesClientException.class, () -> client.configMaps().resource(cm).update());
    assertThat(e.getCode()).isEqualTo(409);
  }

  @Test
  void watchesSeeChanges() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    try (Watch watch =
        client
            .configMaps()
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, ConfigMap resource) {
                    seen.add(action + " " + resource.getMetadata().getName());
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      client
          .configMaps()
          .resource(
              new ConfigMapBuilder().withNewMetadata().withName("watched").endMetadata().build())
          .create();
      client.configMaps().withName("watched").delete();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(seen).contains("ADDED watched", "DELETED watched"));
    }
  }

  @Test
  void aSharedIndexInformerSyncsAndFollows() {
    client
        .configMaps()
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("before-informer")
                .endMetadata()
                .build())
        .create();
    List<String> added = new CopyOnWriteArrayList<>();
    SharedIndexInformer<ConfigMap> informer =
        client
            .configMaps()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(ConfigMap obj) {
                    added.add(obj.getMetadata().getName());
                  }

                  @Override
                  public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {}

                  @Override
                  public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {}
                });
    try {
      await().atMost(Duration.ofSeconds(10)).until(informer::hasSynced);
      assertThat(added).contains("before-informer");
      client
          .configMaps()
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("after-informer")
                  .endMetadata()
                  .addToData(Map.of("a", "b"))
                  .build())
          .create();
      await().atMost(Duration.ofSeconds(10)).until(() -> added.contains("after-informer"));
      assertThat(informer.getStore().getByKey("fabric8/after-informer")).isNotNull();
    } finally {
      informer.close();
    }
  }
}
