package io.nauta.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import io.nauta.core.workqueue.Result;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kubernetes' garbage collector for the kinds Nauta serves: it deletes objects whose owners are all
 * gone (background), deletes the dependents of an owner deleted in the foreground and then lets the
 * owner go, and orphans the dependents of an owner deleted with the {@code orphan} policy.
 *
 * <p>Instead of upstream's dependency graph it reads the informers' stores: an object's owners by
 * the coordinates in its owner references (confirmed gone with a live read before anything is
 * deleted), its dependents by the stores' owner-uid index. Work keys are per kind ({@code
 * namespace/name}); an event enqueues the object itself, its owners (a foreground deletion waits
 * for its dependents) and, when it is gone or being deleted, its dependents.
 */
public final class GarbageCollector {

  /** The kinds whose objects are collected, and which can own them. */
  public static final List<ResourceType> KINDS =
      List.of(
          BuiltInResources.PODS,
          BuiltInResources.REPLICASETS,
          BuiltInResources.DEPLOYMENTS,
          BuiltInResources.DAEMONSETS,
          BuiltInResources.STATEFULSETS,
          BuiltInResources.CONTROLLER_REVISIONS,
          BuiltInResources.JOBS,
          BuiltInResources.CRONJOBS,
          BuiltInResources.SERVICES,
          BuiltInResources.ENDPOINTS,
          BuiltInResources.ENDPOINT_SLICES,
          BuiltInResources.CONFIGMAPS,
          BuiltInResources.SECRETS,
          BuiltInResources.PERSISTENT_VOLUME_CLAIMS,
          // Kinds operators and charts commonly create with an owner reference to their app
          BuiltInResources.SERVICEACCOUNTS,
          BuiltInResources.ROLES,
          BuiltInResources.ROLE_BINDINGS,
          BuiltInResources.HORIZONTAL_POD_AUTOSCALERS,
          BuiltInResources.INGRESSES,
          BuiltInResources.NETWORK_POLICIES,
          BuiltInResources.RESOURCE_QUOTAS,
          BuiltInResources.LIMIT_RANGES);

  static final String ORPHAN = "orphan";
  static final String FOREGROUND = "foregroundDeletion";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private enum OwnerState {
    SOLID,
    DANGLING,
    WAITING_FOR_DEPENDENTS
  }

  private record Dependent(ResourceType type, HasMetadata object) {}

  /** Copy-on-write: custom kinds are followed and unfollowed while passes read it. */
  private volatile Map<ResourceType, InformerStore<? extends HasMetadata>> stores;

  private final GcClient client;
  private final BiConsumer<ResourceType, String> enqueue;

  /**
   * @param stores the informer store of every kind in {@link #KINDS}
   * @param enqueue queues a key of a kind for {@link #reconcile}
   */
  public GarbageCollector(
      Map<ResourceType, InformerStore<? extends HasMetadata>> stores,
      GcClient client,
      BiConsumer<ResourceType, String> enqueue) {
    this.stores = Collections.unmodifiableMap(new LinkedHashMap<>(stores));
    this.client = client;
    this.enqueue = enqueue;
  }

  /**
   * Follows one more kind (a custom resource, while its definition is established): its objects are
   * collected, and can own others, like those of {@link #KINDS}.
   */
  public synchronized void follow(ResourceType type, InformerStore<? extends HasMetadata> store) {
    Map<ResourceType, InformerStore<? extends HasMetadata>> next = new LinkedHashMap<>(stores);
    next.put(type, store);
    stores = Collections.unmodifiableMap(next);
    // Objects owned by the kind were judged while it was not followed (owner presumed alive), and
    // an owner deleted meanwhile sent no event here: look at each of them again.
    next.forEach(
        (t, s) -> {
          for (HasMetadata o : s.list()) {
            if (refs(o).stream().anyMatch(r -> names(r, type))) {
              enqueue.accept(t, InformerStore.keyOf(o));
            }
          }
        });
  }

  private static boolean names(OwnerReference ref, ResourceType type) {
    String apiVersion = Objects.requireNonNullElse(ref.getApiVersion(), "");
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    return type.kind().equals(ref.getKind()) && type.group().equals(group);
  }

