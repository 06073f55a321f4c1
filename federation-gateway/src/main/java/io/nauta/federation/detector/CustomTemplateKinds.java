package io.nauta.federation.detector;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.nauta.core.client.KubeClient;
import io.nauta.core.component.LeaderWork;
import io.nauta.core.controller.Controller;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.CustomResourceTypes;
import io.nauta.core.registry.ResourceType;
import io.nauta.federation.api.Karmada;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * Custom resources as templates: while the gateway leads, the detector follows the
 * CustomResourceDefinitions and runs, for each established one, an informer and a detector
 * controller on its kind at the storage version (so a policy selects a custom resource by that
 * {@code apiVersion}); a definition that goes takes them with it. Karmada's own kinds and the MCS
 * API are not templates.
 */
final class CustomTemplateKinds implements LeaderWork {

  private static final Logger log = LoggerFactory.getLogger(CustomTemplateKinds.class);

  private static final Set<String> NOT_TEMPLATES =
      Set.of(Karmada.CLUSTER_GROUP, Karmada.POLICY_GROUP, Karmada.WORK_GROUP, Karmada.MCS_GROUP);

  private record Followed(
      ResourceType type,
      SharedInformer<GenericKubernetesResource> informer,
      Controller controller,
      Disposable sweep) {}

  private final SharedInformer<CustomResourceDefinition> definitions;
  private final KubeClient client;
  private final BiFunction<
          ResourceType, SharedInformer<GenericKubernetesResource>, DetectorController>
      controllers;
  private final Map<String, Followed> followed = new ConcurrentHashMap<>();
  private Disposable events;

  CustomTemplateKinds(
      SharedInformer<CustomResourceDefinition> definitions,
      KubeClient client,
      BiFunction<ResourceType, SharedInformer<GenericKubernetesResource>, DetectorController>
          controllers) {
    this.definitions = definitions;
    this.client = client;
    this.controllers = controllers;
  }

  @Override
  public String name() {
    return DetectorController.COMPONENT + "-custom-kinds";
  }

  @Override
  public synchronized void start() {
    events =
        definitions.events().subscribe(e -> sync(), e -> log.warn("definitions: {}", e.toString()));
    sync();
  }

  @Override
  public synchronized void stop() {
    if (events != null) {
      events.dispose();
      events = null;
    }
    Set.copyOf(followed.keySet()).forEach(this::unfollow);
  }

  /** Level-triggered: what is followed against what the definitions say now. */
  private synchronized void sync() {
    if (events == null) {
      return;
    }
    Set<String> wanted = new HashSet<>();
    for (CustomResourceDefinition crd : definitions.store().list()) {
      ResourceType type = CustomResourceTypes.storageType(crd);
      if (type == null || NOT_TEMPLATES.contains(type.group())) {
        continue;
      }
      String name = crd.getMetadata().getName();
      wanted.add(name);
      Followed f = followed.get(name);
      if (f != null && f.type().equals(type)) {
        continue;
      }
      unfollow(name);
      SharedInformer<GenericKubernetesResource> informer =
          new SharedInformer<>(client.resource(type, GenericKubernetesResource.class), null);
      DetectorController detector = controllers.apply(type, informer);
      Controller controller = detector.controller();
      informer.start();
      controller.start();
      Disposable sweep = informer.synced().subscribe(null, e -> {}, detector::sweep);
      followed.put(name, new Followed(type, informer, controller, sweep));
      log.info("resource detector follows {}", type.groupResource());
    }
    for (String name : Set.copyOf(followed.keySet())) {
      if (!wanted.contains(name)) {
        unfollow(name);
      }
    }
  }

  private void unfollow(String name) {
    Followed f = followed.remove(name);
    if (f != null) {
      f.sweep().dispose();
      f.controller().stop();
      f.informer().close();
    }
  }
}
