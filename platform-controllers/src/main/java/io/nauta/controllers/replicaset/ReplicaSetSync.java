package io.nauta.controllers.replicaset;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.nauta.controllers.pods.PodConditions;
import io.nauta.core.controller.Expectations;
import io.nauta.core.controller.OwnerReferences;
import io.nauta.core.errors.ApiException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.selector.LabelSelector;
import io.nauta.core.workqueue.Result;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One pass of Kubernetes' {@code syncReplicaSet} for one replica set key, from the informers'
 * stores: claim pods, create or delete pods towards {@code spec.replicas} when the expectations
 * allow it, then write the status.
 */
final class ReplicaSetSync {

  private static final Log log = LogFactory.getLog(ReplicaSetSync.class);

  /** Kubernetes' burstReplicas: at most this many creates or deletes per pass. */
  static final int BURST_REPLICAS = 500;

  /** Kubernetes' SlowStartInitialBatchSize. */
  static final int SLOW_START_INITIAL_BATCH = 1;

  private final InformerStore<ReplicaSet> replicaSets;
  private final InformerStore<Pod> pods;
  private final ReplicaSetClient client;
  private final PodExpectations expectations;
  private final PodClaimer claimer;
  private final Clock clock;

  ReplicaSetSync(
      InformerStore<ReplicaSet> replicaSets,
      InformerStore<Pod> pods,
      ReplicaSetClient client,
      PodExpectations expectations,
      Clock clock) {
    this.replicaSets = replicaSets;
    this.pods = pods;
    this.client = client;
    this.expectations = expectations;
    this.claimer = new PodClaimer(client);
    this.clock = clock;
  }

  Mono<Result> sync(String key) {
    Optional<ReplicaSet> cached = replicaSets.get(key);
    if (cached.isEmpty()) {
      expectations.delete(key);
      return Mono.just(Result.done());
    }
    ReplicaSet rs = cached.get();
    LabelSelector selector;
    try {
      selector = LabelSelector.fromModel(rs.getSpec().getSelector());
    } catch (ApiException e) {
      // The API server validates selectors; a bad one cannot be fixed by retrying.
      log.warn(key + ": invalid selector, skipping: " + e.getMessage());
      return Mono.just(Result.done());
    }
    boolean needsSync = expectations.satisfied(key);
    List<Pod> active =
        pods.byIndex(InformerStore.BY_NAMESPACE, rs.getMetadata().getNamespace()).stream()
            .filter(PodConditions::isActive)
            .toList();
    int desired = ReplicaSetStatuses.orZero(rs.getSpec().getReplicas());
    return claimer
        .claim(rs, selector, active)
        .flatMap(
            claimed -> {
              Mono<Optional<Throwable>> manage =
                  needsSync && rs.getMetadata().getDeletionTimestamp() == null
                      ? manageReplicas(key, rs, claimed)
                          .then(Mono.just(Optional.<Throwable>empty()))
                          .onErrorResume(e -> Mono.just(Optional.of(e)))
                      : Mono.just(Optional.empty());
              return manage.flatMap(
                  error ->
                      finish(rs, claimed, error.orElse(null), claimed.size() < desired, needsSync));
            });
  }

  /** Writes the status if it changed; fails with the manage error so the key is retried. */
  private Mono<Result> finish(
      ReplicaSet rs, List<Pod> claimed, Throwable manageError, boolean scalingUp, boolean synced) {
    Instant now = clock.instant();
    ReplicaSetStatus status =
        ReplicaSetStatuses.calculate(rs, claimed, manageError, scalingUp, now);
    Mono<Void> write =
        ReplicaSetStatuses.same(rs.getStatus(), status)
            ? Mono.empty()
            : client
                .updateStatus(rs, status)
                .onErrorResume(NotFoundException.class, e -> Mono.empty());
    if (manageError != null) {
      return write.then(Mono.error(manageError));
    }
    Optional<Duration> wait = ReplicaSetStatuses.nextAvailableCheck(rs, claimed, now);
    if (!synced) {
      // Waiting for our own creates or deletes: should one of their events never come, look again
      // when the expectation has expired rather than wait for an unrelated event.
      Duration expiry = Expectations.DEFAULT_TIMEOUT.plusSeconds(1);
      wait = Optional.of(wait.filter(w -> w.compareTo(expiry) < 0).orElse(expiry));
    }
    return write.thenReturn(wait.map(Result::requeueAfter).orElse(Result.done()));
  }

