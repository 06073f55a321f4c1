package io.nauta.api.lifecycle;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.nauta.api.cache.CachedObject;
import io.nauta.api.cache.ObjectFilter;
import io.nauta.api.cache.WatchCaches;
import io.nauta.api.resource.ListOptions;
import io.nauta.api.resource.ResourceService;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceRegistry;
import io.nauta.core.registry.ResourceType;
import io.nauta.core.selector.FieldSelector;
import io.nauta.core.selector.LabelSelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Finishes namespace deletion, the job of Kubernetes' namespace controller: a namespace marked for
 * deletion has everything in it deleted, then its {@code kubernetes} finalizer removed, and then it
 * is gone. Every API server replica may run this; its writes are idempotent and conflict-checked,
 * so running it twice does no harm.
 */
@Component
public class NamespaceTermination implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(NamespaceTermination.class);
  private static final Duration PERIOD = Duration.ofSeconds(1);

  private final WatchCaches caches;
  private final ResourceService service;
  private final ResourceRegistry registry;
  private Disposable loop;

  public NamespaceTermination(
      WatchCaches caches, ResourceService service, ResourceRegistry registry) {
    this.caches = caches;
    this.service = service;
    this.registry = registry;
  }

  @Override
  public void start() {
    loop = sweeps(PERIOD, Schedulers.parallel(), caches::allSynced, this::sweep).subscribe();
  }

  /**
   * A sweep every {@code period} once {@code ready}, one at a time. A sweep longer than the period
   * (a namespace of thousands of objects, a slow Redis) skips the ticks it overlaps: without the
   * drop the interval fails for lack of demand (as a failed sweep would end it), and no namespace
   * would finish terminating again until the API server restarts.
   */
  static Flux<Void> sweeps(
      Duration period, Scheduler timer, BooleanSupplier ready, Supplier<Mono<Void>> sweep) {
    return Flux.interval(period, timer)
        .onBackpressureDrop()
        .filter(tick -> ready.getAsBoolean())
        .concatMap(
            tick ->
                Mono.defer(sweep)
                    .onErrorResume(
                        e -> {
                          log.warn("namespace termination: {}", e.toString());
                          return Mono.empty();
                        }),
            0);
  }

  private Mono<Void> sweep() {
    List<CachedObject> terminating =
        caches.get(BuiltInResources.NAMESPACES).list(ObjectFilter.all(), 0, null).items().stream()
            .filter(ns -> ns.node().path("metadata").hasNonNull("deletionTimestamp"))
            .toList();
    return Flux.fromIterable(terminating).concatMap(ns -> finish(ns.name())).then();
  }

  private Mono<Void> finish(String namespace) {
    ListOptions everything =
        new ListOptions(
            new ObjectFilter(namespace, LabelSelector.everything(), FieldSelector.everything()),
            null,
            null,
            0,
            null,
            false,
            0);
    // Read at each pass: custom resources come and go.
    List<ResourceType> namespaced =
        registry.storageTypes().stream().filter(t -> t.namespaced() && t.stored()).toList();
    return Flux.fromIterable(namespaced)
        .concatMap(
            type ->
                service
                    .deleteCollection(type, everything, new DeleteOptions(), false)
                    .then(service.list(type, everything))
                    .map(page -> page.items().isEmpty()))
        .all(empty -> empty)
        .flatMap(empty -> empty ? removeFinalizer(namespace) : Mono.empty());
  }

  private Mono<Void> removeFinalizer(String namespace) {
    return service
        .guaranteedUpdate(
            BuiltInResources.NAMESPACES,
            null,
            namespace,
            null,
            false,
            ns -> {
              ObjectNode spec = ns.withObjectProperty("spec");
              List<String> kept = new ArrayList<>();
              spec.path("finalizers").forEach(f -> kept.add(f.asString()));
              kept.remove("kubernetes");
              if (kept.isEmpty()) {
                spec.remove("finalizers");
              } else {
                ArrayNode finalizers = spec.putArray("finalizers");
                kept.forEach(finalizers::add);
              }
              return ns;
            })
        .then()
        .onErrorResume(NotFoundException.class, e -> Mono.empty());
  }

  @Override
  public void stop() {
    if (loop != null) {
      loop.dispose();
    }
  }

  @Override
  public boolean isRunning() {
    return loop != null && !loop.isDisposed();
  }
}
