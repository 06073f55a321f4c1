package io.nauta.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.controllers.app.ControllersProperties;
import io.nauta.core.client.KubeClient;
import io.nauta.core.component.ComponentRunner;
import io.nauta.core.component.ComponentWork;
import io.nauta.core.controller.Controller;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The garbage collector as one controller per followed kind (keys are {@code namespace/name} of
 * that kind), all sharing one {@link GarbageCollector}; an event on one kind can queue keys of
 * another (an owner, a dependent). Every one runs while the controller manager leads.
 */
public final class GarbageCollectorControllers implements ComponentWork {

  private final Map<ResourceType, Controller> controllers = new LinkedHashMap<>();
  private final CustomKindsFollower customKinds;

  @SuppressWarnings({"unchecked", "rawtypes"})
  public GarbageCollectorControllers(
      InformerFactory informers,
      KubeClient client,
      ControllersProperties props,
      MeterRegistry meters) {
    Map<ResourceType, SharedInformer<? extends HasMetadata>> byKind = new LinkedHashMap<>();
    Map<ResourceType, InformerStore<? extends HasMetadata>> stores = new LinkedHashMap<>();
    for (ResourceType type : GarbageCollector.KINDS) {
      SharedInformer<? extends HasMetadata> informer =
          informers.informer(type, (Class) type.modelClass());
      byKind.put(type, informer);
      stores.put(type, informer.store());
    }
    GarbageCollector gc = new GarbageCollector(stores, new ApiGcClient(client), this::enqueue);
    byKind.forEach(
        (type, informer) -> controllers.put(type, controller(gc, type, informer, props, meters)));
    customKinds =
        new CustomKindsFollower(
            informers.informer(
                BuiltInResources.CUSTOM_RESOURCE_DEFINITIONS, CustomResourceDefinition.class),
            client,
            gc,
            kind -> controller(gc, kind.type(), kind.informer(), props, meters));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Controller controller(
      GarbageCollector gc,
      ResourceType type,
      SharedInformer<? extends HasMetadata> informer,
      ControllersProperties props,
      MeterRegistry meters) {
    // Built-in kinds keep their plural (metrics name them so); custom ones need their group.
    String name = GarbageCollector.KINDS.contains(type) ? type.plural() : type.groupResource();
    return Controller.builder("garbagecollector-" + name)
        .primary((SharedInformer) informer)
        .watch(
            (SharedInformer) informer,
            e -> {
              gc.onEvent(type, (InformerEvent) e);
              return List.of();
            })
        .reconcile(key -> gc.reconcile(type, key))
        .workers(props.workers())
        .meterRegistry(meters)
        .build();
  }

  public Controller controller(ResourceType type) {
    return controllers.get(type);
  }

  @Override
  public void register(ComponentRunner runner) {
    controllers.values().forEach(runner::whileLeading);
    runner.whileLeading(customKinds);
  }

  private void enqueue(ResourceType type, String key) {
    Controller c = controllers.get(type);
    if (c == null) {
      c = customKinds.controller(type).orElse(null);
    }
    if (c != null) {
      c.enqueue(key);
    }
  }
}