  /** Kubernetes' manageReplicas: one step towards {@code spec.replicas}. */
  Mono<Void> manageReplicas(String key, ReplicaSet rs, List<Pod> claimed) {
    int diff = claimed.size() - ReplicaSetStatuses.orZero(rs.getSpec().getReplicas());
    if (diff < 0) {
      int count = Math.min(-diff, BURST_REPLICAS);
      // Expect first: the informer may deliver a created pod before the create call returns.
      expectations.expectCreations(key, count);
      return SlowStart.run(count, SLOW_START_INITIAL_BATCH, () -> createPod(rs))
          .flatMap(
              outcome -> {
                for (int i = outcome.successes(); i < count; i++) {
                  // Failed and skipped creates will never be observed.
                  expectations.creationObserved(key);
                }
                return outcome.error() == null ? Mono.<Void>empty() : Mono.error(outcome.error());
              });
    }
    if (diff > 0) {
      int count = Math.min(diff, BURST_REPLICAS);
      List<Pod> victims = PodRanking.podsToDelete(claimed, count);
      expectations.expectDeletions(key, victims.stream().map(InformerStore::keyOf).toList());
      List<Throwable> errors = new ArrayList<>();
      return Flux.fromIterable(victims)
          .flatMap(pod -> deletePod(key, rs, pod).onErrorResume(e -> recordError(errors, e)))
          .then(Mono.defer(() -> errors.isEmpty() ? Mono.empty() : Mono.error(errors.get(0))));
    }
    return Mono.empty();
  }

  private static Mono<Void> recordError(List<Throwable> errors, Throwable e) {
    synchronized (errors) {
      errors.add(e);
    }
    return Mono.empty();
  }

  private Mono<Void> createPod(ReplicaSet rs) {
    return client
        .createPod(rs.getMetadata().getNamespace(), podFromTemplate(rs))
        .flatMap(
            pod ->
                client.event(
                    rs,
                    "Normal",
                    "SuccessfulCreate",
                    "Created pod: " + pod.getMetadata().getName()))
        .onErrorResume(
            e ->
                client
                    .event(rs, "Warning", "FailedCreate", "Error creating: " + e.getMessage())
                    .then(Mono.error(e)));
  }

  private Mono<Void> deletePod(String key, ReplicaSet rs, Pod pod) {
    String name = pod.getMetadata().getName();
    return client
        .deletePod(pod.getMetadata().getNamespace(), name)
        .then(
            Mono.defer(
                () -> client.event(rs, "Normal", "SuccessfulDelete", "Deleted pod: " + name)))
        .onErrorResume(
            e -> {
              // The delete will never be observed as such.
              expectations.deletionObserved(key, InformerStore.keyOf(pod));
              if (e instanceof NotFoundException) {
                return Mono.empty();
              }
              return client
                  .event(rs, "Warning", "FailedDelete", "Error deleting: " + e.getMessage())
                  .then(Mono.error(e));
            });
  }

  /** Kubernetes' GetPodFromTemplate: the template's labels, annotations, finalizers and spec. */
  static Pod podFromTemplate(ReplicaSet rs) {
    PodTemplateSpec template = rs.getSpec().getTemplate();
    ObjectMeta tm = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
    Map<String, String> labels = tm.getLabels() == null ? null : new HashMap<>(tm.getLabels());
    Map<String, String> annotations =
        tm.getAnnotations() == null ? null : new HashMap<>(tm.getAnnotations());
    return new PodBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withGenerateName(rs.getMetadata().getName() + "-")
                .withNamespace(rs.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(annotations)
                .withFinalizers(tm.getFinalizers())
                .withOwnerReferences(OwnerReferences.controllerReference(rs))
                .build())
        .withSpec(template.getSpec())
        .build();
  }
}
