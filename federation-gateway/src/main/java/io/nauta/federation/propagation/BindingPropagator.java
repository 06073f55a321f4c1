package io.nauta.federation.propagation;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.errors.ApiException;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import io.nauta.core.workqueue.Result;
import io.nauta.federation.api.BindingSnapshot;
import io.nauta.federation.api.Cluster;
import io.nauta.federation.api.ClusterOverridePolicy;
import io.nauta.federation.api.GracefulEvictionTask;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.api.ObjectReference;
import io.nauta.federation.api.OverridePolicy;
import io.nauta.federation.api.ResourceBinding;
import io.nauta.federation.api.ResourceBindingSpec;
import io.nauta.federation.api.TargetCluster;
import io.nauta.federation.cluster.MemberClusters;
import io.nauta.federation.overrides.OverrideException;
import io.nauta.federation.overrides.OverridePolicies;
import io.nauta.federation.propagation.AppliedState.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Karmada's binding and execution controllers in one, without the Work objects between them: for a
 * ResourceBinding, the template's object is written into every cluster of {@code spec.clusters}
 * (and of {@code spec.requiredBy}, for the dependencies of other bindings) through the member's
 * API, and deleted from the clusters the binding no longer targets, except while a graceful
 * eviction task holds it there until the replacements are available. The binding carries the
 * finalizer {@code karmada.io/binding-controller}: a binding being deleted (its template deleted,
 * or it removed) first deletes its objects from every member, retrying a member that does not
 * answer, and only then lets go, unless {@code preserveResourcesOnDeletion}.
 */
public final class BindingPropagator {

  private static final Log log = LogFactory.getLog(BindingPropagator.class);

  /** Karmada's default for a graceful eviction task without {@code gracePeriodSeconds}. */
  static final Duration DEFAULT_EVICTION_GRACE = Duration.ofMinutes(10);

  /** How soon a binding is looked at again while an eviction waits for its replacements. */
  static final Duration EVICTION_POLL = Duration.ofSeconds(2);

  /** Writes of the finalizer per pass, each after reading the binding again on a conflict. */
  static final int FINALIZER_TRIES = 4;

  private final KubeClient gateway;
  private final ResourceType bindingType;
  private final JsonMapper json;
  private final SharedInformer<ResourceBinding> bindings;
  private final InformerStore<Cluster> clusters;
  private final InformerStore<OverridePolicy> overridePolicies;
  private final InformerStore<ClusterOverridePolicy> clusterOverridePolicies;
  private final Templates templates;
  private final MemberClients members;
  private final AppliedState applied;
  private final PropagationMetrics metrics;
  private final Map<String, Written> written = new ConcurrentHashMap<>();

  /** The last write into a member: what was written and the resourceVersion it got. */
  private record Written(int desiredHash, String resourceVersion) {}

  public BindingPropagator(
      KubeClient gateway,
      ResourceType bindingType,
      SharedInformer<ResourceBinding> bindings,
      InformerStore<Cluster> clusters,
      InformerStore<OverridePolicy> overridePolicies,
      InformerStore<ClusterOverridePolicy> clusterOverridePolicies,
      Templates templates,
      MemberClients members,
      AppliedState applied,
      PropagationMetrics metrics) {
    this.gateway = gateway;
    this.bindingType = bindingType;
    this.json = gateway.mapper();
    this.bindings = bindings;
    this.clusters = clusters;
    this.overridePolicies = overridePolicies;
    this.clusterOverridePolicies = clusterOverridePolicies;
    this.templates = templates;
    this.members = members;
    this.applied = applied;
    this.metrics = metrics;
  }

