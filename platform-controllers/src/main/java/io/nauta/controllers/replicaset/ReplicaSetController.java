package io.nauta.controllers.replicaset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.controllers.app.ControllersProperties;
import io.nauta.controllers.app.EventRecorders;
import io.nauta.controllers.app.ManagedController;
import io.nauta.core.client.KubeClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.controller.Expectations;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Kubernetes' ReplicaSetController: keeps {@code spec.replicas} pods matching each replica set's
 * selector. Pod events map to the pod's controller (observing the expectations on the way) or, for
 * orphans, to every replica set that could adopt them ({@link PodEventHandler}); the work is in
 * {@link ReplicaSetSync}.
 */
@Component
public class ReplicaSetController implements ManagedController {

  static final String NAME = "replicaset-controller";

  private final InformerStore<ReplicaSet> replicaSets;
  private final PodExpectations expectations;
  private final Controller controller;

  public ReplicaSetController(
      InformerFactory informers,
      KubeClient client,
      EventRecorders events,
      ControllersProperties props,
      MeterRegistry meters) {
    SharedInformer<ReplicaSet> rsInformer =
        informers.informer(BuiltInResources.REPLICASETS, ReplicaSet.class);
    SharedInformer<Pod> podInformer = informers.informer(BuiltInResources.PODS, Pod.class);
    this.replicaSets = rsInformer.store();
    this.expectations = new PodExpectations(new Expectations());
    PodEventHandler podEvents = new PodEventHandler(replicaSets, expectations);
    ReplicaSetSync sync =
        new ReplicaSetSync(
            replicaSets,
            podInformer.store(),
            new ApiReplicaSetClient(client, events.forComponent(NAME)),
            expectations,
            Clock.systemUTC());
    this.controller =
        Controller.builder(NAME)
            .primary(rsInformer)
            .watch(rsInformer, this::onReplicaSet)
            .watch(podInformer, podEvents::keys)
            .reconcile(sync::sync)
            .workers(props.workers())
            .meterRegistry(meters)
            .build();
  }

  @Override
  public Controller controller() {
    return controller;
  }

  private Collection<String> onReplicaSet(InformerEvent<ReplicaSet> event) {
    if (event.type() == InformerEvent.Type.DELETED) {
      expectations.delete(InformerStore.keyOf(event.object()));
    }
    return List.of();
  }
}
