package io.nauta.controllers.volume;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.workqueue.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

/**
 * A protection finalizer of one kind (upstream's protectionutil and the sync both protection
 * controllers share): an object being deleted loses it once {@code inUse} says no; an object
 * without it gets it. Writes are updates guarded by the resourceVersion the decision was made on,
 * so an object that changed meanwhile is decided again (a conflict is retried by the queue).
 */
final class Finalizers<T extends HasMetadata> {

  static final String PVC_PROTECTION = "kubernetes.io/pvc-protection";
  static final String PV_PROTECTION = "kubernetes.io/pv-protection";

  private static final Log log = LogFactory.getLog(Finalizers.class);

  private final String finalizer;
  private final InformerStore<T> store;
  private final ResourceClient<T> client;
  private final UnaryOperator<T> copy;

  Finalizers(
      String finalizer, InformerStore<T> store, ResourceClient<T> client, UnaryOperator<T> copy) {
    this.finalizer = finalizer;
    this.store = store;
    this.client = client;
    this.copy = copy;
  }

  /** Whether an event may call for work: the finalizer is missing or could be removed. */
  boolean relevant(InformerEvent<T> event) {
    return event.type() != InformerEvent.Type.DELETED
        && (needToAdd(event.object()) || isDeletionCandidate(event.object()));
  }

  Mono<Result> sync(String key, Function<T, Mono<Boolean>> inUse) {
    T object = store.get(key).orElse(null);
    if (object == null) {
      return Mono.just(Result.done());
    }
    if (isDeletionCandidate(object)) {
      return inUse
          .apply(object)
          .flatMap(
              used -> {
                if (used) {
                  log.debug("keeping " + key + " (" + finalizer + "): it is in use");
                  return Mono.just(Result.done());
                }
                List<String> rest = new ArrayList<>(object.getMetadata().getFinalizers());
                rest.removeIf(finalizer::equals);
                return update(object, rest)
                    .doOnSuccess(o -> log.info("removed " + finalizer + " from " + key))
                    .thenReturn(Result.done());
              });
    }
    if (needToAdd(object)) {
      List<String> all =
          object.getMetadata().getFinalizers() == null
              ? new ArrayList<>()
              : new ArrayList<>(object.getMetadata().getFinalizers());
      all.add(finalizer);
      return update(object, all).thenReturn(Result.done());
    }
    return Mono.just(Result.done());
  }

  private Mono<T> update(T object, List<String> finalizers) {
    T clone = copy.apply(object);
    clone.getMetadata().setFinalizers(finalizers);
    return client.update(clone).onErrorResume(NotFoundException.class, e -> Mono.empty());
  }

  private boolean has(T o) {
    List<String> f = o.getMetadata().getFinalizers();
    return f != null && f.contains(finalizer);
  }

  /** Being deleted and still held by the finalizer. */
  private boolean isDeletionCandidate(T o) {
    return o.getMetadata().getDeletionTimestamp() != null && has(o);
  }

  /** Not being deleted and without the finalizer. */
  private boolean needToAdd(T o) {
    return o.getMetadata().getDeletionTimestamp() == null && !has(o);
  }
}