  public Mono<Result> reconcile(String key) {
    Optional<ResourceBinding> found = bindings.store().get(key);
    if (found.isEmpty()) {
      applied.forget(key);
      return Mono.just(Result.done());
    }
    ResourceBinding binding = found.get();
    ResourceBindingSpec spec = binding.spec();
    if (spec == null || spec.resource() == null) {
      return Mono.just(Result.done());
    }
    Optional<ResourceType> type = templates.type(spec.resource());
    if (type.isEmpty()) {
      log.warn(key + ": the gateway serves no kind " + spec.resource().kind());
      return Mono.just(Result.requeueAfter(Duration.ofSeconds(30)));
    }
    if (binding.metadata().getDeletionTimestamp() != null) {
      return deleteEverywhere(key, binding, type.get());
    }
    SharedInformer<GenericKubernetesResource> templateInformer = templates.informer(type.get());
    if (!templateInformer.hasSynced()) {
      return Mono.just(Result.requeueAfter(Duration.ofMillis(200)));
    }
    Optional<GenericKubernetesResource> template =
        templateInformer.store().get(spec.resource().namespace(), spec.resource().name());
    if (template.isEmpty() || !sameObject(spec.resource(), template.get())) {
      // The cache may lag behind a template created just before its binding: only the API
      // server's word that it is gone deletes the binding (Karmada's garbage collector does it
      // through the owner reference; the gateway runs no garbage collector, so this does).
      return gateway
          .resource(type.get(), GenericKubernetesResource.class)
          .get(spec.resource().namespace(), spec.resource().name())
          .map(live -> sameObject(spec.resource(), live))
          .onErrorResume(NotFoundException.class, e -> Mono.just(false))
          .flatMap(
              exists ->
                  exists
                      ? Mono.just(Result.requeueAfter(Duration.ofMillis(200)))
                      : bindingClient()
                          .delete(binding.metadata().getNamespace(), binding.metadata().getName())
                          .onErrorResume(NotFoundException.class, e -> Mono.empty())
                          .thenReturn(Result.done()));
    }
    if (!hasFinalizer(binding)) {
      // Go on with the binding as patched rather than wait for the patch's echo from the
      // informer and a second pass: a binding scheduled meanwhile is written out at once.
      return patchFinalizer(binding, FINALIZER_TRIES)
          .flatMap(patched -> propagate(key, patched, type.get(), template.get()))
          .switchIfEmpty(Mono.just(Result.done()));
    }
    return propagate(key, binding, type.get(), template.get());
  }

  /** Whether {@code object} is the one the binding was made for (same uid, when it has one). */
  private static boolean sameObject(ObjectReference ref, GenericKubernetesResource object) {
    return ref.uid() == null
        || ref.uid().isEmpty()
        || ref.uid().equals(object.getMetadata().getUid());
  }

  // ---- create and update

  private Mono<Result> propagate(
      String key, ResourceBinding binding, ResourceType type, GenericKubernetesResource template) {
    ResourceBindingSpec spec = binding.spec();
    ObjectNode templateJson = json.valueToTree(template);
    String templateKey = Templates.resourceKey(spec.resource());
    String templateVersion = template.getMetadata().getResourceVersion();
    metrics.seen(templateKey, templateVersion);
    Map<String, TargetCluster> targets = targets(spec);
    applied.retain(key, targets.keySet());
    MemberObjects.Owner owner =
        new MemberObjects.Owner(
            binding.metadata().getNamespace(),
            binding.metadata().getName(),
            label(
                binding.metadata(),
                bindingType.namespaced()
                    ? Karmada.RESOURCE_BINDING_PERMANENT_ID_LABEL
                    : Karmada.CLUSTER_RESOURCE_BINDING_PERMANENT_ID_LABEL),
            spec.conflictResolution());
    boolean workload = spec.replicas() != null && spec.replicas() > 0;
    List<Mono<Boolean>> writes = new ArrayList<>();
    for (TargetCluster target : targets.values()) {
      writes.add(
          applyOne(key, type, templateJson, owner, workload, target)
              .doOnNext(
                  ok -> {
                    if (ok) {
                      metrics.applied(templateKey, templateVersion, target.name());
                    }
                  }));
    }
    // Every write runs to its end: one cluster failing must not cancel the others' writes.
    Mono<Boolean> allApplied =
        Flux.merge(writes).collectList().map(results -> !results.contains(false));
    return allApplied.flatMap(
        ok -> {
          if (ok) {
            metrics.done(templateKey);
          }
          return removeFromOthers(key, binding, type, targets.keySet())
              .map(waiting -> ok ? waiting : Result.requeue());
        });
  }

  /** The scheduled clusters, plus those of the bindings this one's object is a dependency of. */
  public static Map<String, TargetCluster> targets(ResourceBindingSpec spec) {
    Map<String, TargetCluster> targets = new LinkedHashMap<>();
    if (spec.clusters() != null) {
      spec.clusters().forEach(tc -> targets.put(tc.name(), tc));
    }
    if (spec.requiredBy() != null) {
      for (BindingSnapshot snapshot : spec.requiredBy()) {
        if (snapshot.clusters() != null) {
          snapshot.clusters().forEach(tc -> targets.putIfAbsent(tc.name(), tc));
        }
      }
    }
    return targets;
  }

