package io.nauta.api.lifecycle;

import io.nauta.api.cache.RepairLoop;
import io.nauta.api.cache.WatchCaches;
import io.nauta.api.http.ReadinessCheck;
import io.nauta.api.resource.ResourceService;
import io.nauta.api.storage.RedisObjectStore;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.storage.StorageClasses;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The cluster's default StorageClass {@value #NAME}: node-local volumes made by the node agent's
 * provisioner {@value #PROVISIONER} once a pod using the claim is scheduled ({@code
 * WaitForFirstConsumer}), deleted with their claim.
 *
 * <p>Created when storage classes have never been written in this Redis (their resourceVersion
 * counter is still 0), so a class the user changed is left as it is and one the user deleted is not
 * made again, also not by a restart; after Redis lost its data (a {@code FLUSHALL}, a rewind) it
 * comes back with everything else the server bootstraps, at the next recheck or at once when the
 * classes' watch cache was rebuilt. The server reports ready after the first check ({@code
 * nauta.storage.default-class.enabled=false} leaves the class out).
 */
@Component
public class DefaultStorageClass implements ReadinessCheck, DisposableBean {

  public static final String NAME = "nauta-local";
  public static final String PROVISIONER = "nauta.io/local-volume";

  private static final Logger log = LoggerFactory.getLogger(DefaultStorageClass.class);

  private final ResourceService service;
  private final RedisObjectStore store;
  private final WatchCaches caches;
  private final Duration recheckPeriod;
  private final boolean enabled;
  private volatile boolean done;
  private volatile Disposable recheck;

  public DefaultStorageClass(
      ResourceService service,
      RedisObjectStore store,
      WatchCaches caches,
      @Value("${nauta.storage.default-class.enabled:true}") boolean enabled,
      @Value("${nauta.system-namespaces.recheck-period:1m}") Duration recheckPeriod) {
    this.service = service;
    this.store = store;
    this.caches = caches;
    this.enabled = enabled;
    this.recheckPeriod = recheckPeriod;
  }

  /** The class as the server creates it. */
  public static ObjectNode desired() {
    ObjectNode sc = JsonNodeFactory.instance.objectNode();
    sc.put("apiVersion", "storage.k8s.io/v1").put("kind", "StorageClass");
    sc.putObject("metadata")
        .put("name", NAME)
        .putObject("annotations")
        .put(StorageClasses.DEFAULT_CLASS, "true");
    sc.put("provisioner", PROVISIONER);
    sc.put("reclaimPolicy", "Delete");
    sc.put("volumeBindingMode", "WaitForFirstConsumer");
    return sc;
  }

  @Override
  public String name() {
    return "poststarthook/nauta-default-storage-class";
  }

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
            caches.rebuiltAfterRewind(List.of(BuiltInResources.STORAGE_CLASSES)),
            () -> done = true,
            log,
            "create the default storage class");
  }

  @Override
  public void destroy() {
    Disposable r = recheck;
    if (r != null) {
      r.dispose();
    }
  }

  /** Creates the class if no storage class was ever written here. */
  public Mono<Void> ensure() {
    return store
        .currentResourceVersion(BuiltInResources.STORAGE_CLASSES)
        .filter(rv -> rv == 0)
        .flatMap(
            rv -> {
              log.info("creating the default storage class {}", NAME);
              return service
                  .create(BuiltInResources.STORAGE_CLASSES, null, desired(), false)
                  .then()
                  .onErrorResume(AlreadyExistsException.class, e -> Mono.empty());
            });
  }
}