  /** Stops following a kind added by {@link #follow}. */
  public synchronized void unfollow(ResourceType type) {
    Map<ResourceType, InformerStore<? extends HasMetadata>> next = new LinkedHashMap<>(stores);
    next.remove(type);
    stores = Collections.unmodifiableMap(next);
  }

  /** Enqueues what an event on an object of {@code type} may concern, the object included. */
  public void onEvent(ResourceType type, InformerEvent<? extends HasMetadata> event) {
    HasMetadata object = event.object();
    String namespace = object.getMetadata().getNamespace();
    enqueue.accept(type, InformerStore.keyOf(object));
    Set<OwnerReference> refs = new LinkedHashSet<>(refs(object));
    if (event.previous() != null) {
      refs.addAll(refs(event.previous()));
    }
    for (OwnerReference ref : refs) {
      ResourceType ownerType = followedKindOf(ref);
      if (ownerType != null) {
        enqueue.accept(ownerType, InformerStore.key(namespace, ref.getName()));
      }
    }
    if (event.type() == InformerEvent.Type.DELETED || isDeleting(object)) {
      for (Dependent d : dependents(object.getMetadata().getUid())) {
        enqueue.accept(d.type(), InformerStore.keyOf(d.object()));
      }
    }
  }

  /** One pass for the object of {@code type} at {@code key}. */
  public Mono<Result> reconcile(ResourceType type, String key) {
    InformerStore<? extends HasMetadata> store = stores.get(type);
    Optional<? extends HasMetadata> cached = store == null ? Optional.empty() : store.get(key);
    if (cached.isEmpty()) {
      return Mono.just(Result.done());
    }
    HasMetadata object = cached.get();
    if (isDeleting(object)) {
      if (hasFinalizer(object, ORPHAN)) {
        return orphanDependents(type, object).thenReturn(Result.done());
      }
      if (hasFinalizer(object, FOREGROUND)) {
        return processDeletingDependents(type, object).thenReturn(Result.done());
      }
      // Being deleted, not waiting for dependents: nothing to do until it is gone.
      return Mono.just(Result.done());
    }
    if (refs(object).isEmpty()) {
      return Mono.just(Result.done());
    }
    return attemptToDelete(type, object).thenReturn(Result.done());
  }

  /**
   * Upstream's attemptToDeleteItem: an object with a live owner only loses its references to gone
   * owners (and stops blocking owners deleted in the foreground); one without is deleted.
   */
  private Mono<Void> attemptToDelete(ResourceType type, HasMetadata object) {
    String namespace = object.getMetadata().getNamespace();
    List<OwnerReference> refs = refs(object);
    return Flux.fromIterable(refs)
        .concatMap(ref -> ownerState(namespace, ref))
        .collectList()
        .flatMap(
            states -> {
              List<OwnerReference> dangling = new ArrayList<>();
              List<OwnerReference> waiting = new ArrayList<>();
              boolean solid = false;
              for (int i = 0; i < refs.size(); i++) {
                switch (states.get(i)) {
                  case SOLID -> solid = true;
                  case DANGLING -> dangling.add(refs.get(i));
                  case WAITING_FOR_DEPENDENTS -> waiting.add(refs.get(i));
                }
              }
              if (solid) {
                if (dangling.isEmpty() && waiting.isEmpty()) {
                  return Mono.empty();
                }
                return patchRefs(
                    type,
                    namespace,
                    object.getMetadata().getName(),
                    object,
                    dangling,
                    unblocked(waiting));
              }
              List<Dependent> dependents = dependents(object.getMetadata().getUid());
              if (!waiting.isEmpty() && !dependents.isEmpty()) {
                // Its own dependents must go before it, so its owner waits for them too.
                Mono<Void> delete =
                    client.delete(
                        type,
                        namespace,
                        object.getMetadata().getName(),
                        object.getMetadata().getUid(),
                        "Foreground");
                if (dependents.stream().noneMatch(d -> isDeletingDependents(d.object()))) {
                  return delete;
                }
                // A dependent that waits for its own dependents may wait for this object's owner
                // (a cycle): with both waiting on each other neither could ever go. As upstream,
                // stop blocking the owners first; this object still goes in the foreground.
                List<OwnerReference> blocking = blocking(refs);
                if (blocking.isEmpty()) {
                  return delete;
                }
                return patchRefs(
                        type,
                        namespace,
                        object.getMetadata().getName(),
                        object,
                        List.of(),
                        unblocked(blocking))
                    .then(delete);
              }
              String policy;
              if (hasFinalizer(object, ORPHAN)) {
                policy = "Orphan";
              } else if (hasFinalizer(object, FOREGROUND)) {
                policy = "Foreground";
              } else {
                policy = "Background";
              }
              return client.delete(
                  type,
                  namespace,
                  object.getMetadata().getName(),
                  object.getMetadata().getUid(),
                  policy);
            });
  }