  /** Writes the object into one member; true when the member has it as desired. */
  private Mono<Boolean> applyOne(
      String key,
      ResourceType type,
      ObjectNode template,
      MemberObjects.Owner owner,
      boolean workload,
      TargetCluster target) {
    String cluster = target.name();
    Optional<Cluster> clusterObject = clusters.get(null, cluster);
    if (clusterObject.isEmpty()) {
      return failed(key, cluster, "no-cluster", "cluster(" + cluster + ") is not registered");
    }
    // As Karmada's execution controller: no write to a member that is not Ready. A silent member
    // would hold this worker for the whole request timeout, and the other bindings' writes to
    // healthy members would queue behind it; the pass is retried once the Cluster turns Ready.
    if (!MemberClusters.isReady(clusterObject.get())) {
      return failed(
          key,
          cluster,
          "not-ready",
          "cluster(" + cluster + ") is not ready: syncing to it stopped");
    }
    Optional<KubeClient> client = members.client(cluster);
    if (client.isEmpty()) {
      return failed(key, cluster, "unreachable", "no client for cluster(" + cluster + ") yet");
    }
    ObjectNode desired = MemberObjects.prune(template);
    if (workload) {
      MemberObjects.reviseReplicas(desired, target.replicas() == null ? 0 : target.replicas());
    }
    OverridePolicies.Result overridden;
    try {
      overridden =
          OverridePolicies.apply(
              desired,
              clusterObject.get(),
              clusterOverridePolicies.list(),
              namespaced(template.path("metadata").path("namespace").asString("")));
    } catch (OverrideException e) {
      return failed(key, cluster, "override", e.getMessage());
    }
    desired = overridden.object();
    MemberObjects.stamp(desired, template, owner, overridden);
    ObjectNode finalDesired = desired;
    ResourceClient<GenericKubernetesResource> rc =
        client.get().resource(type, GenericKubernetesResource.class);
    String ns = desired.path("metadata").path("namespace").asString(null);
    String name = desired.path("metadata").path("name").asString();
    String writeKey = cluster + "|" + type.groupResource() + "|" + ns + "|" + name;
    int hash = finalDesired.hashCode();
    Mono<Outcome> create =
        Mono.defer(
            () ->
                rc.create(toResource(finalDesired))
                    // The namespace is not there yet: Karmada's namespace sync controller would
                    // have made it; this makes it on demand.
                    .onErrorResume(
                        NotFoundException.class,
                        e ->
                            ns == null
                                ? Mono.error(e)
                                : ensureNamespace(client.get(), ns)
                                    .then(rc.create(toResource(finalDesired))))
                    .doOnNext(c -> remember(writeKey, hash, c))
                    .thenReturn(Outcome.ok()));
    Mono<Outcome> readThenWrite =
        Mono.defer(
            () ->
                rc.get(ns, name)
                    .map(Optional::of)
                    .onErrorResume(NotFoundException.class, e -> Mono.just(Optional.empty()))
                    .flatMap(
                        existing -> {
                          if (existing.isEmpty()) {
                            return create;
                          }
                          JsonNode observed = json.valueToTree(existing.get());
                          if (!MemberObjects.mayUpdate(finalDesired, observed)) {
                            metrics.applyError(cluster, "conflict");
                            return Mono.just(
                                Outcome.failed(conflictMessage(finalDesired, cluster)));
                          }
                          Written last = written.get(writeKey);
                          String observedVersion =
                              existing.get().getMetadata().getResourceVersion();
                          if (last != null
                              && last.desiredHash() == hash
                              && Objects.equals(last.resourceVersion(), observedVersion)) {
                            return Mono.just(Outcome.ok());
                          }
                          ObjectNode update = MemberObjects.retain(finalDesired, observed);
                          return rc.update(toResource(update))
                              .doOnNext(u -> remember(writeKey, hash, u))
                              .thenReturn(Outcome.ok());
                        }));
    // An object this gateway never wrote into the member is most likely not there yet (a new
    // template, a new target): create it straight away, one round trip to the member instead of a
    // read then a create; one that is there after all (a restart, someone else's) answers
    // AlreadyExists and takes the read-then-update way, conflict checks included.
    Mono<Outcome> write =
        written.containsKey(writeKey)
            ? readThenWrite
            : create.onErrorResume(AlreadyExistsException.class, e -> readThenWrite);
    return write
        // A member written in between (its controllers bump the resourceVersion): read again.
        .retryWhen(Retry.max(3).filter(e -> e instanceof ConflictException))
        .onErrorResume(
            e -> {
              metrics.applyError(cluster, e instanceof ApiException ? "rejected" : "unreachable");
              return Mono.just(
                  Outcome.failed(
                      "Failed to apply "
                          + describe(finalDesired)
                          + " to cluster("
                          + cluster
                          + "): "
                          + e.getMessage()));
            })
        .map(
            outcome -> {
              applied.record(key, cluster, outcome);
              return outcome.applied();
            });
  }

