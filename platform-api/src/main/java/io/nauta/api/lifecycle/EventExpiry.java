package io.nauta.api.lifecycle;

import io.nauta.api.cache.CachedObject;
import io.nauta.api.cache.ObjectFilter;
import io.nauta.api.cache.WatchCaches;
import io.nauta.api.resource.ResourceService;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.registry.BuiltInResources;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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
import tools.jackson.databind.JsonNode;

/**
 * Events live {@code nauta.event-ttl} (an hour, kube-apiserver's {@code --event-ttl} default) after
 * they were last written, as Kubernetes gives each Event an etcd lease of that length; without it
 * every pod ever created leaves its Events in Redis and in the watch cache for good. Once a minute,
 * Events whose newest time ({@code lastTimestamp}, {@code eventTime}, {@code
 * series.lastObservedTime}, else {@code creationTimestamp}) is older than the TTL are deleted.
 */
@Component
public class EventExpiry implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(EventExpiry.class);

  private final WatchCaches caches;
  private final ResourceService service;
  private final Duration ttl;
  private final Duration period;
  private final Clock clock;
  private volatile Disposable sweeping;

  public EventExpiry(
      WatchCaches caches,
      ResourceService service,
      @Value("${nauta.event-ttl:1h}") Duration ttl,
      @Value("${nauta.event-expiry-period:1m}") Duration period) {
    this.caches = caches;
    this.service = service;
    this.ttl = ttl;
    this.period = period;
    this.clock = Clock.systemUTC();
  }

  @EventListener(ApplicationReadyEvent.class)
  public void start() {
    sweeping =
        Flux.interval(period)
            .onBackpressureDrop()
            .concatMap(tick -> sweep().onErrorResume(e -> logged(e)))
            .subscribe();
  }

  private Mono<Void> logged(Throwable e) {
    log.warn("could not expire events: {}", e.toString());
    return Mono.empty();
  }

  /** Deletes the Events older than the TTL; one at a time, so a sweep never floods the store. */
  Mono<Void> sweep() {
    Instant oldest = clock.instant().minus(ttl);
    List<CachedObject> expired =
        caches.get(BuiltInResources.EVENTS).list(ObjectFilter.all(), 0, null).items().stream()
            .filter(e -> lastWritten(e.node()).isBefore(oldest))
            .toList();
    return Flux.fromIterable(expired)
        .concatMap(
            e ->
                service
                    .delete(BuiltInResources.EVENTS, e.namespace(), e.name(), null, false)
                    .then()
                    // Gone or rewritten meanwhile: nothing to do now, the next sweep looks again.
                    .onErrorResume(NotFoundException.class, x -> Mono.empty())
                    .onErrorResume(ConflictException.class, x -> Mono.empty()))
        .then();
  }

  /** The newest of an Event's times; an Event without any counts as new (never expired). */
  static Instant lastWritten(JsonNode event) {
    Instant newest = Instant.MIN;
    for (JsonNode t :
        List.of(
            event.path("lastTimestamp"),
            event.path("eventTime"),
            event.path("series").path("lastObservedTime"),
            event.path("metadata").path("creationTimestamp"))) {
      if (t.isString() && !t.asString().isEmpty()) {
        try {
          Instant i = Instant.parse(t.asString());
          if (i.isAfter(newest)) {
            newest = i;
          }
        } catch (DateTimeParseException e) {
          // not a time: ignore this field
        }
      }
    }
    return newest == Instant.MIN ? Instant.MAX : newest;
  }

  @Override
  public void destroy() {
    Disposable s = sweeping;
    if (s != null) {
      s.dispose();
    }
  }
}
