package io.nauta.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResourceRegistryTest {

  private final ResourceRegistry registry = BuiltInResources.registry();
  private final List<ResourceRegistry.Change> heard = new ArrayList<>();

  {
    registry.addListener(heard::add);
  }

  private static ResourceType widget(String version) {
    return new ResourceType(
        "example.com",
        version,
        "Widget",
        "widgets",
        "widget",
        true,
        List.of("wd"),
        List.of(),
        Set.of("status"),
        GenericKubernetesResource.class);
  }

  private static ResourceRegistry.ResourceSet widgets() {
    return new ResourceRegistry.ResourceSet(
        "widgets.example.com", List.of(widget("v1"), widget("v1beta1")), widget("v1"));
  }

  @Test
  void aPutSetIsServedAtEveryVersionAndStoredAtOne() {
    registry.put(widgets());

    assertThat(registry.find("example.com", "v1", "widgets")).contains(widget("v1"));
    assertThat(registry.find("example.com", "v1beta1", "widgets")).contains(widget("v1beta1"));
    assertThat(registry.findByKind("example.com/v1beta1", "Widget")).contains(widget("v1beta1"));
    assertThat(registry.storageOf(widget("v1beta1"))).isEqualTo(widget("v1"));
    assertThat(registry.storageOf(BuiltInResources.PODS)).isSameAs(BuiltInResources.PODS);
    assertThat(registry.groupVersions()).endsWith("example.com/v1", "example.com/v1beta1");
    assertThat(registry.storageTypes()).contains(widget("v1")).doesNotContain(widget("v1beta1"));
    assertThat(registry.ownerOf(widget("v1beta1"))).contains("widgets.example.com");
    assertThat(registry.ownerOf(BuiltInResources.PODS)).isEmpty();
    assertThat(heard)
        .containsExactly(new ResourceRegistry.Change(List.of(widget("v1")), List.of()));
  }

  @Test
  void eventsK8sIoEventsAreServedButStoredAsTheCoreEvents() {
    assertThat(registry.find("events.k8s.io", "v1", "events")).contains(BuiltInResources.EVENTS_V1);
    assertThat(registry.storageOf(BuiltInResources.EVENTS_V1)).isSameAs(BuiltInResources.EVENTS);
    assertThat(registry.storageTypes())
        .contains(BuiltInResources.EVENTS)
        .doesNotContain(BuiltInResources.EVENTS_V1);
    assertThat(registry.groupVersions()).contains("events.k8s.io/v1");
  }

  @Test
  void puttingTheSameSetAgainChangesNothingAndTellsNoOne() {
    registry.put(widgets());
    registry.put(widgets());
    assertThat(heard).hasSize(1);
  }

  @Test
  void aChangedSetReplacesTheOldOneAndKeepsItsStorage() {
    registry.put(widgets());
    registry.put(
        new ResourceRegistry.ResourceSet(
            "widgets.example.com", List.of(widget("v1")), widget("v1")));

    assertThat(registry.find("example.com", "v1beta1", "widgets")).isEmpty();
    assertThat(registry.find("example.com", "v1", "widgets")).isPresent();
    // Same resource, same storage: its cache is neither stopped nor started again.
    assertThat(heard.get(1)).isEqualTo(new ResourceRegistry.Change(List.of(), List.of()));
  }

  @Test
  void aRemovedSetIsNoLongerServed() {
    registry.put(widgets());
    registry.remove("widgets.example.com");
    registry.remove("widgets.example.com");

    assertThat(registry.find("example.com", "v1", "widgets")).isEmpty();
    assertThat(registry.findByKind("example.com/v1", "Widget")).isEmpty();
    assertThat(registry.groupVersions()).doesNotContain("example.com/v1");
    assertThat(heard)
        .containsExactly(
            new ResourceRegistry.Change(List.of(widget("v1")), List.of()),
            new ResourceRegistry.Change(List.of(), List.of(widget("v1"))));
  }

  @Test
  void aSetThatTakesABuiltInPathIsRefusedAndNothingChanges() {
    ResourceType fakePods =
        new ResourceType(
            "",
            "v1",
            "Pod",
            "pods",
            "pod",
            true,
            List.of(),
            List.of(),
            Set.of(),
            GenericKubernetesResource.class);
    assertThatThrownBy(
            () ->
                registry.put(new ResourceRegistry.ResourceSet("pods", List.of(fakePods), fakePods)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(registry.find("", "v1", "pods")).contains(BuiltInResources.PODS);
    assertThat(registry.set("pods")).isEmpty();
    assertThat(heard).isEmpty();
  }

  @Test
  void builtInKindsKeepTheirRegistrationOrder() {
    assertThat(registry.all().get(0)).isEqualTo(BuiltInResources.NAMESPACES);
    assertThat(registry.groupVersions().get(0)).isEqualTo("v1");
    assertThat(registry.find("apiextensions.k8s.io", "v1", "customresourcedefinitions"))
        .contains(BuiltInResources.CUSTOM_RESOURCE_DEFINITIONS);
  }
}
