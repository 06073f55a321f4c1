package io.nauta.api.admission;

import io.nauta.api.allocation.ServiceAllocations;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * Services claim their cluster IP and node ports before they are stored and give them back when a
 * write fails, when an update stops using them and when the service is gone, as Kubernetes' service
 * REST does around its store.
 */
@Component
class ServiceHooks implements StoreHooks {

  private final ServiceAllocations allocations;

  ServiceHooks(ServiceAllocations allocations) {
    this.allocations = allocations;
  }

  @Override
  public ResourceType type() {
    return BuiltInResources.SERVICES;
  }

  @Override
  public Mono<Finish> beginCreate(ObjectNode obj) {
    return allocations
        .claim(obj, null)
        .map(claims -> success -> success ? Mono.empty() : allocations.release(claims));
  }

  /**
   * A type change may need a cluster IP or node ports; what the service stops using is freed once
   * the write succeeded.
   */
  @Override
  public Mono<Finish> beginUpdate(ObjectNode updated, ObjectNode old) {
    return allocations
        .claim(updated, old)
        .map(
            claims ->
                success -> success ? releaseQuietly(old, updated) : allocations.release(claims));
  }

  @Override
  public Mono<Void> afterDelete(ObjectNode deleted) {
    return releaseQuietly(deleted, null);
  }

  /** Frees the cluster IP and node ports {@code old} held and {@code now} (null: gone) does not. */
  private Mono<Void> releaseQuietly(ObjectNode old, ObjectNode now) {
    return allocations
        .releaseUnused(old, now)
        .onErrorResume(e -> Mono.empty()); // the repair loop frees it later
  }
}
