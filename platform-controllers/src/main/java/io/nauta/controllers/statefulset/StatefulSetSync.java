package io.nauta.controllers.statefulset;

import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.nauta.controllers.pods.Adoption;
import io.nauta.controllers.replicaset.PodExpectations;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.PatchType;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.controller.Expectations;
import io.nauta.core.controller.OwnerReferences;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.errors.ApiException;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.events.EventRecorder;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.selector.LabelSelector;
import io.nauta.core.workqueue.Result;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One pass of upstream's {@code StatefulSetControl.UpdateStatefulSet} for one key, from the
 * informers' stores: orphans adopted, the revisions (current and update), the claims ({@link
 * StatefulSetClaims}: owners, a pending pod's lost claim, each new pod's claims before it), the
 * pods {@link StatefulSetPlan} decides on, the history pruned to {@code revisionHistoryLimit}, and
 * the status.
 */
final class StatefulSetSync {

  private final InformerStore<StatefulSet> sets;
  private final InformerStore<Pod> pods;
  private final StatefulSetClaims claims;
  private final InformerStore<ControllerRevision> revisions;
  private final KubeClient client;
  private final ResourceClient<Pod> podApi;
  private final ResourceClient<ControllerRevision> revisionApi;
  private final ResourceClient<StatefulSet> setApi;
  private final EventRecorder events;
  private final PodExpectations expectations;
  private final Clock clock;
  private final Adoption<StatefulSet> adoption;

  StatefulSetSync(
      InformerStore<StatefulSet> sets,
      InformerStore<Pod> pods,
      InformerStore<PersistentVolumeClaim> claims,
      InformerStore<ControllerRevision> revisions,
      KubeClient client,
      EventRecorder events,
      PodExpectations expectations,
      Clock clock) {
    this.sets = sets;
    this.pods = pods;
    this.claims = new StatefulSetClaims(claims, client, events);
    this.revisions = revisions;
    this.client = client;
    this.podApi = client.resource(BuiltInResources.PODS, Pod.class);
    this.revisionApi =
        client.resource(BuiltInResources.CONTROLLER_REVISIONS, ControllerRevision.class);
    this.setApi = client.resource(BuiltInResources.STATEFULSETS, StatefulSet.class);
    this.events = events;
    this.expectations = expectations;
    this.clock = clock;
    this.adoption =
        new Adoption<>(
            pods,
            revisions,
            (set, pod) -> StatefulPods.ordinal(set, pod).isPresent(),
            setApi::get,
            this::adopt);
  }

  private Mono<Void> adopt(io.fabric8.kubernetes.api.model.HasMetadata child, StatefulSet set) {
    String body = Adoption.controllerPatch(client, child, set);
    String ns = child.getMetadata().getNamespace();
    String name = child.getMetadata().getName();
    Mono<?> patched =
        child instanceof Pod
            ? podApi.patch(ns, name, PatchType.STRATEGIC_MERGE, body)
            : revisionApi.patch(ns, name, PatchType.STRATEGIC_MERGE, body);
    return patched.then().onErrorResume(NotFoundException.class, e -> Mono.empty());
  }