  /** Creates the namespace in the member, marked as the gateway's, unless it exists. */
  private Mono<Void> ensureNamespace(KubeClient member, String namespace) {
    Namespace ns =
        new NamespaceBuilder()
            .withNewMetadata()
            .withName(namespace)
            .addToLabels(Karmada.MANAGED_BY_KARMADA_LABEL, Karmada.MANAGED_BY_KARMADA_LABEL_VALUE)
            .endMetadata()
            .build();
    return member
        .resource(BuiltInResources.NAMESPACES, Namespace.class)
        .create(ns)
        .onErrorResume(AlreadyExistsException.class, e -> Mono.empty())
        .then();
  }

  private Mono<Boolean> failed(String key, String cluster, String reason, String message) {
    metrics.applyError(cluster, reason);
    applied.record(key, cluster, Outcome.failed(message));
    return Mono.just(false);
  }

  private void remember(String writeKey, int hash, GenericKubernetesResource written) {
    this.written.put(writeKey, new Written(hash, written.getMetadata().getResourceVersion()));
  }

  private List<OverridePolicy> namespaced(String namespace) {
    return namespace.isEmpty()
        ? List.of()
        : overridePolicies.byIndex(InformerStore.BY_NAMESPACE, namespace);
  }

  /** Karmada's words ({@code objectwatcher.Update}), and what to do about it. */
  static String conflictMessage(JsonNode desired, String cluster) {
    return describe(desired)
        + " already exists in the cluster "
        + cluster
        + " and the "
        + Karmada.CONFLICT_RESOLUTION_ANNOTATION
        + " strategy value is empty, Karmada will not manage this resource"
        + " (set conflictResolution: Overwrite in the propagation policy to take it over)";
  }

  private static String describe(JsonNode o) {
    JsonNode m = o.path("metadata");
    return "resource(kind="
        + o.path("kind").asString("")
        + ", "
        + m.path("namespace").asString("")
        + "/"
        + m.path("name").asString("")
        + ")";
  }

  // ---- clusters no longer targeted

  /**
   * Deletes the binding's object from the clusters it no longer targets; a cluster with a graceful
   * eviction task keeps it until the replicas elsewhere are available (or the task's grace period
   * ends), then it is deleted and the task dropped.
   */
  private Mono<Result> removeFromOthers(
      String key, ResourceBinding binding, ResourceType type, Set<String> targets) {
    ObjectReference ref = binding.spec().resource();
    List<GracefulEvictionTask> tasks =
        binding.spec().gracefulEvictionTasks() == null
            ? List.of()
            : binding.spec().gracefulEvictionTasks();
    List<Mono<Result>> steps = new ArrayList<>();
    List<String> finishedTasks = new ArrayList<>();
    Mono<Boolean> replacementsReady =
        Mono.defer(() -> replacementsAvailable(binding, type)).cache();
    for (Cluster c : clusters.list()) {
      String name = c.metadata().getName();
      if (targets.contains(name)) {
        continue;
      }
      Optional<GracefulEvictionTask> task =
          tasks.stream().filter(t -> name.equals(t.fromCluster())).findFirst();
      if (task.isPresent() && Boolean.TRUE.equals(task.get().suppressDeletion())) {
        // The user holds the copy there until they set it false.
        continue;
      }
      if (task.isPresent()) {
        // suppressDeletion false: the user confirmed the copy may go now.
        boolean confirmed = Boolean.FALSE.equals(task.get().suppressDeletion());
        steps.add(
            replacementsReady.flatMap(
                ready -> {
                  if (!ready && !confirmed && !expired(task.get())) {
                    return Mono.just(Result.requeueAfter(EVICTION_POLL));
                  }
                  return deleteFrom(name, type, ref, binding)
                      .doOnSuccess(v -> finishedTasks.add(name))
                      .thenReturn(Result.done());
                }));
      } else {
        steps.add(
            deleteFrom(name, type, ref, binding)
                .thenReturn(Result.done())
                // An unreachable member that may still hold the object: try again later.
                .onErrorReturn(Result.requeue()));
      }
    }
    return Flux.concat(steps)
        .collectList()
        .flatMap(
            results -> {
              Mono<Void> drop =
                  finishedTasks.isEmpty()
                      ? Mono.empty()
                      : dropEvictionTasks(binding, finishedTasks);
              return drop.thenReturn(
                  results.stream()
                      .filter(r -> !(r instanceof Result.Done))
                      .findFirst()
                      .orElse(Result.done()));
            });
  }