  /**
   * Upstream's processDeletingDependentsItem: while a dependent still blocks the owner, make sure
   * every dependent is being collected; then remove the finalizer, and the API server removes the
   * owner.
   */
  private Mono<Void> processDeletingDependents(ResourceType type, HasMetadata owner) {
    String uid = owner.getMetadata().getUid();
    List<Dependent> blocking =
        dependents(uid).stream()
            .filter(
                d ->
                    refs(d.object()).stream()
                        .anyMatch(
                            r ->
                                uid.equals(r.getUid())
                                    && Boolean.TRUE.equals(r.getBlockOwnerDeletion())))
            .toList();
    if (blocking.isEmpty()) {
      return client.removeFinalizer(
          type, owner.getMetadata().getNamespace(), owner.getMetadata().getName(), FOREGROUND);
    }
    // A dependent that is itself waiting for its dependents has nothing to do here; its own
    // events bring this owner back. Queueing it anyway would, in a cycle of owners waiting on
    // each other, queue one from the other forever.
    blocking.stream()
        .filter(d -> !isDeletingDependents(d.object()))
        .forEach(d -> enqueue.accept(d.type(), InformerStore.keyOf(d.object())));
    return Mono.empty();
  }

  /** Upstream's attemptToOrphan: drop the reference to the owner from every dependent, then go. */
  private Mono<Void> orphanDependents(ResourceType type, HasMetadata owner) {
    String uid = owner.getMetadata().getUid();
    return Flux.fromIterable(dependents(uid))
        .flatMap(
            d ->
                patchRefs(
                    d.type(),
                    d.object().getMetadata().getNamespace(),
                    d.object().getMetadata().getName(),
                    d.object(),
                    List.of(ownerRef(uid)),
                    List.of()))
        .then(
            Mono.defer(
                () ->
                    client.removeFinalizer(
                        type,
                        owner.getMetadata().getNamespace(),
                        owner.getMetadata().getName(),
                        ORPHAN)));
  }

  private Mono<OwnerState> ownerState(String namespace, OwnerReference ref) {
    ResourceType ownerType = followedKindOf(ref);
    if (ownerType == null || ref.getUid() == null || ref.getName() == null) {
      // A kind this collector does not follow: never presume its objects gone.
      return Mono.just(OwnerState.SOLID);
    }
    // A cluster-scoped owner is found without the dependent's namespace.
    String ownerNamespace = ownerType.namespaced() ? namespace : null;
    InformerStore<? extends HasMetadata> ownerStore = stores.get(ownerType);
    if (ownerStore == null) {
      return Mono.just(OwnerState.SOLID); // no longer followed: presume nothing
    }
    Optional<? extends HasMetadata> cached =
        ownerStore.get(ownerNamespace, ref.getName()).filter(o -> sameUid(o, ref));
    Mono<HasMetadata> owner =
        cached.isPresent()
            ? Mono.just(cached.get())
            // Absent from the cache may only mean the cache is behind: ask the API server.
            : client.get(ownerType, ownerNamespace, ref.getName()).filter(o -> sameUid(o, ref));
    return owner
        .map(o -> isDeletingDependents(o) ? OwnerState.WAITING_FOR_DEPENDENTS : OwnerState.SOLID)
        .defaultIfEmpty(OwnerState.DANGLING);
  }

  /** Objects of every followed kind with an owner reference to {@code uid}. */
  private List<Dependent> dependents(String uid) {
    List<Dependent> out = new ArrayList<>();
    if (uid == null) {
      return out;
    }
    stores.forEach(
        (t, store) ->
            store
                .byIndex(InformerStore.BY_OWNER_UID, uid)
                .forEach(o -> out.add(new Dependent(t, o))));
    return out;
  }

