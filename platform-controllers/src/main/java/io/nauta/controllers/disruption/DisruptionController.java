package io.nauta.controllers.disruption;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.controllers.app.ControllersProperties;
import io.nauta.controllers.app.EventRecorders;
import io.nauta.controllers.app.ManagedController;
import io.nauta.controllers.scale.ScaleTargets;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.events.EventRecorder;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.policy.DisruptionBudgets;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.workqueue.Result;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Kubernetes' disruption controller: keeps each PodDisruptionBudget's status (see {@link
 * BudgetStatus}) from the pods its selector matches, so that {@code pods/eviction} knows how many
 * pods may go. A budget is looked at when it changes, when a pod of its namespace that it matches
 * (before or after the change) changes or goes, and again when an eviction it recorded in {@code
 * disruptedPods} expires. The status is written with the read budget's resourceVersion: an eviction
 * that spent a disruption meanwhile makes the write conflict, and the budget is computed again from
 * the newer status.
 */
@Component
public class DisruptionController implements ManagedController {

  static final String NAME = "disruption-controller";

  private final InformerStore<PodDisruptionBudget> budgets;
  private final InformerStore<Pod> pods;
  private final ResourceClient<PodDisruptionBudget> api;
  private final Clock clock;
  private final EventRecorder events;
  private final ControllerScales scales;
  private final Controller controller;

  public DisruptionController(
      InformerFactory informers,
      KubeClient client,
      ControllersProperties props,
      EventRecorders events,
      MeterRegistry meters) {
    SharedInformer<PodDisruptionBudget> budgetInformer =
        informers.informer(BuiltInResources.POD_DISRUPTION_BUDGETS, PodDisruptionBudget.class);
    SharedInformer<Pod> podInformer = informers.informer(BuiltInResources.PODS, Pod.class);
    this.budgets = budgetInformer.store();
    this.pods = podInformer.store();
    this.scales =
        new ControllerScales(
            informers.informer(BuiltInResources.REPLICASETS, ReplicaSet.class).store(),
            informers.informer(BuiltInResources.DEPLOYMENTS, Deployment.class).store(),
            informers.informer(BuiltInResources.STATEFULSETS, StatefulSet.class).store(),
            new ScaleTargets(client));
    this.api = client.resource(BuiltInResources.POD_DISRUPTION_BUDGETS, PodDisruptionBudget.class);
    this.clock = Clock.systemUTC();
    this.events = events.forComponent(NAME);
    this.controller =
        Controller.builder(NAME)
            .primary(budgetInformer)
            .watch(podInformer, this::budgetsOf)
            .reconcile(this::sync)
            .workers(props.workers())
            .meterRegistry(meters)
            .build();
  }

  @Override
  public Controller controller() {
    return controller;
  }

  /** The budgets that match the pod before or after the change. */
  private Collection<String> budgetsOf(InformerEvent<Pod> e) {
    Set<String> keys = new LinkedHashSet<>();
    for (Pod pod : e.previous() == null ? List.of(e.object()) : List.of(e.previous(), e.object())) {
      String ns = pod.getMetadata().getNamespace();
      for (PodDisruptionBudget pdb : budgets.byIndex(InformerStore.BY_NAMESPACE, ns)) {
        if (DisruptionBudgets.selects(selector(pdb), labels(pod))) {
          keys.add(InformerStore.keyOf(pdb));
        }
      }
    }
    return keys;
  }

  private Mono<Result> sync(String key) {
    Optional<PodDisruptionBudget> cached = budgets.get(key);
    if (cached.isEmpty()) {
      return Mono.just(Result.done());
    }
    PodDisruptionBudget pdb = cached.get();
    Instant now = clock.instant();
    List<Pod> matching = podsOf(pdb);
    Mono<ControllerScales.Expected> expected =
        BudgetStatus.needsScale(pdb)
            ? scales.of(matching)
            : Mono.just(new ControllerScales.Expected(matching.size(), List.of()));
    return noPods(pdb, matching)
        .then(expected)
        .flatMap(e -> update(pdb, matching, e, now))
        .onErrorResume(
            ControllerScales.ExpectedCountException.class, e -> failSafe(pdb, e.getMessage(), now))
        .onErrorResume(NotFoundException.class, e -> Mono.just(Result.done()))
        .onErrorResume(
            ConflictException.class, e -> Mono.just(Result.requeueAfter(Duration.ofMillis(50))));
  }