  Mono<Result> sync(String key) {
    Optional<StatefulSet> cached = sets.get(key);
    if (cached.isEmpty()) {
      expectations.delete(key);
      return Mono.just(Result.done());
    }
    StatefulSet set = cached.get();
    if (set.getMetadata().getDeletionTimestamp() != null) {
      return Mono.just(Result.done()); // the garbage collector removes its pods
    }
    LabelSelector selector;
    try {
      selector = LabelSelector.fromModel(set.getSpec().getSelector());
    } catch (ApiException e) {
      return Mono.just(Result.done()); // the API server validates selectors: not retried
    }
    List<io.fabric8.kubernetes.api.model.HasMetadata> orphans = adoption.orphans(set, selector);
    if (!orphans.isEmpty()) {
      // Their events (now with this controller) bring the key back, seen as ours.
      return adoption.adopt(set, orphans).thenReturn(Result.done());
    }
    List<ControllerRevision> owned =
        revisions.byIndex(InformerStore.BY_OWNER_UID, set.getMetadata().getUid()).stream()
            .filter(r -> OwnerReferences.isControlledBy(r, set))
            .toList();
    return updateRevision(set, owned)
        .flatMap(
            update -> {
              ControllerRevision current = currentRevision(set, owned, update);
              if (!expectations.satisfied(key)) {
                return status(set, current, update, Optional.empty(), null);
              }
              List<Pod> members = members(set);
              StatefulSetPlan.Actions actions =
                  StatefulSetPlan.plan(
                      set,
                      members,
                      current.getMetadata().getName(),
                      update.getMetadata().getName(),
                      clock.instant());
              Mono<Void> work =
                  claims
                      .claimOwners(set, members)
                      .then(Mono.defer(() -> claims.pendingPodsClaims(set, members)))
                      .then(Mono.defer(() -> identities(set, members)))
                      .then(Mono.defer(() -> execute(key, set, actions, current, update)))
                      .then(Mono.defer(() -> cleanupHistory(set, owned, current, update)));
              return work.then(Mono.just(Optional.<Throwable>empty()))
                  .onErrorResume(e -> Mono.just(Optional.of(e)))
                  .flatMap(
                      err -> status(set, current, update, actions.retryAfter(), err.orElse(null)));
            });
  }

  /**
   * Upstream's identity repair (updateStatefulPod's updateIdentity) where a live pod can take it:
   * the pod-name and pod-index labels put back on a pod that lost them (a Service may select one
   * pod by them).
   */
  private Mono<Void> identities(StatefulSet set, List<Pod> members) {
    return Flux.fromIterable(members)
        .filter(p -> !StatefulPods.isTerminating(p) && !StatefulPods.identityLabelled(set, p))
        .concatMap(
            p -> {
              Map<String, Object> metadata = new LinkedHashMap<>();
              metadata.put("uid", p.getMetadata().getUid());
              metadata.put(
                  "labels",
                  Map.of(
                      StatefulPods.POD_NAME_LABEL,
                      p.getMetadata().getName(),
                      StatefulPods.POD_INDEX_LABEL,
                      Integer.toString(StatefulPods.ordinal(set, p).orElseThrow())));
              return podApi
                  .patch(
                      p.getMetadata().getNamespace(),
                      p.getMetadata().getName(),
                      PatchType.MERGE,
                      client.mapper().writeValueAsString(Map.of("metadata", metadata)))
                  .then()
                  .onErrorResume(NotFoundException.class, e -> Mono.empty());
            })
        .then();
  }

  /** The pods this StatefulSet controls whose names are {@code <set>-<ordinal>}. */
  private List<Pod> members(StatefulSet set) {
    return pods.byIndex(InformerStore.BY_OWNER_UID, set.getMetadata().getUid()).stream()
        .filter(p -> OwnerReferences.isControlledBy(p, set))
        .filter(p -> StatefulPods.ordinal(set, p).isPresent())
        .toList();
  }

  /**
   * Upstream's getStatefulSetRevisions: the revision of the current template, made when there is
   * none and renumbered to the newest when an older one became current again (a rollback).
   */
  private Mono<ControllerRevision> updateRevision(StatefulSet set, List<ControllerRevision> owned) {
    List<ControllerRevision> equal =
        owned.stream().filter(r -> StatefulSetRevisions.matches(set, r)).toList();
    long next = StatefulSetRevisions.maxRevision(owned) + 1;
    if (equal.isEmpty()) {
      ControllerRevision snapshot = StatefulSetRevisions.snapshot(set, next);
      return revisionApi
          .create(snapshot)
          .onErrorResume(
              AlreadyExistsException.class,
              e ->
                  revisionApi
                      .get(set.getMetadata().getNamespace(), snapshot.getMetadata().getName())
                      .flatMap(
                          existing ->
                              StatefulSetRevisions.matches(set, existing)
                                  ? Mono.just(existing)
                                  : collision(set, e)));
    }
    ControllerRevision newest =
        equal.stream().max(Comparator.comparingLong(StatefulSetRevisions::number)).orElseThrow();
    if (StatefulSetRevisions.number(newest) < StatefulSetRevisions.maxRevision(owned)) {
      return revisionApi.patch(
          newest.getMetadata().getNamespace(),
          newest.getMetadata().getName(),
          PatchType.MERGE,
          "{\"revision\":" + next + "}");
    }
    return Mono.just(newest);
  }

