package io.nauta.core.leaderelection;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.nauta.core.client.ResourceClient;
import reactor.core.publisher.Mono;

/**
 * The one Lease an elector campaigns for (client-go's {@code resourcelock.Interface}): read it,
 * create it, and replace it under optimistic concurrency on {@code metadata.resourceVersion}.
 * Errors are the client's typed exceptions ({@code NotFoundException}, {@code ConflictException},
 * {@code AlreadyExistsException}, …).
 */
interface LeaseLock {

  Mono<Lease> get();

  Mono<Lease> create(Lease lease);

  Mono<Lease> update(Lease lease);

  static LeaseLock of(ResourceClient<Lease> leases, String namespace, String name) {
    return new LeaseLock() {
      @Override
      public Mono<Lease> get() {
        return leases.get(namespace, name);
      }

      @Override
      public Mono<Lease> create(Lease lease) {
        return leases.create(lease);
      }

      @Override
      public Mono<Lease> update(Lease lease) {
        return leases.update(lease);
      }
    };
  }
}
