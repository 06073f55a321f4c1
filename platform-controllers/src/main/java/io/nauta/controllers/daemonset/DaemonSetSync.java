package io.nauta.controllers.daemonset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.nauta.controllers.pods.Adoption;
import io.nauta.controllers.pods.PodConditions;
import io.nauta.controllers.replicaset.PodExpectations;
import io.nauta.controllers.replicaset.SlowStart;
import io.nauta.core.controller.Expectations;
import io.nauta.core.controller.OwnerReferences;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.errors.ApiException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.selector.LabelSelector;
import io.nauta.core.workqueue.Result;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One pass of upstream's {@code syncDaemonSet} for one DaemonSet key, from the informers' stores:
 * find or write the ControllerRevision of the current template, give every eligible node one pod
 * and take pods off the others ({@code manage}), replace old pods within the update strategy's
 * limits ({@link RollingUpdate}), prune history, write the status.
 */
final class DaemonSetSync {

  /** Upstream's burstReplicas for DaemonSets: at most this many creates or deletes per pass. */
  static final int BURST_REPLICAS = 250;

  private final InformerStore<DaemonSet> daemonSets;
  private final InformerStore<Pod> pods;
  private final InformerStore<Node> nodes;
  private final InformerStore<ControllerRevision> revisions;
  private final DaemonSetClient client;
  private final PodExpectations expectations;
  private final Clock clock;
  private final FailedPodBackoff failedPods = new FailedPodBackoff();
  private final Adoption<DaemonSet> adoption;

  DaemonSetSync(
      InformerStore<DaemonSet> daemonSets,
      InformerStore<Pod> pods,
      InformerStore<Node> nodes,
      InformerStore<ControllerRevision> revisions,
      DaemonSetClient client,
      PodExpectations expectations,
      Clock clock) {
    this.daemonSets = daemonSets;
    this.pods = pods;
    this.nodes = nodes;
    this.revisions = revisions;
    this.client = client;
    this.expectations = expectations;
    this.clock = clock;
    this.adoption =
        new Adoption<>(pods, revisions, (ds, pod) -> true, client::getDaemonSet, client::adopt);
  }

  Mono<Result> sync(String key) {
    Optional<DaemonSet> cached = daemonSets.get(key);
    if (cached.isEmpty()) {
      expectations.delete(key);
      return Mono.just(Result.done());
    }
    DaemonSet ds = cached.get();
    if (ds.getMetadata().getDeletionTimestamp() != null) {
      return Mono.just(Result.done()); // the garbage collector removes its pods
    }
    LabelSelector selector;
    try {
      selector = LabelSelector.fromModel(ds.getSpec().getSelector());
    } catch (ApiException e) {
      return Mono.just(Result.done()); // the API server validates selectors: not retried
    }
    List<HasMetadata> orphans = adoption.orphans(ds, selector);
    if (!orphans.isEmpty()) {
      // Their events (now with this controller) bring the key back, seen as ours.
      return adoption.adopt(ds, orphans).thenReturn(Result.done());
    }
    List<Node> nodeList = nodes.list();
    List<ControllerRevision> owned = ownedRevisions(ds);
    return currentRevision(ds, owned)
        .flatMap(
            cur -> {
              String hash = Revisions.hashOf(cur);
              List<ControllerRevision> old =
                  owned.stream()
                      .filter(r -> !r.getMetadata().getName().equals(cur.getMetadata().getName()))
                      .toList();
              if (!expectations.satisfied(key)) {
                // Only the status: the controller has not acted on this generation yet.
                return status(ds, nodeList, hash, false, null, null);
              }
              AtomicReference<Duration> retry = new AtomicReference<>();
              Mono<Void> work =
                  manage(key, ds, nodeList, hash, retry)
                      .then(
                          Mono.defer(
                              () ->
                                  expectations.satisfied(key) && RollingUpdate.applies(ds)
                                      ? syncNodes(
                                          key,
                                          ds,
                                          RollingUpdate.plan(
                                              ds, nodeList, podsByNode(ds), hash, clock.instant()),
                                          hash)
                                      : Mono.empty()))
                      .then(Mono.defer(() -> cleanupHistory(ds, old)));
              return work.then(Mono.just(Optional.<Throwable>empty()))
                  .onErrorResume(e -> Mono.just(Optional.of(e)))
                  .flatMap(err -> status(ds, nodeList, hash, true, err.orElse(null), retry.get()));
            });
  }