  /** Another template hashed to the same name: count the collision so the next hash differs. */
  private Mono<ControllerRevision> collision(StatefulSet set, Throwable cause) {
    int count =
        set.getStatus() == null || set.getStatus().getCollisionCount() == null
            ? 0
            : set.getStatus().getCollisionCount();
    String patch = "{\"status\":{\"collisionCount\":" + (count + 1) + "}}";
    return setApi
        .patchStatus(
            set.getMetadata().getNamespace(), set.getMetadata().getName(), PatchType.MERGE, patch)
        .then(Mono.error(cause));
  }

  /** The revision named by {@code status.currentRevision}, else the update revision. */
  private static ControllerRevision currentRevision(
      StatefulSet set, List<ControllerRevision> owned, ControllerRevision update) {
    String name = set.getStatus() == null ? null : set.getStatus().getCurrentRevision();
    return owned.stream()
        .filter(r -> r.getMetadata().getName().equals(name))
        .findFirst()
        .orElse(update);
  }

  private Mono<Void> execute(
      String key,
      StatefulSet set,
      StatefulSetPlan.Actions actions,
      ControllerRevision current,
      ControllerRevision update) {
    if (actions.isEmpty()) {
      return Mono.empty();
    }
    // Expect first: the informer may deliver a created pod before the create call returns.
    expectations.expect(
        key,
        actions.creates().size(),
        actions.deletes().stream().map(InformerStore::keyOf).toList());
    Mono<Void> creates =
        Flux.fromIterable(actions.creates())
            .concatMap(
                c ->
                    createPod(
                            set,
                            c,
                            c.revision().equals(update.getMetadata().getName()) ? update : current)
                        .onErrorResume(
                            e -> {
                              expectations.creationObserved(key);
                              return Mono.error(e);
                            }))
            .then();
    Mono<Void> deletes =
        Flux.fromIterable(actions.deletes()).concatMap(p -> deletePod(key, set, p)).then();
    return creates.then(deletes);
  }

  private Mono<Void> createPod(
      StatefulSet set, StatefulSetPlan.Create create, ControllerRevision revision) {
    Pod pod =
        StatefulPods.newPod(
            set,
            revision == null
                ? set.getSpec().getTemplate()
                : StatefulSetRevisions.template(revision),
            create.ordinal(),
            create.revision());
    String name = pod.getMetadata().getName();
    String setName = set.getMetadata().getName();
    return claims
        .createClaims(set, create.ordinal(), name)
        .then(podApi.create(pod))
        .flatMap(
            p ->
                events.normal(
                    set,
                    "SuccessfulCreate",
                    "create Pod " + name + " in StatefulSet " + setName + " successful"))
        .onErrorResume(
            e ->
                !(e instanceof StatefulSetClaims.ClaimError)
                    ? events
                        .warning(
                            set,
                            "FailedCreate",
                            "create Pod "
                                + name
                                + " in StatefulSet "
                                + setName
                                + " failed error: "
                                + e.getMessage())
                        .then(Mono.error(e))
                    : Mono.error(e));
  }

