package io.nauta.api.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.PatchType;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.client.ResourceList;
import io.nauta.core.client.WatchEvent;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.GoneException;
import io.nauta.core.errors.InvalidException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.registry.BuiltInResources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/** The reactive client against a real API server on real Redis. */
class KubeClientIT {

  private static final Duration T = Duration.ofSeconds(10);

  private static TestApiServer server;
  private static KubeClient client;
  private static ResourceClient<ConfigMap> configMaps;
  private static ResourceClient<Pod> pods;

  @BeforeAll
  static void start() {
    server =
        TestApiServer.startOnEmptyRedis(
            "nauta.watch.history-max-events=20", "nauta.watch.bookmark-interval=1s");
    client = server.kubeClient();
    configMaps = client.resource(BuiltInResources.CONFIGMAPS, ConfigMap.class);
    pods = client.resource(BuiltInResources.PODS, Pod.class);
    Namespace ns = new NamespaceBuilder().withNewMetadata().withName("cl").endMetadata().build();
    client.resource(BuiltInResources.NAMESPACES, Namespace.class).create(ns).block(T);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static ConfigMap configMap(String name, String value) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withNamespace("cl")
        .withName(name)
        .addToLabels("app", "client-it")
        .endMetadata()
        .addToData("key", value)
        .build();
  }

  @Test
  void createsGetsUpdatesPatchesListsAndDeletes() {
    ConfigMap created = configMaps.create(configMap("crud", "v1")).block(T);
    assertThat(created.getMetadata().getUid()).isNotBlank();

    ConfigMap read = configMaps.get("cl", "crud").block(T);
    assertThat(read.getData()).containsEntry("key", "v1");

    ConfigMap updated =
        configMaps.update(new ConfigMapBuilder(read).addToData("key", "v2").build()).block(T);
    assertThat(updated.getData()).containsEntry("key", "v2");
    assertThat(updated.getMetadata().getResourceVersion())
        .isNotEqualTo(read.getMetadata().getResourceVersion());

    ConfigMap patched =
        configMaps.patch("cl", "crud", PatchType.MERGE, "{\"data\":{\"other\":\"x\"}}").block(T);
    assertThat(patched.getData()).containsEntry("key", "v2").containsEntry("other", "x");

    ResourceList<ConfigMap> list =
        configMaps.list("cl", ListOptions.labels("app=client-it")).block(T);
    assertThat(list.items()).extracting(c -> c.getMetadata().getName()).contains("crud");
    assertThat(list.items()).allSatisfy(c -> assertThat(c.getKind()).isEqualTo("ConfigMap"));
    assertThat(list.resourceVersion()).isNotBlank();

    StepVerifier.create(configMaps.delete("cl", "crud")).verifyComplete();
    StepVerifier.create(configMaps.get("cl", "crud"))
        .expectError(NotFoundException.class)
        .verify(T);
  }

  @Test
  void failuresArriveAsTheTypedExceptions() {
    ConfigMap first = configMaps.create(configMap("dup", "v")).block(T);

    StepVerifier.create(configMaps.create(configMap("dup", "v")))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(AlreadyExistsException.class)
                    .hasMessage("configmaps \"dup\" already exists"))
        .verify(T);

    configMaps.update(new ConfigMapBuilder(first).addToData("key", "w").build()).block(T);
    StepVerifier.create(
            configMaps.update(new ConfigMapBuilder(first).addToData("key", "x").build()))
        .expectError(ConflictException.class)
        .verify(T);

