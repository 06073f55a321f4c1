package io.nauta.federation.detector;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.nauta.core.client.KubeClient;
import io.nauta.core.component.LeaderWork;
import io.nauta.core.controller.Controller;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import reactor.core.Disposable;

/**
 * The detector's controllers with informers of their own on the templates: templates are read
 * generically ({@link GenericKubernetesResource}), and the shared informer factory keeps one
 * informer per kind whatever its model, so a typed informer of another controller (a Deployment
 * informer) and these cannot share it. Built on each start (the lease won), closed on stop.
 */
final class TemplateWork implements LeaderWork {

  private final List<ResourceType> kinds;
  private final KubeClient client;
  private final BiFunction<
          ResourceType, SharedInformer<GenericKubernetesResource>, DetectorController>
      controllers;
  private final List<SharedInformer<GenericKubernetesResource>> informers = new ArrayList<>();
  private final List<Controller> running = new ArrayList<>();
  private final List<Disposable> sweeps = new ArrayList<>();

  TemplateWork(
      List<ResourceType> kinds,
      KubeClient client,
      BiFunction<ResourceType, SharedInformer<GenericKubernetesResource>, DetectorController>
          controllers) {
    this.kinds = kinds;
    this.client = client;
    this.controllers = controllers;
  }

  @Override
  public String name() {
    return DetectorController.COMPONENT;
  }

  @Override
  public synchronized void start() {
    for (ResourceType type : kinds) {
      SharedInformer<GenericKubernetesResource> informer =
          new SharedInformer<>(client.resource(type, GenericKubernetesResource.class), null);
      DetectorController detector = controllers.apply(type, informer);
      Controller controller = detector.controller();
      informer.start();
      controller.start();
      sweeps.add(informer.synced().subscribe(null, e -> {}, detector::sweep));
      informers.add(informer);
      running.add(controller);
    }
  }

  @Override
  public synchronized void stop() {
    sweeps.forEach(Disposable::dispose);
    sweeps.clear();
    running.forEach(Controller::stop);
    informers.forEach(SharedInformer::close);
    running.clear();
    informers.clear();
  }
}