  private Mono<Void> deletePod(String key, StatefulSet set, Pod pod) {
    String name = pod.getMetadata().getName();
    return podApi
        .delete(
            pod.getMetadata().getNamespace(),
            name,
            new DeleteOptionsBuilder()
                .withNewPreconditions()
                .withUid(pod.getMetadata().getUid())
                .endPreconditions()
                .build())
        .then(
            Mono.defer(
                () ->
                    events.normal(
                        set,
                        "SuccessfulDelete",
                        "delete Pod "
                            + name
                            + " in StatefulSet "
                            + set.getMetadata().getName()
                            + " successful")))
        .onErrorResume(
            e -> {
              expectations.deletionObserved(key, InformerStore.keyOf(pod));
              if (e instanceof NotFoundException || e instanceof ConflictException) {
                return Mono.empty(); // gone already, or another pod by now
              }
              return events
                  .warning(
                      set,
                      "FailedDelete",
                      "delete Pod "
                          + name
                          + " in StatefulSet "
                          + set.getMetadata().getName()
                          + " failed error: "
                          + e.getMessage())
                  .then(Mono.error(e));
            });
  }

  /**
   * Upstream's truncateHistory: old revisions beyond {@code revisionHistoryLimit}, oldest first,
   * except the current and update revisions and those a live pod still carries.
   */
  private Mono<Void> cleanupHistory(
      StatefulSet set,
      List<ControllerRevision> owned,
      ControllerRevision current,
      ControllerRevision update) {
    Set<String> live = new HashSet<>();
    members(set).forEach(p -> live.add(StatefulPods.revision(p)));
    live.add(current.getMetadata().getName());
    live.add(update.getMetadata().getName());
    List<ControllerRevision> history =
        owned.stream()
            .filter(r -> !live.contains(r.getMetadata().getName()))
            .sorted(Comparator.comparingLong(StatefulSetRevisions::number))
            .toList();
    int limit =
        set.getSpec().getRevisionHistoryLimit() == null
            ? 10
            : set.getSpec().getRevisionHistoryLimit();
    int toKill = history.size() - limit;
    if (toKill <= 0) {
      return Mono.empty();
    }
    return Flux.fromIterable(history.subList(0, toKill))
        .concatMap(
            r ->
                revisionApi
                    .delete(r.getMetadata().getNamespace(), r.getMetadata().getName())
                    .onErrorResume(NotFoundException.class, e -> Mono.empty()))
        .then();
  }

  /** Upstream's status computation and completeRollingUpdate; fails with the pass's error. */
  private Mono<Result> status(
      StatefulSet set,
      ControllerRevision current,
      ControllerRevision update,
      Optional<Duration> retry,
      Throwable error) {
    StatefulSetStatus status =
        StatefulSetStatuses.calculate(
            set,
            members(set),
            current.getMetadata().getName(),
            update.getMetadata().getName(),
            clock.instant());
    Mono<Void> write =
        StatefulSetStatuses.same(set.getStatus(), status)
            ? Mono.empty()
            : setApi
                .patchStatus(
                    set.getMetadata().getNamespace(),
                    set.getMetadata().getName(),
                    PatchType.MERGE,
                    client
                        .mapper()
                        .writeValueAsString(Map.of("status", StatefulSetStatuses.patch(status))))
                .then()
                .onErrorResume(NotFoundException.class, e -> Mono.empty());
    if (error != null) {
      return write.then(Mono.error(error));
    }
    Optional<Duration> wait = retry;
    int minReady = StatefulPods.minReadySeconds(set);
    if (minReady > 0
        && !Objects.equals(status.getReadyReplicas(), status.getAvailableReplicas())
        && wait.isEmpty()) {
      // a ready pod becomes available with time alone: look again then
      wait = Optional.of(Duration.ofSeconds(minReady));
    }
    if (!expectations.satisfied(InformerStore.keyOf(set))) {
      Duration expiry = Expectations.DEFAULT_TIMEOUT.plusSeconds(1);
      wait = Optional.of(wait.filter(w -> w.compareTo(expiry) < 0).orElse(expiry));
    }
    return write.thenReturn(wait.map(Result::requeueAfter).orElse(Result.done()));
  }
}