  /** The followed kind (built in or custom) an owner reference names, or null. */
  private ResourceType followedKindOf(OwnerReference ref) {
    ResourceType builtIn = kindOf(ref);
    if (builtIn != null) {
      return builtIn;
    }
    for (ResourceType t : stores.keySet()) {
      if (names(ref, t)) {
        return t;
      }
    }
    return null;
  }

  /** The followed kind an owner reference names (by group and kind), or null. */
  static ResourceType kindOf(OwnerReference ref) {
    String apiVersion = Objects.requireNonNullElse(ref.getApiVersion(), "");
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    for (ResourceType t : KINDS) {
      if (t.kind().equals(ref.getKind()) && t.group().equals(group)) {
        return t;
      }
    }
    return null;
  }

  /**
   * A strategic merge patch of {@code metadata.ownerReferences}: deletes the references to {@code
   * remove} (by uid) and merges {@code replace}; it carries the object's uid, as upstream's does.
   */
  private static String patch(
      HasMetadata object, List<OwnerReference> remove, List<OwnerReference> replace) {
    List<Object> entries = new ArrayList<>();
    for (OwnerReference r : remove) {
      Map<String, Object> delete = new LinkedHashMap<>();
      delete.put("$patch", "delete");
      delete.put("uid", r.getUid());
      entries.add(delete);
    }
    entries.addAll(replace);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("ownerReferences", entries);
    metadata.put("uid", object.getMetadata().getUid());
    return JSON.writeValueAsString(Map.of("metadata", metadata));
  }

  /**
   * Edits an object's owner references: a strategic merge patch for built-in kinds, a JSON merge
   * patch of the whole list (at the read resourceVersion) for custom resources, which have no
   * strategic merge patch.
   */
  private Mono<Void> patchRefs(
      ResourceType type,
      String namespace,
      String name,
      HasMetadata object,
      List<OwnerReference> remove,
      List<OwnerReference> replace) {
    if (type.modelClass() != GenericKubernetesResource.class) {
      return client.patchOwnerReferences(type, namespace, name, patch(object, remove, replace));
    }
    Set<String> removed = new LinkedHashSet<>();
    remove.forEach(r -> removed.add(r.getUid()));
    List<OwnerReference> kept = new ArrayList<>();
    for (OwnerReference r : refs(object)) {
      if (removed.contains(r.getUid())) {
        continue;
      }
      kept.add(
          replace.stream()
              .filter(x -> Objects.equals(x.getUid(), r.getUid()))
              .findFirst()
              .orElse(r));
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("ownerReferences", kept);
    metadata.put("resourceVersion", object.getMetadata().getResourceVersion());
    return client.mergePatchOwnerReferences(
        type, namespace, name, JSON.writeValueAsString(Map.of("metadata", metadata)));
  }

  private static List<OwnerReference> blocking(List<OwnerReference> refs) {
    return refs.stream().filter(r -> Boolean.TRUE.equals(r.getBlockOwnerDeletion())).toList();
  }

  private static List<OwnerReference> unblocked(List<OwnerReference> refs) {
    return refs.stream()
        .map(r -> new OwnerReferenceBuilder(r).withBlockOwnerDeletion(false).build())
        .toList();
  }

  private static OwnerReference ownerRef(String uid) {
    OwnerReference r = new OwnerReference();
    r.setUid(uid);
    return r;
  }

  private static List<OwnerReference> refs(HasMetadata o) {
    List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
    return refs == null ? List.of() : refs;
  }

  private static boolean sameUid(HasMetadata o, OwnerReference ref) {
    return ref.getUid().equals(o.getMetadata().getUid());
  }

  static boolean isDeleting(HasMetadata o) {
    return o.getMetadata().getDeletionTimestamp() != null;
  }

  /** Being deleted in the foreground: it waits for its blocking dependents to go. */
  static boolean isDeletingDependents(HasMetadata o) {
    return isDeleting(o) && hasFinalizer(o, FOREGROUND);
  }

  static boolean hasFinalizer(HasMetadata o, String finalizer) {
    List<String> f = o.getMetadata().getFinalizers();
    return f != null && f.contains(finalizer);
  }
}
