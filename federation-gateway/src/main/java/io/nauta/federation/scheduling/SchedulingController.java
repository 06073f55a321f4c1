package io.nauta.federation.scheduling;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.PatchType;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.events.EventRecorder;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.ResourceType;
import io.nauta.core.workqueue.Result;
import io.nauta.federation.api.Cluster;
import io.nauta.federation.api.GracefulEvictionTask;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.api.ResourceBinding;
import io.nauta.federation.api.ResourceBindingSpec;
import io.nauta.federation.api.ResourceBindingStatus;
import io.nauta.federation.api.TargetCluster;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Karmada's scheduler (with its taint manager) as a controller of one binding kind: for each
 * binding it runs {@link BindingScheduler} on the clusters in the informer, writes {@code
 * spec.clusters} and any new {@code gracefulEvictionTasks} when they differ from the binding's,
 * then the status: condition {@code Scheduled} (reasons {@code Success}, {@code NoClusterFit},
 * {@code Unschedulable}, {@code SchedulerError}), {@code schedulerObservedGeneration} and, on
 * success, {@code lastScheduledTime}. Level-based: a pass on an unchanged binding and unchanged
 * clusters decides the same and writes nothing (Steady assignment and cluster locality keep the
 * decision). Cluster changes other than status re-examine every binding; a failed binding is
 * retried every {@link #RETRY_FAILED} (capacity may have freed up). Every change of a binding's
 * clusters or replicas, and every eviction, is an Event on the binding.
 */
public final class SchedulingController {

  public static final String COMPONENT = "karmada-scheduler";
  static final Duration RETRY_FAILED = Duration.ofSeconds(30);
  static final int STATUS_TRIES = 3;
  static final String EVENT_SCHEDULE_SUCCEED = "ScheduleBindingSucceed";
  static final String EVENT_SCHEDULE_FAILED = "ScheduleBindingFailed";
  static final String EVENT_EVICT_SUCCEED = "EvictWorkloadFromClusterSucceed";

  private final ResourceType type;
  private final SharedInformer<ResourceBinding> bindings;
  private final SharedInformer<Cluster> clusters;
  private final ResourceClient<ResourceBinding> client;
  private final EventRecorder events;
  private final Clock clock;
  private final int workers;
  private final JsonMapper mapper;

  public SchedulingController(
      ResourceType type,
      SharedInformer<ResourceBinding> bindings,
      SharedInformer<Cluster> clusters,
      KubeClient client,
      EventRecorder events,
      Clock clock,
      int workers) {
    this.type = type;
    this.bindings = bindings;
    this.clusters = clusters;
    this.client = client.resource(type, ResourceBinding.class);
    this.mapper = client.mapper();
    this.events = events;
    this.clock = clock;
    this.workers = workers;
  }

  public Controller controller() {
    return Controller.builder(COMPONENT + "-" + type.plural())
        .primary(bindings, SchedulingController::relevantBindingChange)
        .watch(
            clusters, e -> relevantClusterChange(e) ? bindings.store().keys() : List.<String>of())
        .reconcile(this::reconcile)
        // a pass waits on a spec write, events and a status write: with 2 workers a burst of new
        // bindings queued for seconds behind those round trips
        .workers(workers)
        .build();
  }

  // A status write (ours, or status aggregation's many) cannot change the decision: only a new
  // generation (spec) or a deletion can.
  static boolean relevantBindingChange(InformerEvent<ResourceBinding> e) {
    if (e.type() != InformerEvent.Type.UPDATED || e.previous() == null) {
      return true;
    }
    ObjectMeta before = e.previous().getMetadata();
    ObjectMeta after = e.object().getMetadata();
    return !Objects.equals(before.getGeneration(), after.getGeneration())
        || after.getDeletionTimestamp() != null;
  }

  // Status-only changes (the health probe's resource summary every few seconds) move nothing;
  // labels, spec (taints, region...) and clusters coming and going may.
  static boolean relevantClusterChange(InformerEvent<Cluster> e) {
    if (e.type() != InformerEvent.Type.UPDATED || e.previous() == null) {
      return true;
    }
    Cluster before = e.previous();
    Cluster after = e.object();
    return !Objects.equals(before.spec(), after.spec())
        || !Objects.equals(Clusters.labels(before), Clusters.labels(after))
        || !Objects.equals(
            before.metadata().getDeletionTimestamp(), after.metadata().getDeletionTimestamp());
  }

  Mono<Result> reconcile(String key) {
    if (!clusters.hasSynced()) {
      // An unlisted cluster is not a lost one: never move replicas on an empty cache.
      return Mono.just(Result.requeueAfter(Duration.ofSeconds(1)));
    }
    ResourceBinding binding = bindings.store().get(key).orElse(null);
    if (binding == null || binding.getMetadata().getDeletionTimestamp() != null) {
      return Mono.just(Result.done());
    }
    ResourceBindingSpec spec = binding.spec();
    if (spec == null) {
      return Mono.just(Result.done());
    }
    ResourceBindingStatus status = binding.status();
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    ScheduleResult result = BindingScheduler.schedule(spec, status, clusters.store().list(), now);

    ResourceBindingSpec decided = decidedSpec(spec, result);
    Mono<ResourceBinding> written =
        decided.equals(spec) ? Mono.just(binding) : writeSpec(binding, spec, decided);
    return written
        .flatMap(
            updated ->
                // the events and the status write need no order between them
                Mono.when(
                        recordMoves(binding, spec, decided, result),
                        updated == binding || onlyOurs(binding, updated)
                            ? writeStatus(updated, result, now, updated != binding, STATUS_TRIES)
                            // its spec written by someone else too (a new template or policy):
                            // the new generation's event brings a pass that decides on it
                            : Mono.empty())
                    .thenReturn(next(result)))
        .onErrorResume(ConflictException.class, e -> Mono.just(Result.requeueAfter(Duration.ZERO)))
        .onErrorResume(NotFoundException.class, e -> Mono.just(Result.done()));
  }

  /** Whether the patched binding's generation is the one read plus our own spec write. */
  private static boolean onlyOurs(ResourceBinding read, ResourceBinding patched) {
    Long before = read.getMetadata().getGeneration();
    Long after = patched.getMetadata().getGeneration();
    return before == null || after == null || after <= before + 1;
  }

  /**
   * Karmada's {@code patchScheduleResultForResourceBinding}: a merge patch of the fields the
   * scheduler owns, without the resourceVersion read, so the writes other controllers make to a new
   * binding at the same moment (propagation's finalizer, status aggregation's first status) cost
   * the scheduler no 409 and no second pass behind an informer that has not caught up yet. {@code
   * spec.clusters} is the scheduler's alone; {@code gracefulEvictionTasks} is shared with
   * propagation (which removes finished tasks), so a pass that adds tasks keeps the precondition.
   */
  private Mono<ResourceBinding> writeSpec(
      ResourceBinding binding, ResourceBindingSpec before, ResourceBindingSpec decided) {
    ObjectNode patch = mapper.createObjectNode();
    ObjectNode specPatch = patch.putObject("spec");
    if (!Objects.equals(before.clusters(), decided.clusters())) {
      specPatch.set("clusters", mapper.valueToTree(decided.clusters()));
    }
    if (!Objects.equals(before.gracefulEvictionTasks(), decided.gracefulEvictionTasks())) {
      specPatch.set("gracefulEvictionTasks", mapper.valueToTree(decided.gracefulEvictionTasks()));
      patch
          .putObject("metadata")
          .put("resourceVersion", binding.getMetadata().getResourceVersion());
    }
    return client.patch(
        binding.getMetadata().getNamespace(),
        binding.getMetadata().getName(),
        PatchType.MERGE,
        patch.toString());
  }

  private static Result next(ScheduleResult result) {
    if (!result.scheduled()) {
      return Result.requeueAfter(
          result.recheckAfter() != null && result.recheckAfter().compareTo(RETRY_FAILED) < 0
              ? result.recheckAfter()
              : RETRY_FAILED);
    }
    return result.recheckAfter() == null
        ? Result.done()
        : Result.requeueAfter(result.recheckAfter());
  }

  /** The spec with the pass's clusters (on success) and eviction tasks. */
  static ResourceBindingSpec decidedSpec(ResourceBindingSpec spec, ScheduleResult result) {
    List<GracefulEvictionTask> tasks = new ArrayList<>();
    if (spec.gracefulEvictionTasks() != null) {
      tasks.addAll(spec.gracefulEvictionTasks());
    }
    tasks.addAll(result.evictions());
    List<TargetCluster> clusters = result.clusters();
    if (clusters == null || sameClusters(spec.clusters(), clusters)) {
      // no decision (a failed pass) keeps the binding's clusters; an equal one keeps its order
      clusters = spec.clusters();
    }
    return new ResourceBindingSpec(
        spec.resource(),
        spec.propagateDeps(),
        spec.replicaRequirements(),
        spec.replicas(),
        spec.components(),
        clusters == null || (clusters.isEmpty() && spec.clusters() == null) ? null : clusters,
        spec.placement(),
        tasks.isEmpty() ? spec.gracefulEvictionTasks() : tasks,
        spec.requiredBy(),
        spec.schedulerName(),
        spec.failover(),
        spec.conflictResolution(),
        spec.rescheduleTriggeredAt(),
        spec.suspension(),
        spec.preserveResourcesOnDeletion(),
        spec.schedulePriority(),
        spec.workloadAffinityGroups());
  }

  private static boolean sameClusters(List<TargetCluster> before, List<TargetCluster> after) {
    return replicas(before).equals(replicas(after))
        && (before == null ? 0 : before.size()) == after.size();
  }

  private static Map<String, Integer> replicas(List<TargetCluster> clusters) {
    Map<String, Integer> result = new TreeMap<>();
    if (clusters != null) {
      clusters.forEach(c -> result.put(c.name(), c.replicas() == null ? 0 : c.replicas()));
    }
    return result;
  }

  private Mono<Void> recordMoves(
      ResourceBinding binding,
      ResourceBindingSpec before,
      ResourceBindingSpec after,
      ScheduleResult result) {
    List<Mono<Void>> writes = new ArrayList<>();
    for (GracefulEvictionTask task : result.evictions()) {
      writes.add(
          events.normal(
              binding,
              EVENT_EVICT_SUCCEED,
              "Evict from cluster "
                  + task.fromCluster()
                  + " succeed: "
                  + task.message()
                  + (task.replicas() == null ? "" : ", " + task.replicas() + " replicas")));
    }
    if (!result.scheduled()) {
      writes.add(events.warning(binding, EVENT_SCHEDULE_FAILED, result.message()));
    } else if (!sameClusters(before.clusters(), after.clusters())) {
      String message =
          ScheduleResult.SUCCESS_MESSAGE
              + " Result: {"
              + describe(after.clusters())
              + "}"
              + moves(before.clusters(), after.clusters());
      writes.add(events.normal(binding, EVENT_SCHEDULE_SUCCEED, message));
      template(before)
          .ifPresent(t -> writes.add(events.normal(t, EVENT_SCHEDULE_SUCCEED, message)));
    }
    return Mono.when(writes).onErrorResume(e -> Mono.empty());
  }

  /** Karmada's {@code targetClustersToString}: {@code name:replicas, ...}. */
  static String describe(List<TargetCluster> clusters) {
    List<String> parts = new ArrayList<>();
    if (clusters != null) {
      clusters.forEach(c -> parts.add(c.name() + ":" + (c.replicas() == null ? 0 : c.replicas())));
    }
    return String.join(", ", parts);
  }

  /** What moved, cluster by cluster: {@code (usa-3 3->4, asia-2 6->8)}. */
  static String moves(List<TargetCluster> before, List<TargetCluster> after) {
    Map<String, Integer> old = replicas(before);
    Map<String, Integer> now = replicas(after);
    Map<String, String> changes = new TreeMap<>();
    old.forEach(
        (name, r) -> {
          if (!now.containsKey(name)) {
            changes.put(name, name + " " + r + "->removed");
          }
        });
    now.forEach(
        (name, r) -> {
          Integer was = old.get(name);
          if (was == null) {
            changes.put(name, name + " added:" + r);
          } else if (!was.equals(r)) {
            changes.put(name, name + " " + was + "->" + r);
          }
        });
    return old.isEmpty() || changes.isEmpty()
        ? ""
        : " (" + String.join(", ", changes.values()) + ")";
  }

  private static java.util.Optional<GenericKubernetesResource> template(ResourceBindingSpec spec) {
    if (spec.resource() == null || spec.resource().name() == null) {
      return java.util.Optional.empty();
    }
    GenericKubernetesResource template = new GenericKubernetesResource();
    template.setApiVersion(spec.resource().apiVersion());
    template.setKind(spec.resource().kind());
    ObjectMeta meta = new ObjectMeta();
    meta.setName(spec.resource().name());
    meta.setNamespace(spec.resource().namespace());
    meta.setUid(spec.resource().uid());
    template.setMetadata(meta);
    return java.util.Optional.of(template);
  }

  private Mono<Void> writeStatus(
      ResourceBinding binding, ScheduleResult result, Instant now, boolean specChanged, int tries) {
    ResourceBindingStatus status = binding.status();
    List<Condition> conditions = new ArrayList<>();
    Condition previous = null;
    if (status != null && status.conditions() != null) {
      for (Condition c : status.conditions()) {
        if (Karmada.CONDITION_SCHEDULED.equals(c.getType())) {
          previous = c;
        } else {
          conditions.add(c);
        }
      }
    }
    String conditionStatus = result.scheduled() ? "True" : "False";
    Condition scheduled = new Condition();
    scheduled.setType(Karmada.CONDITION_SCHEDULED);
    scheduled.setStatus(conditionStatus);
    scheduled.setReason(result.reason());
    scheduled.setMessage(result.message());
    scheduled.setLastTransitionTime(
        previous != null && conditionStatus.equals(previous.getStatus())
            ? previous.getLastTransitionTime()
            : now.toString());
    conditions.add(scheduled);
    Long generation = binding.getMetadata().getGeneration();
    String lastScheduled =
        result.scheduled()
            ? (!specChanged && unchanged(previous, scheduled) && status.lastScheduledTime() != null
                ? status.lastScheduledTime()
                : now.toString())
            : status == null ? null : status.lastScheduledTime();
    ResourceBindingStatus next =
        new ResourceBindingStatus(
            generation,
            status == null ? null : status.schedulerObservingAffinityName(),
            lastScheduled,
            conditions,
            status == null ? null : status.aggregatedStatus());
    if (next.equals(status)) {
      return Mono.empty();
    }
    return client
        .updateStatus(binding.withStatus(next))
        .then()
        .onErrorResume(
            ConflictException.class,
            e ->
                tries <= 1
                    ? Mono.error(e)
                    // Status aggregation's first write on a new binding lands beside ours: read
                    // the binding again and write the condition on it, rather than a whole new
                    // pass from a cache that may not have that write yet.
                    : client
                        .get(binding.getMetadata().getNamespace(), binding.getMetadata().getName())
                        .flatMap(
                            fresh ->
                                Objects.equals(
                                        fresh.getMetadata().getGeneration(),
                                        binding.getMetadata().getGeneration())
                                    ? writeStatus(fresh, result, now, specChanged, tries - 1)
                                    : Mono.empty()));
  }

  private static boolean unchanged(Condition previous, Condition now) {
    return previous != null
        && Objects.equals(previous.getStatus(), now.getStatus())
        && Objects.equals(previous.getReason(), now.getReason())
        && Objects.equals(previous.getMessage(), now.getMessage());
  }
}