    StepVerifier.create(configMaps.create(configMap("Not_A_Name", "v")))
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(InvalidException.class);
              assertThat(((InvalidException) e).causes()).isNotEmpty();
              assertThat(((InvalidException) e).causes().get(0).getField())
                  .isEqualTo("metadata.name");
            })
        .verify(T);
  }

  @Test
  void bindsAPodAndWritesItsStatusThroughTheSubresources() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace("cl")
            .withName("bound")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage("nauta/busybox:local")
            .endContainer()
            .endSpec()
            .build();
    pods.create(pod).block(T);

    StepVerifier.create(client.bind("cl", "bound", "node-1")).verifyComplete();
    Pod bound = pods.get("cl", "bound").block(T);
    assertThat(bound.getSpec().getNodeName()).isEqualTo("node-1");

    Pod running =
        pods.updateStatus(
                new PodBuilder(bound).editOrNewStatus().withPhase("Running").endStatus().build())
            .block(T);
    assertThat(running.getStatus().getPhase()).isEqualTo("Running");

    pods.delete("cl", "bound", new DeleteOptionsBuilder().withGracePeriodSeconds(0L).build())
        .block(T);
    StepVerifier.create(pods.get("cl", "bound")).expectError(NotFoundException.class).verify(T);
  }

  @Test
  void watchesAddsModificationsAndDeletesFromAListsResourceVersion() {
    String rv = configMaps.list("cl", ListOptions.none()).block(T).resourceVersion();
    ListOptions fromList =
        ListOptions.labels("app=watched").withResourceVersion(rv).withBookmarks(false);
    List<String> seen = new ArrayList<>();

    StepVerifier.create(configMaps.watch("cl", fromList).take(3))
        .then(
            () -> {
              ConfigMap cm =
                  new ConfigMapBuilder(configMap("w", "1"))
                      .editMetadata()
                      .addToLabels("app", "watched")
                      .endMetadata()
                      .build();
              ConfigMap created = configMaps.create(cm).block(T);
              configMaps
                  .update(new ConfigMapBuilder(created).addToData("key", "2").build())
                  .block(T);
              configMaps.delete("cl", "w").block(T);
            })
        .recordWith(() -> new ArrayList<WatchEvent<ConfigMap>>())
        .expectNextCount(3)
        .consumeRecordedWith(
            events ->
                events.forEach(e -> seen.add(e.type() + " " + e.object().getData().get("key"))))
        .verifyComplete();

    assertThat(seen).containsExactly("ADDED 1", "MODIFIED 2", "DELETED 2");
  }

  @Test
  void aWatchSendsBookmarksWhenAskedTo() {
    String rv = configMaps.list("cl", ListOptions.none()).block(T).resourceVersion();

    StepVerifier.create(
            configMaps
                .watch(
                    "cl",
                    ListOptions.labels("app=none").withResourceVersion(rv).withBookmarks(true))
                .filter(e -> e.type() == WatchEvent.Type.BOOKMARK)
                .take(1))
        .assertNext(e -> assertThat(e.object().getMetadata().getResourceVersion()).isNotBlank())
        .expectComplete()
        .verify(T);
  }

  @Test
  void aWatchFromBeforeTheKeptHistoryFailsWithGone() {
    ResourceClient<Lease> leases = client.resource(BuiltInResources.LEASES, Lease.class);
    Lease lease =
        leases
            .create(
                new LeaseBuilder()
                    .withNewMetadata()
                    .withNamespace("cl")
                    .withName("trim")
                    .endMetadata()
                    .withNewSpec()
                    .endSpec()
                    .build())
            .block(T);
    String oldRv = lease.getMetadata().getResourceVersion();
    for (int i = 0; i < 30; i++) {
      lease =
          leases
              .update(
                  new LeaseBuilder(lease)
                      .editSpec()
                      .withLeaseDurationSeconds(i + 1)
                      .endSpec()
                      .build())
              .block(T);
    }

    StepVerifier.create(leases.watch("cl", ListOptions.none().withResourceVersion(oldRv)))
        .expectError(GoneException.class)
        .verify(T);
  }

  @Test
  void readsItsServerFromAKubeconfig(@TempDir Path dir) {
    KubeClient fromFile = new KubeClient(ClientConfig.fromKubeconfig(server.kubeconfig(dir)));

    StepVerifier.create(
            fromFile.resource(BuiltInResources.NAMESPACES, Namespace.class).get(null, "cl"))
        .assertNext(ns -> assertThat(ns.getMetadata().getName()).isEqualTo("cl"))
        .verifyComplete();
  }
}