  private Mono<Result> update(
      PodDisruptionBudget pdb,
      List<Pod> matching,
      ControllerScales.Expected expected,
      Instant now) {
    BudgetStatus computed = BudgetStatus.compute(pdb, matching, expected.pods(), now);
    Mono<?> write =
        computed.differsFrom(pdb)
            ? api.updateStatus(
                new PodDisruptionBudgetBuilder(pdb).withStatus(computed.status()).build())
            : Mono.empty();
    return warn(pdb, expected, computed)
        .then(write)
        .then(
            Mono.fromSupplier(
                () ->
                    computed.recheckAt() == null
                        ? Result.done()
                        : Result.requeueAfter(
                            Duration.between(now, computed.recheckAt()).plusMillis(1))));
  }

  /**
   * Upstream's {@code failSafe}: when the expected pods cannot be counted (a pod's controller
   * missing, or of a kind without {@code scale}), the budget allows nothing and says why.
   */
  private Mono<Result> failSafe(PodDisruptionBudget pdb, String message, Instant now) {
    PodDisruptionBudgetStatus failed = BudgetStatus.failSafe(pdb, message, now);
    Mono<?> write =
        BudgetStatus.differs(pdb.getStatus(), failed)
            ? api.updateStatus(new PodDisruptionBudgetBuilder(pdb).withStatus(failed).build())
            : Mono.empty();
    return events
        .warning(
            pdb,
            "CalculateExpectedPodCountFailed",
            "Failed to calculate the number of expected pods: " + message)
        .onErrorResume(e -> Mono.empty())
        .then(write)
        .thenReturn(Result.done());
  }

  /** Upstream's {@code NoPods} event: the budget's selector matches no pod. */
  private Mono<Void> noPods(PodDisruptionBudget pdb, List<Pod> matching) {
    return matching.isEmpty()
        ? events.normal(pdb, "NoPods", "No matching pods found").onErrorResume(e -> Mono.empty())
        : Mono.empty();
  }

  /**
   * Upstream's warnings: {@code UnmanagedPods} on the budget when some of its pods have no
   * controller (they count nothing toward a scale), {@code NotDeleted} on a pod not evicted in
   * time.
   */
  private Mono<Void> warn(
      PodDisruptionBudget pdb, ControllerScales.Expected expected, BudgetStatus computed) {
    Mono<Void> out =
        expected.unmanaged().isEmpty()
            ? Mono.empty()
            : events.warning(
                pdb,
                "UnmanagedPods",
                "Pods selected by this PodDisruptionBudget (selector: "
                    + GoSelectorString.of(selector(pdb))
                    + ") were found to be unmanaged. As a result, the status of the PDB cannot be"
                    + " calculated correctly, which may result in undefined behavior. To account"
                    + " for these pods please set \".spec.minAvailable\" field of the PDB to an"
                    + " integer value.");
    for (Pod pod : computed.notDeleted()) {
      out =
          out.then(
              events.warning(
                  pod,
                  "NotDeleted",
                  "Pod was expected by PDB "
                      + pdb.getMetadata().getNamespace()
                      + "/"
                      + pdb.getMetadata().getName()
                      + " to be deleted but it wasn't"));
    }
    return out.onErrorResume(e -> Mono.empty());
  }

  private List<Pod> podsOf(PodDisruptionBudget pdb) {
    LabelSelector selector = selector(pdb);
    List<Pod> matching = new ArrayList<>();
    for (Pod pod : pods.byIndex(InformerStore.BY_NAMESPACE, pdb.getMetadata().getNamespace())) {
      if (DisruptionBudgets.selects(selector, labels(pod))) {
        matching.add(pod);
      }
    }
    return matching;
  }

  private static LabelSelector selector(PodDisruptionBudget pdb) {
    return pdb.getSpec() == null ? null : pdb.getSpec().getSelector();
  }

  private static Map<String, String> labels(Pod pod) {
    return pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
  }
}