  /** The revisions this DaemonSet controls. */
  private List<ControllerRevision> ownedRevisions(DaemonSet ds) {
    return revisions.byIndex(InformerStore.BY_OWNER_UID, ds.getMetadata().getUid()).stream()
        .filter(r -> OwnerReferences.isControlledBy(r, ds))
        .toList();
  }

  /**
   * Upstream's {@code constructHistory}: the revision holding the current template, made when there
   * is none and renumbered to the newest when an older one became current again (a rollback).
   */
  private Mono<ControllerRevision> currentRevision(DaemonSet ds, List<ControllerRevision> owned) {
    List<ControllerRevision> current = new ArrayList<>();
    List<ControllerRevision> old = new ArrayList<>();
    for (ControllerRevision r : owned) {
      (Revisions.matches(ds, r) ? current : old).add(r);
    }
    long next = Revisions.maxRevision(old) + 1;
    if (current.isEmpty()) {
      ControllerRevision snapshot = Revisions.snapshot(ds, next);
      return client
          .createRevision(snapshot)
          .onErrorResume(
              AlreadyExistsException.class,
              e ->
                  client
                      .getRevision(
                          ds.getMetadata().getNamespace(), snapshot.getMetadata().getName())
                      .flatMap(
                          existing ->
                              Revisions.matches(ds, existing)
                                  ? Mono.just(existing)
                                  : collision(ds, e)));
    }
    // Duplicates (one template twice) cannot arise from this controller; keep the newest.
    ControllerRevision cur =
        current.stream()
            .max(Comparator.comparingLong(r -> r.getRevision() == null ? 0 : r.getRevision()))
            .orElseThrow();
    if (cur.getRevision() == null || cur.getRevision() < next) {
      return client.setRevisionNumber(cur, next);
    }
    return Mono.just(cur);
  }

  /** Another template hashed to the same name: count the collision so the next hash differs. */
  private Mono<ControllerRevision> collision(DaemonSet ds, Throwable cause) {
    int count =
        ds.getStatus() == null || ds.getStatus().getCollisionCount() == null
            ? 0
            : ds.getStatus().getCollisionCount();
    DaemonSetStatus status =
        (ds.getStatus() == null
                ? new DaemonSetStatusBuilder()
                : new DaemonSetStatusBuilder(ds.getStatus()))
            .withObservedGeneration(
                ds.getStatus() == null ? null : ds.getStatus().getObservedGeneration())
            .withCollisionCount(count + 1)
            .build();
    return client.updateStatus(ds, status).then(Mono.error(cause));
  }

  /** The pods this DaemonSet controls, by the node each is for (null: none). */
  Map<String, List<Pod>> podsByNode(DaemonSet ds) {
    Map<String, List<Pod>> byNode = new HashMap<>();
    for (Pod pod : pods.byIndex(InformerStore.BY_OWNER_UID, ds.getMetadata().getUid())) {
      if (!OwnerReferences.isControlledBy(pod, ds)) {
        continue;
      }
      byNode.computeIfAbsent(DaemonPods.targetNode(pod), n -> new ArrayList<>()).add(pod);
    }
    return byNode;
  }