  private static boolean expired(GracefulEvictionTask task) {
    if (task.creationTimestamp() == null) {
      return false;
    }
    Duration grace =
        task.gracePeriodSeconds() == null
            ? DEFAULT_EVICTION_GRACE
            : Duration.ofSeconds(task.gracePeriodSeconds());
    return Instant.parse(task.creationTimestamp()).plus(grace).isBefore(Instant.now());
  }

  /**
   * Whether the object's replicas in the targeted clusters are available: for a workload, the
   * members' {@code availableReplicas} add up to the replicas scheduled there; for anything else,
   * the object is applied in every targeted cluster.
   */
  private Mono<Boolean> replacementsAvailable(ResourceBinding binding, ResourceType type) {
    Map<String, TargetCluster> targets = targets(binding.spec());
    Map<String, Outcome> outcomes = applied.of(InformerStore.keyOf(binding));
    if (!targets.keySet().stream()
        .allMatch(c -> outcomes.containsKey(c) && outcomes.get(c).applied())) {
      return Mono.just(false);
    }
    if (binding.spec().replicas() == null || binding.spec().replicas() == 0) {
      return Mono.just(true);
    }
    ToIntFunction<TargetCluster> wanted = tc -> tc.replicas() == null ? 0 : tc.replicas();
    int want = targets.values().stream().mapToInt(wanted).sum();
    ObjectReference ref = binding.spec().resource();
    return Flux.fromIterable(targets.keySet())
        .flatMap(
            c ->
                members
                    .client(c)
                    .map(
                        client ->
                            client
                                .resource(type, GenericKubernetesResource.class)
                                .get(ref.namespace(), ref.name())
                                .map(o -> availableReplicas(json.valueToTree(o)))
                                .onErrorReturn(0))
                    .orElse(Mono.just(0)))
        .reduce(0, Integer::sum)
        .map(available -> available >= want);
  }

  static int availableReplicas(JsonNode object) {
    return object.path("status").path("availableReplicas").asInt(0);
  }

  /** Deletes the binding's object from one member, if it is there and is the binding's. */
  private Mono<Void> deleteFrom(
      String cluster, ResourceType type, ObjectReference ref, ResourceBinding binding) {
    Optional<KubeClient> client = members.client(cluster);
    if (client.isEmpty()) {
      return Mono.error(new IllegalStateException("no client for cluster(" + cluster + ")"));
    }
    ResourceClient<GenericKubernetesResource> rc =
        client.get().resource(type, GenericKubernetesResource.class);
    return rc.get(ref.namespace(), ref.name())
        .flatMap(
            o -> {
              if (!MemberObjects.belongsTo(
                  json.valueToTree(o),
                  binding.metadata().getNamespace(),
                  binding.metadata().getName())) {
                return Mono.<Void>empty();
              }
              return rc.delete(
                  ref.namespace(),
                  ref.name(),
                  new io.fabric8.kubernetes.api.model.DeleteOptionsBuilder()
                      .withPropagationPolicy("Background")
                      .build());
            })
        .onErrorResume(NotFoundException.class, e -> Mono.empty())
        .doOnSuccess(
            v ->
                written
                    .keySet()
                    .removeIf(
                        k ->
                            k.startsWith(
                                cluster
                                    + "|"
                                    + type.groupResource()
                                    + "|"
                                    + ref.namespace()
                                    + "|"
                                    + ref.name())));
  }

