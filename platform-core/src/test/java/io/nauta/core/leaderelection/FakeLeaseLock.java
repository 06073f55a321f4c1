package io.nauta.core.leaderelection;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.errors.ServiceUnavailableException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;

/**
 * One Lease kept in memory with the API server's rules: get of a missing lease is 404, create of an
 * existing one 409 AlreadyExists, update with a stale resourceVersion 409 Conflict. It records what
 * was written and can be made to fail, or to let another writer in just before an update.
 */
final class FakeLeaseLock implements LeaseLock {

  private static final ResourceRef REF = new ResourceRef("coordination.k8s.io", "leases", "lock");

  private Lease stored;
  private long resourceVersion;
  private Consumer<FakeLeaseLock> beforeNextUpdate;

  volatile boolean failing;
  final AtomicInteger gets = new AtomicInteger();
  final AtomicInteger conflicts = new AtomicInteger();
  final AtomicInteger failures = new AtomicInteger();
  final List<Lease> writes = new CopyOnWriteArrayList<>();

  /** The lease as the server has it now, or null. */
  synchronized Lease current() {
    return stored == null ? null : new LeaseBuilder(stored).build();
  }

  /** Writes {@code lease} as another process would, bumping the resourceVersion. */
  synchronized Lease put(Lease lease) {
    stored =
        new LeaseBuilder(lease)
            .editOrNewMetadata()
            .withResourceVersion(Long.toString(++resourceVersion))
            .endMetadata()
            .build();
    return current();
  }

  /** Runs {@code writer} once, just before the next update is checked. */
  synchronized void beforeNextUpdate(Consumer<FakeLeaseLock> writer) {
    beforeNextUpdate = writer;
  }

  @Override
  public Mono<Lease> get() {
    return Mono.fromCallable(
        () -> {
          synchronized (this) {
            gets.incrementAndGet();
            failIfFailing();
            if (stored == null) {
              throw new NotFoundException("leases \"lock\" not found", REF);
            }
            return current();
          }
        });
  }

  @Override
  public Mono<Lease> create(Lease lease) {
    return Mono.fromCallable(
        () -> {
          synchronized (this) {
            failIfFailing();
            if (stored != null) {
              throw new AlreadyExistsException(REF);
            }
            writes.add(lease);
            return put(lease);
          }
        });
  }

  @Override
  public Mono<Lease> update(Lease lease) {
    return Mono.fromCallable(
        () -> {
          synchronized (this) {
            failIfFailing();
            Consumer<FakeLeaseLock> writer = beforeNextUpdate;
            beforeNextUpdate = null;
            if (writer != null) {
              writer.accept(this);
            }
            if (stored == null) {
              throw new NotFoundException("leases \"lock\" not found", REF);
            }
            if (!stored
                .getMetadata()
                .getResourceVersion()
                .equals(lease.getMetadata().getResourceVersion())) {
              conflicts.incrementAndGet();
              throw ConflictException.staleResourceVersion(REF);
            }
            writes.add(lease);
            return put(lease);
          }
        });
  }

  private void failIfFailing() {
    if (failing) {
      failures.incrementAndGet();
      throw new ServiceUnavailableException("the API server is unreachable");
    }
  }
}
