package io.nauta.controllers.deployment;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.controllers.app.ControllersProperties;
import io.nauta.controllers.app.EventRecorders;
import io.nauta.controllers.app.ManagedController;
import io.nauta.core.client.KubeClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.controller.OwnerReferences;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.selector.LabelSelector;
import io.nauta.core.workqueue.Result;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The deployment controller: rolls deployments out through replica sets named {@code
 * <deployment>-<pod-template-hash>}. Deployment events enqueue the deployment; replica set events
 * enqueue their controlling deployment (an orphan: every deployment whose selector matches it); a
 * pod's deletion enqueues the deployment of its replica set when that deployment recreates, which
 * waits for old pods to be gone.
 */
@Component
public class DeploymentController implements ManagedController {

  static final String COMPONENT = "deployment-controller";

  private final SharedInformer<Deployment> deployments;
  private final SharedInformer<ReplicaSet> replicaSets;
  private final SharedInformer<Pod> pods;
  private final DeploymentReconciler reconciler;
  private final Controller controller;

  public DeploymentController(
      InformerFactory informers,
      KubeClient client,
      EventRecorders recorders,
      ControllersProperties props,
      MeterRegistry meters) {
    this.deployments = informers.informer(BuiltInResources.DEPLOYMENTS, Deployment.class);
    this.replicaSets = informers.informer(BuiltInResources.REPLICASETS, ReplicaSet.class);
    this.pods = informers.informer(BuiltInResources.PODS, Pod.class);
    this.reconciler =
        new DeploymentReconciler(
            new ApiDeploymentWriter(client, recorders.forComponent(COMPONENT)), Clock.systemUTC());
    this.controller =
        Controller.builder("deployment")
            .primary(deployments)
            .watch(replicaSets, this::keysForReplicaSet)
            .watch(pods, this::keysForPod)
            .reconcile(this::reconcile)
            .workers(props.workers())
            .meterRegistry(meters)
            .build();
  }

  @Override
  public Controller controller() {
    return controller;
  }

  private Mono<Result> reconcile(String key) {
    Optional<Deployment> d = deployments.store().get(key);
    if (d.isEmpty()) {
      return Mono.just(Result.done());
    }
    String namespace = d.get().getMetadata().getNamespace();
    List<ReplicaSet> inNamespace =
        replicaSets.store().byIndex(InformerStore.BY_NAMESPACE, namespace);
    return reconciler.reconcile(d.get(), inNamespace, this::podsOf);
  }

  /** The pods a replica set controls. */
  private List<Pod> podsOf(String rsUid) {
    return pods.store().byIndex(InformerStore.BY_OWNER_UID, rsUid).stream()
        .filter(
            p -> OwnerReferences.controllerOf(p).map(r -> rsUid.equals(r.getUid())).orElse(false))
        .toList();
  }

  private Collection<String> keysForReplicaSet(InformerEvent<ReplicaSet> event) {
    Set<String> keys = new LinkedHashSet<>();
    ReplicaSet now = event.object();
    ReplicaSet before = event.previous();
    if (before != null && before != now) {
      deploymentOf(before).ifPresent(keys::add);
    }
    Optional<String> owner = deploymentOf(now);
    if (owner.isPresent()) {
      keys.add(owner.get());
    } else if (event.type() != InformerEvent.Type.DELETED
        && OwnerReferences.controllerOf(now).isEmpty()) {
      keys.addAll(deploymentsSelecting(now));
    }
    return keys;
  }

  private Collection<String> keysForPod(InformerEvent<Pod> event) {
    if (event.type() != InformerEvent.Type.DELETED) {
      return List.of();
    }
    Pod pod = event.object();
    Optional<OwnerReference> ref = OwnerReferences.controllerOf(pod);
    if (ref.isEmpty() || !"ReplicaSet".equals(ref.get().getKind())) {
      return List.of();
    }
    return replicaSets
        .store()
        .get(pod.getMetadata().getNamespace(), ref.get().getName())
        .filter(rs -> Objects.equals(rs.getMetadata().getUid(), ref.get().getUid()))
        .flatMap(this::deploymentOf)
        .filter(key -> deployments.store().get(key).map(Deployments::isRecreate).orElse(false))
        .map(List::of)
        .orElse(List.of());
  }

  private Optional<String> deploymentOf(ReplicaSet rs) {
    return OwnerReferences.controllerOf(rs)
        .filter(r -> "Deployment".equals(r.getKind()))
        .map(r -> InformerStore.key(rs.getMetadata().getNamespace(), r.getName()));
  }

  private List<String> deploymentsSelecting(ReplicaSet rs) {
    List<String> out = new ArrayList<>();
    for (Deployment d :
        deployments.store().byIndex(InformerStore.BY_NAMESPACE, rs.getMetadata().getNamespace())) {
      if (d.getSpec() == null || d.getSpec().getSelector() == null) {
        continue;
      }
      LabelSelector selector;
      try {
        selector = LabelSelector.fromModel(d.getSpec().getSelector());
      } catch (RuntimeException invalid) {
        continue;
      }
      if (!selector.isEmpty() && selector.matches(rs.getMetadata().getLabels())) {
        out.add(InformerStore.keyOf(d));
      }
    }
    return out;
  }
}