  /** Drops the finished eviction tasks from the binding's spec, at the version read. */
  private Mono<Void> dropEvictionTasks(ResourceBinding binding, List<String> fromClusters) {
    ArrayNode remaining = json.createArrayNode();
    for (GracefulEvictionTask t : binding.spec().gracefulEvictionTasks()) {
      if (!fromClusters.contains(t.fromCluster())) {
        remaining.add(json.valueToTree(t));
      }
    }
    ObjectNode patch = json.createObjectNode();
    if (remaining.isEmpty()) {
      patch.putObject("spec").putNull("gracefulEvictionTasks");
    } else {
      patch.putObject("spec").set("gracefulEvictionTasks", remaining);
    }
    return patchBinding(binding, patch);
  }

  // ---- deletion

  private Mono<Result> deleteEverywhere(String key, ResourceBinding binding, ResourceType type) {
    if (!hasFinalizer(binding)) {
      return Mono.just(Result.done());
    }
    if (Boolean.TRUE.equals(binding.spec().preserveResourcesOnDeletion())) {
      return removeFinalizer(binding).thenReturn(Result.done());
    }
    ObjectReference ref = binding.spec().resource();
    List<Mono<Void>> deletes = new ArrayList<>();
    for (Cluster c : clusters.list()) {
      String name = c.metadata().getName();
      Mono<Void> delete = deleteFrom(name, type, ref, binding);
      if (c.metadata().getDeletionTimestamp() != null) {
        // A Cluster being removed is not waited for.
        delete = delete.onErrorResume(e -> Mono.empty());
      }
      deletes.add(delete);
    }
    // Every member must have answered before the finalizer goes; one that did not fails the
    // reconcile, which the work queue retries with back-off.
    return Flux.mergeDelayError(deletes.size() + 1, deletes.toArray(Mono[]::new))
        .then(removeFinalizer(binding))
        .then(Mono.fromRunnable(() -> applied.forget(key)))
        .thenReturn(Result.done());
  }

  // ---- the binding's finalizer

  private static boolean hasFinalizer(ResourceBinding binding) {
    List<String> f = binding.metadata().getFinalizers();
    return f != null && f.contains(Karmada.BINDING_CONTROLLER_FINALIZER);
  }

  private Mono<Void> removeFinalizer(ResourceBinding binding) {
    return patchBinding(binding, finalizersPatch(binding, false));
  }

  /** A merge patch of the binding's finalizers with this controller's present or not. */
  private ObjectNode finalizersPatch(ResourceBinding binding, boolean present) {
    List<String> finalizers =
        new ArrayList<>(
            binding.metadata().getFinalizers() == null
                ? List.of()
                : binding.metadata().getFinalizers());
    finalizers.remove(Karmada.BINDING_CONTROLLER_FINALIZER);
    if (present) {
      finalizers.add(Karmada.BINDING_CONTROLLER_FINALIZER);
    }
    ObjectNode patch = json.createObjectNode();
    ArrayNode list = patch.putObject("metadata").putArray("finalizers");
    finalizers.forEach(list::add);
    return patch;
  }

  /**
   * Adds the finalizer at the resourceVersion read; the binding as patched (empty if gone or being
   * deleted). A new binding's status is written by the scheduler and status aggregation at the same
   * moment, and the informer's copy lags behind them: on a conflict the binding is read again and
   * the patch retried at once, not after a back-off and a pass on a cache still as old.
   */
  private Mono<ResourceBinding> patchFinalizer(ResourceBinding binding, int tries) {
    return BindingPatches.patched(gateway, bindingType, binding, finalizersPatch(binding, true))
        .onErrorResume(
            ConflictException.class,
            e ->
                tries <= 1
                    ? Mono.error(e)
                    : bindingClient()
                        .get(binding.metadata().getNamespace(), binding.metadata().getName())
                        .onErrorResume(NotFoundException.class, gone -> Mono.empty())
                        .filter(fresh -> fresh.metadata().getDeletionTimestamp() == null)
                        .flatMap(
                            fresh ->
                                hasFinalizer(fresh)
                                    ? Mono.just(fresh)
                                    : patchFinalizer(fresh, tries - 1)));
  }

  private Mono<Void> patchBinding(ResourceBinding binding, ObjectNode patch) {
    return BindingPatches.patch(gateway, bindingType, binding, patch);
  }

  private ResourceClient<ResourceBinding> bindingClient() {
    return gateway.resource(bindingType, ResourceBinding.class);
  }

  private GenericKubernetesResource toResource(ObjectNode node) {
    return json.treeToValue(node, GenericKubernetesResource.class);
  }

  private static String label(ObjectMeta meta, String key) {
    return meta.getLabels() == null ? null : meta.getLabels().get(key);
  }
}
