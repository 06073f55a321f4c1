package io.nauta.api.lifecycle;

import io.nauta.api.cache.RepairLoop;
import io.nauta.api.cache.WatchCaches;
import io.nauta.api.http.ReadinessCheck;
import io.nauta.api.resource.ResourceService;
import io.nauta.api.storage.RedisObjectStore;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.registry.ResourceType;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * A cluster-scoped class the server creates as the cluster's default (a StorageClass, an
 * IngressClass) when objects of its kind have never been written in this Redis (their
 * resourceVersion counter is still 0), so a class the user changed is left as it is and one the
 * user deleted is not made again, also not by a restart; after Redis lost its data (a {@code
 * FLUSHALL}, a rewind) it comes back with everything else the server bootstraps, at the next
 * recheck or at once when the kind's watch cache was rebuilt. The server reports ready after the
 * first check; a disabled one is never made.
 */
abstract class BootstrapClass implements ReadinessCheck, DisposableBean {

  private final ResourceService service;
  private final RedisObjectStore store;
  private final WatchCaches caches;
  private final ResourceType type;
  private final Duration recheckPeriod;
  private final boolean enabled;
  private final Logger log;
  private volatile boolean done;
  private volatile Disposable recheck;

  BootstrapClass(
      ResourceService service,
      RedisObjectStore store,
      WatchCaches caches,
      ResourceType type,
      boolean enabled,
      Duration recheckPeriod,
      Logger log) {
    this.service = service;
    this.store = store;
    this.caches = caches;
    this.type = type;
    this.enabled = enabled;
    this.recheckPeriod = recheckPeriod;
    this.log = log;
  }

  /** The class as the server creates it. */
  abstract ObjectNode object();

  @Override
  public boolean passed() {
    return done || !enabled;
  }

  @EventListener(ApplicationReadyEvent.class)
  public void ensureAtStart() {
    if (!enabled) {
      return;
    }
    recheck =
        RepairLoop.start(
            this::ensure,
            recheckPeriod,
            caches.rebuiltAfterRewind(List.of(type)),
            () -> done = true,
            log,
            "create the default " + type.kind());
  }

  @Override
  public void destroy() {
    Disposable r = recheck;
    if (r != null) {
      r.dispose();
    }
  }

  /** Creates the class if no object of its kind was ever written here. */
  public Mono<Void> ensure() {
    return store
        .currentResourceVersion(type)
        .filter(rv -> rv == 0)
        .flatMap(
            rv -> {
              ObjectNode obj = object();
              log.info(
                  "creating the default {} {}",
                  type.kind(),
                  obj.path("metadata").path("name").asString(""));
              return service
                  .create(type, null, obj, false)
                  .then()
                  .onErrorResume(AlreadyExistsException.class, e -> Mono.empty());
            });
  }
}
