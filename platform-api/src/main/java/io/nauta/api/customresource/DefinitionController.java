package io.nauta.api.customresource;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.nauta.api.cache.CachedObject;
import io.nauta.api.cache.ObjectFilter;
import io.nauta.api.cache.WatchCache;
import io.nauta.api.cache.WatchCaches;
import io.nauta.api.resource.ListOptions;
import io.nauta.api.resource.Meta;
import io.nauta.api.resource.ResourceService;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceRegistry;
import io.nauta.core.registry.ResourceType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs on every API server instance, as upstream's naming, establishing and finalizer controllers
 * run in every kube-apiserver: it follows the CustomResourceDefinitions in this instance's own
 * watch cache and, for each,
 *
 * <ul>
 *   <li>writes its status: {@code NamesAccepted} (no other kind of the group uses its names), then
 *       {@code Established}, {@code acceptedNames}, {@code storedVersions}. Every instance computes
 *       the same status from what is stored and writes only a difference, through the status
 *       subresource's read-modify-write loop (a 409 re-reads), so several write it idempotently;
 *   <li>serves the kind once it is established ({@link CustomResources#serve});
 *   <li>when it is being deleted: marks it {@code Terminating}, deletes every object of the kind,
 *       then removes the {@code customresourcecleanup.apiextensions.k8s.io} finalizer; when the
 *       definition is gone, stops serving the kind.
 * </ul>
 *
 * Level-triggered: handlers only enqueue a definition's name; each pass reads the latest state. A
 * restart (or a Redis that lost the data) starts with every definition the cache holds and every
 * kind served, so a definition left half established or half deleted is finished by the next
 * instance that starts; a failed pass is retried, and every definition is looked at again every
 * {@link #RESYNC}.
 *
 * <p>{@link #hasSynced()} is this instance's {@code poststarthook/crd-informer-synced}: readiness
 * waits until every established definition is served again after a start.
 */
@Component
public class DefinitionController implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(DefinitionController.class);

  static final ResourceType CRDS = BuiltInResources.CUSTOM_RESOURCE_DEFINITIONS;
  static final Duration RESYNC = Duration.ofSeconds(10);
  static final Duration RETRY = Duration.ofSeconds(1);

  private final WatchCaches caches;
  private final ResourceService service;
  private final CustomResources served;
  private final ResourceRegistry registry;
  private final Sinks.Many<String> queue = Sinks.many().unicast().onBackpressureBuffer();
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  private final Disposable.Composite running = Disposables.composite();

  /** Definitions whose kind cannot be served (its schema does not compile, its paths are taken). */
  private final Set<String> unservable = ConcurrentHashMap.newKeySet();

  private volatile boolean synced;
  private Scheduler worker;

  public DefinitionController(
      WatchCaches caches,
      ResourceService service,
      CustomResources served,
      ResourceRegistry registry) {
    this.caches = caches;
    this.service = service;
    this.served = served;
    this.registry = registry;
  }

  @Override
  public void start() {
    // One thread does every change of the registry (and so the OpenAPI rebuilds and cache starts it
    // triggers): never the cache's reader thread, never a Redis I/O thread.
    worker = Schedulers.newSingle("crd-controller", true);
    running.add(
        queue
            .asFlux()
            .publishOn(worker)
            .concatMap(
                name -> {
                  queued.remove(name);
                  // Deferred: a failure while building the pass is the pass's, not the loop's.
                  return Mono.defer(() -> reconcile(name))
                      .doOnSuccess(done -> unservable.remove(name))
                      .onErrorResume(
                          e -> {
                            log.warn("CustomResourceDefinition {}: {}", name, e.toString());
                            if (e instanceof IllegalArgumentException) {
                              // Retried, but readiness does not wait for it: as upstream, where
                              // such a kind answers errors rather than holding the server back.
                              unservable.add(name);
                            }
                            retryLater(name);
                            return Mono.empty();
                          });
                })
            .subscribe());
    cache()
        .listen(
            new WatchCache.Listener() {
              @Override
              public void replaced(List<CachedObject> objects) {
                objects.forEach(o -> enqueue(o.name()));
                enqueueServed();
              }

              @Override
              public void applied(CachedObject object, CachedObject previous, boolean deleted) {
                enqueue(object.name());
              }
            });
    running.add(
        Flux.interval(RESYNC, RESYNC)
            .subscribe(
                t -> {
                  cache().list(ObjectFilter.all(), 0, null).items().forEach(o -> enqueue(o.name()));
                  enqueueServed();
                }));
  }

  private WatchCache cache() {
    return caches.get(CRDS);
  }

  /**
   * Upstream's {@code crd-informer-synced}: true once the definitions' cache is in sync and the
   * kind of each established definition in it is served, its watch cache in sync too (or the kind
   * found unservable). Until then a restarted instance would answer 404 for kinds it is about to
   * serve again, so it must not report ready. Once true it stays true, as an informer's {@code
   * HasSynced}: definitions established later are served within a second, readiness aside.
   */
  public boolean hasSynced() {
    if (synced) {
      return true;
    }
    WatchCache definitions = caches.get(CRDS);
    if (definitions == null || !definitions.isSynced() || worker == null) {
      return false;
    }
    for (CachedObject o : definitions.list(ObjectFilter.all(), 0, null).items()) {
      if (mustBeServed(o.node()) && !unservable.contains(o.name()) && !kindServed(o.name())) {
        return false;
      }
    }
    synced = true;
    return true;
  }

  /** Whether the definition's kind is routed and its watch cache in sync. */
  private boolean kindServed(String definition) {
    if (!served.isServed(definition)) {
      return false;
    }
    WatchCache kind = registry.set(definition).map(s -> caches.get(s.storage())).orElse(null);
    return kind != null && kind.isSynced();
  }

  /**
   * Whether a pass serves this definition's kind as stored now: established with a storage version,
   * its names accepted (or, when being deleted, its cleanup finalizer still to run, for which the
   * kind is served so its objects can be deleted).
   */
  static boolean mustBeServed(ObjectNode crd) {
    if (!Conditions.isTrue(crd, "Established") || Definition.of(crd).storageVersion() == null) {
      return false;
    }
    return Meta.isDeleting(crd)
        ? Meta.finalizers(crd).contains(DefinitionStrategy.CLEANUP_FINALIZER)
        : Conditions.isTrue(crd, "NamesAccepted");
  }

  private void enqueueServed() {
    for (ResourceType t : registry.storageTypes()) {
      registry.ownerOf(t).ifPresent(this::enqueue);
    }
  }

  /** Quick and thread-safe: cache listeners call it under the cache's lock. */
  private synchronized void enqueue(String name) {
    if (queued.add(name)) {
      queue.tryEmitNext(name);
    }
  }

  private void retryLater(String name) {
    Mono.delay(RETRY)
        .subscribe(
            t -> {
              if (!running.isDisposed()) {
                enqueue(name);
              }
            });
  }

  // ---- one pass

  Mono<Void> reconcile(String name) {
    CachedObject cached = cache().get(null, name);
    if (cached == null) {
      served.unserve(name);
      return Mono.empty();
    }
    ObjectNode crd = cached.node();
    if (Meta.isDeleting(crd)) {
      return terminate(name, crd);
    }
    return writeStatus(name, this::namesAndEstablished)
        .then(Mono.fromRunnable(() -> serveIfEstablished(name)).subscribeOn(worker))
        .then();
  }

  private void serveIfEstablished(String name) {
    CachedObject cached = cache().get(null, name);
    if (cached == null) {
      return;
    }
    ObjectNode crd = cached.node();
    Definition d = Definition.of(crd);
    if (!Conditions.isTrue(crd, "Established")
        || !Conditions.isTrue(crd, "NamesAccepted")
        || d.storageVersion() == null
        || served.servedAs(d)) {
      return;
    }
    served.serve(d);
    log.info("serving {} ({})", d.name(), d.kind());
  }

  /** Writes what {@code change} makes of the status, if anything; a 404 means it is gone. */
  private Mono<Void> writeStatus(String name, java.util.function.Consumer<ObjectNode> change) {
    return service
        .guaranteedUpdate(
            CRDS,
            null,
            name,
            "status",
            false,
            cur -> {
              change.accept(cur);
              return cur;
            })
        .then()
        .onErrorResume(NotFoundException.class, e -> Mono.empty());
  }

  /**
   * The naming controller's and establishing controller's work in one: names accepted unless
   * another kind of the group uses one of them; established once accepted; the storage version
   * recorded.
   */
  private void namesAndEstablished(ObjectNode crd) {
    Definition d = Definition.of(crd);
    ObjectNode status = crd.get("status") instanceof ObjectNode s ? s : crd.putObject("status");
    String[] conflict = conflict(d);
    if (conflict == null) {
      Conditions.set(status, "NamesAccepted", "True", "NoConflicts", "no conflicts found");
      status.set("acceptedNames", acceptedNames(crd));
      Conditions.set(
          status,
          "Established",
          "True",
          "InitialNamesAccepted",
          "the initial names have been accepted");
    } else {
      Conditions.set(status, "NamesAccepted", "False", conflict[0], conflict[1]);
      if (!Conditions.isTrue(crd, "Established")) {
        Conditions.set(status, "Established", "False", "NotAccepted", "not all names are accepted");
      }
    }
    Definition.Version storage = d.storageVersion();
    if (storage != null) {
      var stored =
          status.get("storedVersions") instanceof tools.jackson.databind.node.ArrayNode a
              ? a
              : status.putArray("storedVersions");
      boolean present = false;
      for (JsonNode v : stored) {
        present |= v.asString("").equals(storage.name());
      }
      if (!present) {
        stored.add(storage.name());
      }
    }
  }

  /** The names as accepted: the spec's, in the order upstream writes them. */
  private static ObjectNode acceptedNames(ObjectNode crd) {
    JsonNode names = crd.path("spec").path("names");
    ObjectNode accepted = crd.objectNode();
    accepted.put("plural", names.path("plural").asString(""));
    accepted.put("singular", names.path("singular").asString(""));
    if (names.has("shortNames")) {
      accepted.set("shortNames", names.get("shortNames").deepCopy());
    }
    accepted.put("kind", names.path("kind").asString(""));
    accepted.put("listKind", names.path("listKind").asString(""));
    if (names.has("categories")) {
      accepted.set("categories", names.get("categories").deepCopy());
    }
    return accepted;
  }

  /**
   * The first of {@code d}'s names that another kind of its group already uses (another
   * definition's accepted names, or a built-in kind), as upstream's naming controller reports it:
   * {reason, message}; null when none.
   */
  private String[] conflict(Definition d) {
    Set<String> plurals = new HashSet<>();
    Set<String> singulars = new HashSet<>();
    Set<String> shortNames = new HashSet<>();
    Set<String> kinds = new HashSet<>();
    Set<String> listKinds = new HashSet<>();
    for (CachedObject other : cache().list(ObjectFilter.all(), 0, null).items()) {
      JsonNode spec = other.node().path("spec");
      if (other.name().equals(d.name()) || !spec.path("group").asString("").equals(d.group())) {
        continue;
      }
      JsonNode accepted = other.node().path("status").path("acceptedNames");
      plurals.add(accepted.path("plural").asString(""));
      singulars.add(accepted.path("singular").asString(""));
      accepted.path("shortNames").forEach(s -> shortNames.add(s.asString("")));
      kinds.add(accepted.path("kind").asString(""));
      listKinds.add(accepted.path("listKind").asString(""));
    }
    for (ResourceType t : registry.all()) {
      if (t.group().equals(d.group()) && !registry.ownerOf(t).map(d.name()::equals).orElse(false)) {
        plurals.add(t.plural());
        singulars.add(t.singular());
        shortNames.addAll(t.shortNames());
        kinds.add(t.kind());
        listKinds.add(t.listKind());
      }
    }
    plurals.remove("");
    singulars.remove("");
    kinds.remove("");
    listKinds.remove("");
    if (plurals.contains(d.plural()) || singulars.contains(d.plural())) {
      return inUse("PluralConflict", d.plural());
    }
    if (plurals.contains(d.singular()) || singulars.contains(d.singular())) {
      return inUse("SingularConflict", d.singular());
    }
    for (String s : d.shortNames()) {
      if (shortNames.contains(s) || plurals.contains(s) || singulars.contains(s)) {
        return inUse("ShortNamesConflict", s);
      }
    }
    if (kinds.contains(d.kind()) || listKinds.contains(d.kind())) {
      return inUse("KindConflict", d.kind());
    }
    if (kinds.contains(d.listKind()) || listKinds.contains(d.listKind())) {
      return inUse("ListKindConflict", d.listKind());
    }
    return null;
  }

  private static String[] inUse(String reason, String name) {
    return new String[] {reason, "\"" + name + "\" is already in use"};
  }

  // ---- deletion

  /**
   * Upstream's finalizer controller: {@code Terminating}, every object of the kind deleted (as a
   * client would delete them: finalizers and graceful deletion are honoured, so this waits for
   * them), then the finalizer removed, after which the store removes the definition.
   */
  private Mono<Void> terminate(String name, ObjectNode crd) {
    if (!Meta.finalizers(crd).contains(DefinitionStrategy.CLEANUP_FINALIZER)) {
      return Mono.empty(); // someone else's finalizers hold it; its kind is already unserved
    }
    served.setTerminating(name, true);
    Definition d = Definition.of(crd);
    if (!served.isServed(name)
        && Conditions.isTrue(crd, "Established")
        && d.storageVersion() != null) {
      // An instance that starts while a definition is being deleted serves its kind again, so
      // that its cache (and so its objects) can be listed and deleted before the finalizer goes.
      served.serve(d);
    }
    ResourceType storage =
        registry.set(name).map(ResourceRegistry.ResourceSet::storage).orElse(null);
    Mono<Void> marked =
        Conditions.isTrue(crd, "Terminating")
            ? Mono.empty()
            : writeStatus(
                name,
                c ->
                    Conditions.set(
                        status(c),
                        "Terminating",
                        "True",
                        "InstanceDeletionInProgress",
                        "CustomResource deletion is in progress"));
    if (storage == null) {
      // Never served on this instance (never established): no objects can exist.
      return marked.then(finish(name));
    }
    ListOptions everything = new ListOptions(ObjectFilter.all(), null, null, 0, null, false, 0);
    return marked
        .then(
            service
                .deleteCollection(storage, everything, new DeleteOptions(), false)
                .then(service.list(storage, everything)))
        .flatMap(
            left -> {
              if (left.items().isEmpty()) {
                return finish(name);
              }
              // Objects with finalizers of their own are deleted once those are removed.
              retryLater(name);
              return Mono.empty();
            });
  }

  private Mono<Void> finish(String name) {
    return writeStatus(
            name,
            c ->
                Conditions.set(
                    status(c),
                    "Terminating",
                    "False",
                    "InstanceDeletionCompleted",
                    "removed all instances"))
        .then(
            service
                .guaranteedUpdate(
                    CRDS,
                    null,
                    name,
                    null,
                    false,
                    c -> {
                      List<String> finalizers = new ArrayList<>(Meta.finalizers(c));
                      finalizers.remove(DefinitionStrategy.CLEANUP_FINALIZER);
                      Meta.setFinalizers(c, finalizers);
                      return c;
                    })
                .then()
                .onErrorResume(NotFoundException.class, e -> Mono.empty()));
  }

  private static ObjectNode status(ObjectNode crd) {
    return crd.get("status") instanceof ObjectNode s ? s : crd.putObject("status");
  }

  @Override
  public void stop() {
    running.dispose();
    if (worker != null) {
      worker.dispose();
    }
  }

  @Override
  public boolean isRunning() {
    return worker != null && !running.isDisposed();
  }
}
