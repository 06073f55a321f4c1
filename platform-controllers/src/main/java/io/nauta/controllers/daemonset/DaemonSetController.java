package io.nauta.controllers.daemonset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.controllers.app.ControllersProperties;
import io.nauta.controllers.app.EventRecorders;
import io.nauta.controllers.app.ManagedController;
import io.nauta.controllers.replicaset.PodExpectations;
import io.nauta.core.client.KubeClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.controller.Expectations;
import io.nauta.core.controller.OwnerReferences;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Kubernetes' DaemonSetsController: one pod per eligible node for each DaemonSet, placed by the
 * scheduler through node affinity on the node's name. Pod events go to the pod's controlling
 * DaemonSet (observing the expectations), revision events to theirs, node changes that can change
 * eligibility (added, removed, labels, taints, unschedulable) to every DaemonSet; the work is in
 * {@link DaemonSetSync}. Orphaned pods and revisions matching the selector are adopted.
 */
@Component
public class DaemonSetController implements ManagedController {

  static final String NAME = "daemonset-controller";

  private final InformerStore<DaemonSet> daemonSets;
  private final PodExpectations expectations;
  private final Controller controller;

  public DaemonSetController(
      InformerFactory informers,
      KubeClient client,
      EventRecorders events,
      ControllersProperties props,
      MeterRegistry meters) {
    SharedInformer<DaemonSet> dsInformer =
        informers.informer(BuiltInResources.DAEMONSETS, DaemonSet.class);
    SharedInformer<Pod> podInformer = informers.informer(BuiltInResources.PODS, Pod.class);
    SharedInformer<Node> nodeInformer = informers.informer(BuiltInResources.NODES, Node.class);
    SharedInformer<ControllerRevision> revisionInformer =
        informers.informer(BuiltInResources.CONTROLLER_REVISIONS, ControllerRevision.class);
    this.daemonSets = dsInformer.store();
    this.expectations = new PodExpectations(new Expectations());
    DaemonSetSync sync =
        new DaemonSetSync(
            daemonSets,
            podInformer.store(),
            nodeInformer.store(),
            revisionInformer.store(),
            new ApiDaemonSetClient(client, events.forComponent(NAME)),
            expectations,
            Clock.systemUTC());
    this.controller =
        Controller.builder(NAME)
            .primary(dsInformer)
            .watch(dsInformer, expectations::forgetDeleted)
            .watch(
                podInformer,
                e ->
                    expectations.route(
                        e, "DaemonSet", daemonSets, ds -> ds.getSpec().getSelector()))
            .watch(nodeInformer, this::onNode)
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

  private Collection<String> onNode(InformerEvent<Node> event) {
    if (event.type() == InformerEvent.Type.UPDATED
        && !eligibilityMayDiffer(event.previous(), event.object())) {
      return List.of();
    }
    return daemonSets.keys();
  }

  /** Labels, taints and cordoning decide where daemon pods run; heartbeats do not. */
  private static boolean eligibilityMayDiffer(Node old, Node cur) {
    if (old == null) {
      return true;
    }
    return !Objects.equals(old.getMetadata().getLabels(), cur.getMetadata().getLabels())
        || !Objects.equals(
            old.getSpec() == null ? null : old.getSpec().getTaints(),
            cur.getSpec() == null ? null : cur.getSpec().getTaints())
        || !Objects.equals(
            old.getSpec() == null ? null : old.getSpec().getUnschedulable(),
            cur.getSpec() == null ? null : cur.getSpec().getUnschedulable());
  }

  /** The key of the DaemonSet controlling {@code child}, if it is one we know by that uid. */
  private Optional<String> owner(HasMetadata child) {
    return OwnerReferences.controllerKey(child, "DaemonSet", daemonSets);
  }
}
