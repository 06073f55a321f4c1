package io.nauta.api.openapi;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The {@code /openapi/v2} document, built on first request and kept until the served types change.
 *
 * <p>Building it (merging every group-version's document, converting, encoding) takes CPU time a
 * request thread must not spend, and most clients never ask for it (kubectl 1.29+ asks only for a
 * {@code List}, a create-only kind or {@code explain --output=plaintext-openapiv2}), so it is built
 * lazily, off the event loop, once per distinct list of served types; every caller in between
 * shares that one build. A build that fails is not kept: the next request tries again.
 */
public final class OpenApiV2Cache {

  private static final Logger log = LoggerFactory.getLogger(OpenApiV2Cache.class);

  private record Entry(Object key, Mono<OpenApiV2> document) {}

  private final Supplier<?> key;
  private final Supplier<OpenApiV2> build;
  private final AtomicReference<Entry> entry = new AtomicReference<>();

  /**
   * @param key what the document depends on (the registry's list of types); a different value (by
   *     {@code equals}) means a new document
   * @param build builds the document for the current state
   */
  public OpenApiV2Cache(Supplier<?> key, Supplier<OpenApiV2> build) {
    this.key = key;
    this.build = build;
  }

  private OpenApiV2 buildAndLog() {
    long start = System.nanoTime();
    OpenApiV2 doc = build.get();
    log.info(
        "Built /openapi/v2 in {} ms: {} bytes of JSON, {} bytes of protobuf",
        (System.nanoTime() - start) / 1_000_000,
        doc.json().length,
        doc.protobuf().length);
    return doc;
  }

  /** The document for the types served now. */
  public Mono<OpenApiV2> current() {
    Object now = key.get();
    while (true) {
      Entry e = entry.get();
      if (e != null && e.key().equals(now)) {
        return e.document();
      }
      Entry fresh =
          new Entry(
              now,
              Mono.fromSupplier(this::buildAndLog)
                  .subscribeOn(Schedulers.boundedElastic())
                  // Kept for good; an error is not kept (the next caller builds again).
                  .cacheInvalidateIf(doc -> false));
      if (entry.compareAndSet(e, fresh)) {
        return fresh.document();
      }
    }
  }
}
