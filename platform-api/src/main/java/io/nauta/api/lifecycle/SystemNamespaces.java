package io.nauta.api.lifecycle;

import io.nauta.api.cache.RepairLoop;
import io.nauta.api.cache.WatchCaches;
import io.nauta.api.resource.ResourceService;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.registry.BuiltInResources;
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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Makes sure the namespaces every Kubernetes cluster has exist: {@code default}, {@code
 * kube-system}, {@code kube-public} and {@code kube-node-lease} (where node heartbeats live). The
 * server reports ready only after this. Like kube-apiserver's system-namespaces controller it
 * checks again every {@code nauta.system-namespaces.recheck-period} (a minute, as upstream): after
 * Redis lost its data (a {@code FLUSHALL}, a restore) nobody could otherwise take a Lease in {@code
 * kube-system} or {@code kube-node-lease} again until the API server restarted. It also checks at
 * once when the namespaces' watch cache was rebuilt because Redis went back in time.
 */
@Component
public class SystemNamespaces implements DisposableBean {

  static final List<String> NAMES =
      List.of("default", "kube-system", "kube-public", "kube-node-lease");

  private static final Logger log = LoggerFactory.getLogger(SystemNamespaces.class);

  private final ResourceService service;
  private final JsonMapper mapper;
  private final WatchCaches caches;
  private volatile boolean done;
  private volatile Disposable recheck;

  private final Duration recheckPeriod;

  public SystemNamespaces(
      ResourceService service,
      JsonMapper mapper,
      WatchCaches caches,
      @Value("${nauta.system-namespaces.recheck-period:1m}") Duration recheckPeriod) {
    this.service = service;
    this.mapper = mapper;
    this.caches = caches;
    this.recheckPeriod = recheckPeriod;
  }

  public boolean isDone() {
    return done;
  }

  @EventListener(ApplicationReadyEvent.class)
  public void ensure() {
    recheck =
        RepairLoop.start(
            () -> Flux.fromIterable(NAMES).concatMap(this::create).then(),
            recheckPeriod,
            caches.rebuiltAfterRewind(List.of(BuiltInResources.NAMESPACES)),
            () -> done = true,
            log,
            "create the system namespaces");
  }

  @Override
  public void destroy() {
    Disposable r = recheck;
    if (r != null) {
      r.dispose();
    }
  }

  private Mono<Void> create(String name) {
    ObjectNode ns = mapper.createObjectNode();
    ns.put("apiVersion", "v1").put("kind", "Namespace").putObject("metadata").put("name", name);
    return service
        .create(BuiltInResources.NAMESPACES, null, ns, false)
        .then()
        .onErrorResume(AlreadyExistsException.class, e -> Mono.empty());
  }
}
