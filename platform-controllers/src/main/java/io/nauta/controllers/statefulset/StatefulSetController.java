package io.nauta.controllers.statefulset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.controllers.app.ControllersProperties;
import io.nauta.controllers.app.EventRecorders;
import io.nauta.controllers.app.ManagedController;
import io.nauta.controllers.replicaset.PodExpectations;
import io.nauta.core.client.KubeClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.controller.Expectations;
import io.nauta.core.controller.OwnerReferences;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Kubernetes' StatefulSetController: pods with stable names, identities and claims, created and
 * removed in order (or in parallel), updated from the highest ordinal down to the partition. Pod
 * and revision events go to their controlling StatefulSet (pod events observing the expectations),
 * an orphaned pod's to the StatefulSets that may adopt it; the work is in {@link StatefulSetSync}.
 */
@Component
public class StatefulSetController implements ManagedController {

  static final String NAME = "statefulset-controller";

  private final InformerStore<StatefulSet> sets;
  private final PodExpectations expectations;
  private final Controller controller;

  public StatefulSetController(
      InformerFactory informers,
      KubeClient client,
      EventRecorders events,
      ControllersProperties props,
      MeterRegistry meters) {
    SharedInformer<StatefulSet> setInformer =
        informers.informer(BuiltInResources.STATEFULSETS, StatefulSet.class);
    SharedInformer<Pod> podInformer = informers.informer(BuiltInResources.PODS, Pod.class);
    SharedInformer<PersistentVolumeClaim> claimInformer =
        informers.informer(BuiltInResources.PERSISTENT_VOLUME_CLAIMS, PersistentVolumeClaim.class);
    SharedInformer<ControllerRevision> revisionInformer =
        informers.informer(BuiltInResources.CONTROLLER_REVISIONS, ControllerRevision.class);
    this.sets = setInformer.store();
    this.expectations = new PodExpectations(new Expectations());
    StatefulSetSync sync =
        new StatefulSetSync(
            sets,
            podInformer.store(),
            claimInformer.store(),
            revisionInformer.store(),
            client,
            events.forComponent(NAME),
            expectations,
            Clock.systemUTC());
    this.controller =
        Controller.builder(NAME)
            .primary(setInformer)
            .watch(setInformer, expectations::forgetDeleted)
            .watch(
                podInformer,
                e -> expectations.route(e, "StatefulSet", sets, s -> s.getSpec().getSelector()))
            .watch(claimInformer, e -> List.of())
            .watch(revisionInformer, e -> owner(e.object()).map(List::of).orElse(List.of()))
            .reconcile(sync::sync)
            .workers(props.workers())
            .meterRegistry(meters)
            .build();
  }

  @Override
  public Controller controller() {
    return controller;
  }

  /** The key of the StatefulSet controlling {@code child}, if it is one we know by that uid. */
  private Optional<String> owner(HasMetadata child) {
    return OwnerReferences.controllerKey(child, "StatefulSet", sets);
  }
}
