package io.nauta.federation.apiserver;

import io.nauta.api.cache.RepairLoop;
import io.nauta.api.cache.WatchCaches;
import io.nauta.api.customresource.CustomResources;
import io.nauta.api.http.ReadinessCheck;
import io.nauta.api.resource.ResourceService;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.federation.api.KarmadaResources;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Installs Karmada's CustomResourceDefinitions ({@link KarmadaDefinitions}) in the gateway when it
 * starts, as kube-apiserver's post-start hooks install what a server must have: a missing one is
 * created; one of the same name whose spec lacks or differs from anything ours says (Karmada's own,
 * an older gateway's, one edited by hand) gets our spec back, and one that says all ours does (plus
 * what the server defaulted) is left alone, so a start that changes nothing writes nothing. Checked
 * again every {@code recheck} and when Redis went back in time. The gateway is ready ({@code
 * /readyz}, {@code poststarthook/karmada-api}) once every kind is served; {@link #installed()}
 * completes then, and the federation controllers start.
 */
public final class KarmadaApiInstaller implements ReadinessCheck, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(KarmadaApiInstaller.class);

  private final ResourceService service;
  private final CustomResources served;
  private final WatchCaches caches;
  private final Duration recheck;
  private final List<ObjectNode> definitions = KarmadaDefinitions.all();
  private final Sinks.Empty<Void> done = Sinks.empty();
  private volatile boolean ready;
  private volatile Disposable loop;

  KarmadaApiInstaller(
      ResourceService service, CustomResources served, WatchCaches caches, Duration recheck) {
    this.service = service;
    this.served = served;
    this.caches = caches;
    this.recheck = recheck;
  }

  /** Starts installing (once the server is ready to take writes). */
  void start() {
    loop =
        RepairLoop.start(
            () -> ensureAll().then(awaitServed()),
            recheck,
            caches.rebuiltAfterRewind(List.of(BuiltInResources.CUSTOM_RESOURCE_DEFINITIONS)),
            () -> {
              ready = true;
              log.info("Karmada's API installed: {}", KarmadaResources.ALL.size() + " kinds");
              done.tryEmitEmpty();
            },
            log,
            "install Karmada's CustomResourceDefinitions");
  }

  /** Completes once every Karmada kind is served. */
  public Mono<Void> installed() {
    return done.asMono();
  }

  @Override
  public String name() {
    return "poststarthook/karmada-api";
  }

  @Override
  public boolean passed() {
    return ready;
  }

  @Override
  public void destroy() {
    Disposable l = loop;
    if (l != null) {
      l.dispose();
    }
  }

  private Mono<Void> ensureAll() {
    return Flux.fromIterable(definitions).concatMap(this::ensure).then();
  }

  private Mono<Void> ensure(ObjectNode desired) {
    String name = desired.path("metadata").path("name").asString();
    JsonNode spec = desired.get("spec");
    return service
        .get(BuiltInResources.CUSTOM_RESOURCE_DEFINITIONS, null, name)
        .flatMap(
            current -> {
              if (contains(current.path("spec"), spec)) {
                return Mono.empty();
              }
              log.info("updating CustomResourceDefinition {} to the gateway's", name);
              return service
                  .guaranteedUpdate(
                      BuiltInResources.CUSTOM_RESOURCE_DEFINITIONS,
                      null,
                      name,
                      null,
                      false,
                      cur -> {
                        ObjectNode next = cur.deepCopy();
                        next.set("spec", spec.deepCopy());
                        return next;
                      })
                  .then();
            })
        .onErrorResume(
            NotFoundException.class,
            e -> {
              log.info("creating CustomResourceDefinition {}", name);
              return service
                  .create(BuiltInResources.CUSTOM_RESOURCE_DEFINITIONS, null, desired, false)
                  .then()
                  .onErrorResume(AlreadyExistsException.class, x -> Mono.empty());
            });
  }

  /**
   * Whether {@code current} says everything {@code desired} says: every field of an object (more
   * may be there: the server's defaults), every element of an array of the same length, equal
   * scalars.
   */
  static boolean contains(JsonNode current, JsonNode desired) {
    if (desired.isObject()) {
      if (!current.isObject()) {
        return false;
      }
      for (var e : desired.properties()) {
        JsonNode c = current.get(e.getKey());
        if (c == null || !contains(c, e.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (desired.isArray()) {
      if (!current.isArray() || current.size() != desired.size()) {
        return false;
      }
      for (int i = 0; i < desired.size(); i++) {
        if (!contains(current.get(i), desired.get(i))) {
          return false;
        }
      }
      return true;
    }
    return desired.equals(current)
        || (desired.isNumber()
            && current.isNumber()
            && desired.asString().equals(current.asString()));
  }

  /** Every kind served: polled, as the definition controller serves them asynchronously. */
  private Mono<Void> awaitServed() {
    return Flux.interval(Duration.ZERO, Duration.ofMillis(100))
        .filter(t -> KarmadaResources.ALL.stream().allMatch(t2 -> served.strategy(t2).isPresent()))
        .next()
        .timeout(Duration.ofSeconds(30))
        .then();
  }
}
