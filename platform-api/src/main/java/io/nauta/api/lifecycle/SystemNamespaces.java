package io.nauta.api.lifecycle;

import io.nauta.api.resource.ResourceService;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Makes sure the namespaces every Kubernetes cluster has exist: {@code default}, {@code
 * kube-system}, {@code kube-public} and {@code kube-node-lease} (where node heartbeats live). The
 * server reports ready only after this.
 */
@Component
public class SystemNamespaces {

  static final List<String> NAMES =
      List.of("default", "kube-system", "kube-public", "kube-node-lease");

  private static final Logger log = LoggerFactory.getLogger(SystemNamespaces.class);

  private final ResourceService service;
  private final JsonMapper mapper;
  private volatile boolean done;

  public SystemNamespaces(ResourceService service, JsonMapper mapper) {
    this.service = service;
    this.mapper = mapper;
  }

  public boolean isDone() {
    return done;
  }

  @EventListener(ApplicationReadyEvent.class)
  public void ensure() {
    Flux.fromIterable(NAMES)
        .concatMap(this::create)
        .then()
        .retryWhen(
            Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5)))
        .subscribe(
            v -> {},
            e -> log.error("could not create the system namespaces", e),
            () -> done = true);
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
