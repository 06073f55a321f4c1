package io.nauta.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.nauta.core.client.KubeClient;
import io.nauta.core.component.LeaderWork;
import io.nauta.core.controller.Controller;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.CustomResourceTypes;
import io.nauta.core.registry.ResourceType;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * The garbage collector's custom kinds: while the controller manager leads, it follows the
 * CustomResourceDefinitions and, for each established one, runs an informer and a collector
 * controller on its kind (at the storage version), so custom resources are collected and can own
 * built-in objects (a Deployment owned by a custom resource goes when that resource does), as
 * upstream's collector follows every deletable resource discovery lists. A definition that goes
 * takes its informer and controller with it.
 */
final class CustomKindsFollower implements LeaderWork {

  private static final Logger log = LoggerFactory.getLogger(CustomKindsFollower.class);

  /** A custom kind followed now: its informer and its collector controller. */
  private record Followed(
      ResourceType type,
      SharedInformer<GenericKubernetesResource> informer,
      Controller controller) {}

  /** What a collector controller is built from: the kind and its informer. */
  record Kind(ResourceType type, SharedInformer<GenericKubernetesResource> informer) {}

  private final SharedInformer<CustomResourceDefinition> definitions;
  private final KubeClient client;
  private final GarbageCollector gc;
  private final Function<Kind, Controller> controllers;
  private final Map<String, Followed> followed = new ConcurrentHashMap<>();
  private Disposable events;

  CustomKindsFollower(
      SharedInformer<CustomResourceDefinition> definitions,
      KubeClient client,
      GarbageCollector gc,
      Function<Kind, Controller> controllers) {
    this.definitions = definitions;
    this.client = client;
    this.gc = gc;
    this.controllers = controllers;
  }

  @Override
  public String name() {
    return "garbagecollector-custom-kinds";
  }

  Optional<Controller> controller(ResourceType type) {
    return followed.values().stream()
        .filter(f -> f.type().equals(type))
        .map(Followed::controller)
        .findFirst();
  }

  @Override
  public synchronized void start() {
    definitions.start();
    events =
        definitions.events().subscribe(e -> sync(), e -> log.warn("definitions: {}", e.toString()));
    sync();
  }

  /** Level-triggered: compares what is followed with what the definitions say now. */
  private synchronized void sync() {
    if (events == null || events.isDisposed()) {
      return;
    }
    Set<String> wanted = new HashSet<>();
    for (CustomResourceDefinition crd : definitions.store().list()) {
      ResourceType type = storageType(crd);
      if (type == null) {
        continue;
      }
      String name = crd.getMetadata().getName();
      wanted.add(name);
      Followed f = followed.get(name);
      if (f != null && f.type().equals(type)) {
        continue;
      }
      if (f != null) {
        unfollow(name);
      }
      follow(name, type);
    }
    for (String name : Set.copyOf(followed.keySet())) {
      if (!wanted.contains(name)) {
        unfollow(name);
      }
    }
  }

  private void follow(String name, ResourceType type) {
    SharedInformer<GenericKubernetesResource> informer =
        new SharedInformer<>(client.resource(type, GenericKubernetesResource.class), null);
    Controller controller = controllers.apply(new Kind(type, informer));
    gc.follow(type, informer.store());
    informer.start();
    controller.start();
    followed.put(name, new Followed(type, informer, controller));
    log.info("garbage collector follows {}", type.groupResource());
  }

  private void unfollow(String name) {
    Followed f = followed.remove(name);
    if (f != null) {
      f.controller().stop();
      f.informer().close();
      gc.unfollow(f.type());
      log.info("garbage collector no longer follows {}", f.type().groupResource());
    }
  }

  /** The kind's type at its storage version, once established; null before or without one. */
  static ResourceType storageType(CustomResourceDefinition crd) {
    return CustomResourceTypes.storageType(crd);
  }

  @Override
  public synchronized void stop() {
    if (events != null) {
      events.dispose();
    }
    for (String name : Set.copyOf(followed.keySet())) {
      unfollow(name);
    }
  }
}