  /** Upstream's {@code manage}: a pod for every node that should run one, none elsewhere. */
  private Mono<Void> manage(
      String key, DaemonSet ds, List<Node> nodeList, String hash, AtomicReference<Duration> retry) {
    Map<String, List<Pod>> byNode = podsByNode(ds);
    List<String> create = new ArrayList<>();
    List<Pod> delete = new ArrayList<>();
    Set<String> known = new HashSet<>();
    List<Mono<Void>> notes = new ArrayList<>();
    boolean surge = RollingUpdate.maxSurge(ds, nodeList.size()) > 0;
    for (Node node : nodeList) {
      String name = node.getMetadata().getName();
      known.add(name);
      NodeEligibility on = NodeEligibility.of(node, ds);
      List<Pod> there = byNode.getOrDefault(name, List.of());
      if (on.shouldRun() && there.isEmpty()) {
        create.add(name);
      } else if (on.shouldContinueRunning()) {
        List<Pod> running = new ArrayList<>();
        for (Pod pod : there) {
          if (pod.getMetadata().getDeletionTimestamp() != null) {
            continue;
          }
          String phase = PodConditions.phase(pod);
          if ("Failed".equals(phase) || "Succeeded".equals(phase)) {
            String backoffKey = FailedPodBackoff.key(ds, name);
            Optional<Duration> wait = failedPods.remaining(backoffKey, clock.instant());
            if (wait.isPresent()) {
              retry.accumulateAndGet(wait.get(), DaemonSetSync::sooner);
              continue;
            }
            failedPods.next(backoffKey, clock.instant());
            delete.add(pod);
            notes.add(
                Mono.defer(
                    () ->
                        client.event(
                            ds,
                            "Warning",
                            "FailedDaemonPod",
                            "Found failed daemon pod "
                                + InformerStore.keyOf(pod)
                                + " on node "
                                + name
                                + ", will try to kill it")));
          } else {
            running.add(pod);
          }
        }
        delete.addAll(excess(running, hash, surge));
      } else {
        there.stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .forEach(delete::add);
      }
    }
    // Pods for nodes that are gone (never bound, or bound to a node since deleted).
    byNode.forEach(
        (node, list) -> {
          if (node == null || !known.contains(node)) {
            list.stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null || gone(p))
                .forEach(delete::add);
          }
        });
    return Flux.concat(notes)
        .then(syncNodes(key, ds, new RollingUpdate.Plan(delete, create), hash));
  }

  private static Duration sooner(Duration a, Duration b) {
    return a == null || b.compareTo(a) < 0 ? b : a;
  }

  private static boolean gone(Pod pod) {
    return pod.getSpec() != null && pod.getSpec().getNodeName() != null;
  }

  /**
   * Extra pods on one node: all but the oldest; with surge, all but the oldest updated and the
   * oldest old one.
   */
  private static List<Pod> excess(List<Pod> running, String hash, boolean surge) {
    if (running.size() <= 1) {
      return List.of();
    }
    List<Pod> sorted = new ArrayList<>(running);
    sorted.sort(RollingUpdate.OLDEST_RUNNING_FIRST);
    if (!surge) {
      return sorted.subList(1, sorted.size());
    }
    List<Pod> out = new ArrayList<>();
    boolean newKept = false;
    boolean oldKept = false;
    for (Pod pod : sorted) {
      if (DaemonPods.isUpdated(pod, hash) && !newKept) {
        newKept = true;
      } else if (!DaemonPods.isUpdated(pod, hash) && !oldKept) {
        oldKept = true;
      } else {
        out.add(pod);
      }
    }
    return out;
  }

  /** Upstream's {@code syncNodes}: the creates and deletes of a plan, under expectations. */
  private Mono<Void> syncNodes(String key, DaemonSet ds, RollingUpdate.Plan plan, String hash) {
    List<String> create = plan.create().subList(0, Math.min(plan.create().size(), BURST_REPLICAS));
    List<Pod> delete = plan.delete().subList(0, Math.min(plan.delete().size(), BURST_REPLICAS));
    if (create.isEmpty() && delete.isEmpty()) {
      return Mono.empty();
    }
    Set<String> known = new HashSet<>();
    for (Node n : nodes.list()) {
      known.add(n.getMetadata().getName());
    }
    // Expect first: the informer may deliver a created pod before the create call returns.
    expectations.expect(key, create.size(), delete.stream().map(InformerStore::keyOf).toList());
    List<Throwable> errors = new ArrayList<>();
    Mono<Void> creates =
        create.isEmpty()
            ? Mono.empty()
            : Mono.defer(
                () -> {
                  java.util.Iterator<String> next = create.iterator();
                  return SlowStart.run(
                          create.size(),
                          1,
                          () -> {
                            String node;
                            synchronized (next) {
                              node = next.next();
                            }
                            return createPod(ds, node, hash);
                          })
                      .doOnNext(
                          outcome -> {
                            for (int i = outcome.successes(); i < create.size(); i++) {
                              expectations.creationObserved(key);
                            }
                            if (outcome.error() != null) {
                              recordError(errors, outcome.error());
                            }
                          })
                      .then();
                });
    Mono<Void> deletes =
        Flux.fromIterable(delete)
            .flatMap(
                pod ->
                    deletePod(key, ds, pod, !known.contains(DaemonPods.targetNode(pod)))
                        .onErrorResume(
                            e -> {
                              recordError(errors, e);
                              return Mono.empty();
                            }))
            .then();
    return Mono.when(creates, deletes)
        .then(Mono.defer(() -> errors.isEmpty() ? Mono.empty() : Mono.error(errors.get(0))));
  }

  private static void recordError(List<Throwable> errors, Throwable e) {
    synchronized (errors) {
      errors.add(e);
    }
  }

  private Mono<Void> createPod(DaemonSet ds, String node, String hash) {
    return client
        .createPod(DaemonPods.forNode(ds, node, hash))
        .flatMap(
            pod ->
                client.event(
                    ds,
                    "Normal",
                    "SuccessfulCreate",
                    "Created pod: " + pod.getMetadata().getName()))
        .onErrorResume(
            e ->
                client
                    .event(ds, "Warning", "FailedCreate", "Error creating: " + e.getMessage())
                    .then(Mono.error(e)));
  }

  private Mono<Void> deletePod(String key, DaemonSet ds, Pod pod, boolean force) {
    String name = pod.getMetadata().getName();
    return client
        .deletePod(pod.getMetadata().getNamespace(), name, force)
        .then(
            Mono.defer(
                () -> client.event(ds, "Normal", "SuccessfulDelete", "Deleted pod: " + name)))
        .onErrorResume(
            e -> {
              expectations.deletionObserved(key, InformerStore.keyOf(pod));
              if (e instanceof NotFoundException) {
                return Mono.empty();
              }
              return client
                  .event(ds, "Warning", "FailedDelete", "Error deleting: " + e.getMessage())
                  .then(Mono.error(e));
            });
  }

  /**
   * Upstream's {@code cleanupHistory}: old revisions beyond {@code revisionHistoryLimit}, oldest
   * first, except those a live pod still carries the hash of.
   */
  private Mono<Void> cleanupHistory(DaemonSet ds, List<ControllerRevision> old) {
    int limit =
        ds.getSpec().getRevisionHistoryLimit() == null
            ? 10
            : ds.getSpec().getRevisionHistoryLimit();
    int toKill = old.size() - limit;
    if (toKill <= 0) {
      return Mono.empty();
    }
    Set<String> live = new HashSet<>();
    podsByNode(ds).values().stream()
        .flatMap(List::stream)
        .map(
            p ->
                p.getMetadata().getLabels() == null
                    ? null
                    : p.getMetadata().getLabels().get(DaemonPods.HASH_LABEL))
        .filter(Objects::nonNull)
        .forEach(live::add);
    List<ControllerRevision> candidates =
        old.stream()
            .filter(r -> !live.contains(Revisions.hashOf(r)))
            .sorted(Comparator.comparingLong(r -> r.getRevision() == null ? 0 : r.getRevision()))
            .limit(toKill)
            .toList();
    return Flux.fromIterable(candidates)
        .concatMap(
            r ->
                client
                    .deleteRevision(r.getMetadata().getNamespace(), r.getMetadata().getName())
                    .onErrorResume(NotFoundException.class, e -> Mono.empty()))
        .then();
  }

  /** Writes the status if it changed; fails with the pass's error so the key is retried. */
  private Mono<Result> status(
      DaemonSet ds,
      List<Node> nodeList,
      String hash,
      boolean observed,
      Throwable error,
      Duration retryFailed) {
    Instant now = clock.instant();
    Map<String, List<Pod>> byNode = podsByNode(ds);
    DaemonSetStatus status = DaemonSetStatuses.calculate(ds, nodeList, byNode, hash, observed, now);
    Mono<Void> write =
        DaemonSetStatuses.same(ds.getStatus(), status)
            ? Mono.empty()
            : client
                .updateStatus(ds, status)
                .onErrorResume(NotFoundException.class, e -> Mono.empty());
    if (error != null) {
      return write.then(Mono.error(error));
    }
    int minReady =
        ds.getSpec().getMinReadySeconds() == null ? 0 : ds.getSpec().getMinReadySeconds();
    Optional<Duration> wait = Optional.ofNullable(retryFailed);
    if (minReady > 0 && !Objects.equals(status.getNumberReady(), status.getNumberAvailable())) {
      wait = Optional.of(sooner(wait.orElse(null), Duration.ofSeconds(minReady)));
    }
    if (!observed || !expectations.satisfied(InformerStore.keyOf(ds))) {
      Duration expiry = Expectations.DEFAULT_TIMEOUT.plusSeconds(1);
      wait = Optional.of(wait.filter(w -> w.compareTo(expiry) < 0).orElse(expiry));
    }
    return write.thenReturn(wait.map(Result::requeueAfter).orElse(Result.done()));
  }
}
