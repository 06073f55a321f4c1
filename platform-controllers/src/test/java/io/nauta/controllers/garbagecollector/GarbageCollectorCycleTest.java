package io.nauta.controllers.garbagecollector;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Foreground deletion of config maps that own each other, run to the end: an in-memory API applies
 * the collector's writes the way the API server does and feeds the resulting events back, and a
 * de-duplicating queue hands out keys until none is left, so a busy loop shows as a queue that
 * never drains.
 */
class GarbageCollectorCycleTest {

  private static final ResourceType CM = BuiltInResources.CONFIGMAPS;
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int MAX_RECONCILES = 200;

  private final InformerStore<ConfigMap> configMaps = new InformerStore<>();
  private final Deque<String> queue = new ArrayDeque<>();
  private final ConfigMapApi api = new ConfigMapApi();
  private final GarbageCollector gc =
      new GarbageCollector(
          Map.of(CM, configMaps),
          api,
          (type, key) -> {
            if (!queue.contains(key)) {
              queue.add(key);
            }
          });
  private int version = 1;

  /** The API server's part for config maps: deletion with finalizers, owner reference patches. */
  final class ConfigMapApi implements GcClient {
    int writes;

    @Override
    public Mono<HasMetadata> get(ResourceType type, String namespace, String name) {
      return Mono.justOrEmpty(configMaps.get(namespace, name));
    }

    @Override
    public Mono<Void> delete(
        ResourceType type, String namespace, String name, String uid, String policy) {
      writes++;
      configMaps
          .get(namespace, name)
          .filter(c -> c.getMetadata().getUid().equals(uid))
          .ifPresent(c -> deleteWith(c, policy));
      return Mono.empty();
    }

    @Override
    public Mono<Void> patchOwnerReferences(
        ResourceType type, String namespace, String name, String patch) {
      writes++;
      Optional<ConfigMap> live = configMaps.get(namespace, name);
      if (live.isEmpty()) {
        return Mono.empty();
      }
      Map<String, Map<String, Object>> parsed = JSON.readValue(patch, new TypeReference<>() {});
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> entries =
          (List<Map<String, Object>>) parsed.get("metadata").get("ownerReferences");
      List<OwnerReference> refs = new ArrayList<>(live.get().getMetadata().getOwnerReferences());
      for (Map<String, Object> entry : entries) {
        refs.removeIf(r -> r.getUid().equals(entry.get("uid")));
        if (!"delete".equals(entry.get("$patch"))) {
          refs.add(JSON.convertValue(entry, OwnerReference.class));
        }
      }
      write(
          new ConfigMapBuilder(live.get())
              .editMetadata()
              .withOwnerReferences(refs)
              .endMetadata()
              .build());
      return Mono.empty();
    }

    @Override
    public Mono<Void> removeFinalizer(
        ResourceType type, String namespace, String name, String finalizer) {
      writes++;
      configMaps
          .get(namespace, name)
          .ifPresent(
              c -> {
                List<String> rest = new ArrayList<>(c.getMetadata().getFinalizers());
                rest.remove(finalizer);
                write(
                    new ConfigMapBuilder(c)
                        .editMetadata()
                        .withFinalizers(rest)
                        .endMetadata()
                        .build());
              });
      return Mono.empty();
    }
  }

  /** As the API server: foreground adds its finalizer; an object without finalizers goes. */
  private void deleteWith(ConfigMap c, String policy) {
    if (c.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    List<String> finalizers = new ArrayList<>(c.getMetadata().getFinalizers());
    if (policy.equals("Foreground")) {
      finalizers.add(GarbageCollector.FOREGROUND);
    } else if (policy.equals("Orphan")) {
      finalizers.add(GarbageCollector.ORPHAN);
    }
    write(
        new ConfigMapBuilder(c)
            .editMetadata()
            .withDeletionTimestamp("2026-01-01T00:00:00Z")
            .withFinalizers(finalizers)
            .endMetadata()
            .build());
  }

  private void write(ConfigMap c) {
    ConfigMap next =
        new ConfigMapBuilder(c)
            .editMetadata()
            .withResourceVersion(String.valueOf(++version))
            .endMetadata()
            .build();
    Optional<InformerEvent<ConfigMap>> event;
    if (next.getMetadata().getDeletionTimestamp() != null
        && next.getMetadata().getFinalizers().isEmpty()) {
      event = configMaps.remove(next);
    } else {
      event = configMaps.upsert(next);
    }
    event.ifPresent(e -> gc.onEvent(CM, e));
  }

  private int runUntilIdle() {
    int reconciles = 0;
    while (!queue.isEmpty() && reconciles < MAX_RECONCILES) {
      gc.reconcile(CM, queue.poll()).block(Duration.ofSeconds(5));
      reconciles++;
    }
    return reconciles;
  }

  private static ConfigMap configMap(String name, OwnerReference... owners) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("ns")
        .withUid("uid-" + name)
        .withResourceVersion("1")
        .withOwnerReferences(owners)
        .endMetadata()
        .build();
  }

  private static OwnerReference owner(String name, boolean block) {
    return new OwnerReferenceBuilder()
        .withApiVersion("v1")
        .withKind("ConfigMap")
        .withName(name)
        .withUid("uid-" + name)
        .withBlockOwnerDeletion(block)
        .build();
  }

  @Test
  void twoConfigMapsOwningEachOtherBothGoAfterAForegroundDeletionOfOne() {
    write(configMap("a", owner("b", true)));
    write(configMap("b", owner("a", true)));
    runUntilIdle();

    deleteWith(configMaps.get("ns", "a").orElseThrow(), "Foreground");
    int reconciles = runUntilIdle();

    assertThat(queue).as("keys still queued after %d reconciles", reconciles).isEmpty();
    assertThat(configMaps.list()).isEmpty();
    assertThat(reconciles).isLessThan(20);
    assertThat(api.writes).isLessThan(10);
  }

  @Test
  void aChainOfBlockingDependentsGoesBeforeItsOwnerAsBefore() {
    write(configMap("top"));
    write(configMap("middle", owner("top", true)));
    write(configMap("bottom", owner("middle", true)));
    runUntilIdle();

    deleteWith(configMaps.get("ns", "top").orElseThrow(), "Foreground");
    int reconciles = runUntilIdle();

    assertThat(queue).isEmpty();
    assertThat(configMaps.list()).isEmpty();
    assertThat(reconciles).isLessThan(20);
  }

  @Test
  void threeConfigMapsInARingAllGo() {
    write(configMap("a", owner("c", true)));
    write(configMap("b", owner("a", true)));
    write(configMap("c", owner("b", true)));
    runUntilIdle();

    deleteWith(configMaps.get("ns", "a").orElseThrow(), "Foreground");
    int reconciles = runUntilIdle();

    assertThat(queue).isEmpty();
    assertThat(configMaps.list()).isEmpty();
    assertThat(reconciles).isLessThan(30);
  }
}
