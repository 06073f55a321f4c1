package io.nauta.core.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.PatchType;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.registry.BuiltInResources;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

/**
 * Writes core/v1 Events about objects, as client-go's event recorder does: the first occurrence of
 * (object, type, reason, message) creates an Event named {@code <object>.<hex time>}; a repeat
 * (among the last few thousand series remembered) patches that Event's {@code count} and {@code
 * lastTimestamp} instead of creating another, so {@code kubectl describe} shows "x5 over 2m".
 * Failures to record are logged and swallowed: an event is a hint, never a reason to fail the
 * caller's work.
 */
public final class EventRecorder {

  private static final Log log = LogFactory.getLog(EventRecorder.class);
  private static final int MAX_SERIES = 4096;

  private final ResourceClient<Event> events;
  private final String component;
  private final String host;
  private final Clock clock;
  private final EventWriter writer; // null: record() completes when the event is written
  private final Map<SeriesKey, Series> series =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<SeriesKey, Series> eldest) {
          return size() > MAX_SERIES;
        }
      };

  /**
   * @param component the reporting component, e.g. {@code default-scheduler}
   * @param host the reporting instance (host or pod name), may be {@code null}
   */
  public EventRecorder(KubeClient client, String component, String host) {
    this(client, component, host, null);
  }

  /**
   * A recorder whose events {@code writer} writes beside the caller's work: {@link #record}
   * completes at once, so a controller's pod create or a binding never waits for its event.
   */
  public EventRecorder(KubeClient client, String component, String host, EventWriter writer) {
    this(
        client.resource(BuiltInResources.EVENTS, Event.class),
        component,
        host,
        Clock.systemUTC(),
        writer);
  }

  EventRecorder(
      ResourceClient<Event> events,
      String component,
      String host,
      Clock clock,
      EventWriter writer) {
    this.events = events;
    this.component = component;
    this.host = host;
    this.clock = clock;
    this.writer = writer;
  }

  /** A Normal event. */
  public Mono<Void> normal(HasMetadata object, String reason, String message) {
    return record(object, "Normal", reason, message);
  }

  /** A Warning event. */
  public Mono<Void> warning(HasMetadata object, String reason, String message) {
    return record(object, "Warning", reason, message);
  }

  /**
   * Records an event; completes when written (or when writing failed, which is only logged), or at
   * once when an {@link EventWriter} writes this recorder's events (dropped when its backlog is
   * full).
   */
  public Mono<Void> record(HasMetadata object, String type, String reason, String message) {
    if (writer != null) {
      return Mono.fromRunnable(() -> writer.write(() -> write(object, type, reason, message)));
    }
    return write(object, type, reason, message);
  }

  private Mono<Void> write(HasMetadata object, String type, String reason, String message) {
    ObjectReference ref = reference(object);
    SeriesKey key = new SeriesKey(ref.getUid(), ref.getName(), type, reason, message);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Series existing;
    synchronized (series) {
      existing = series.get(key);
      if (existing != null) {
        existing.count++;
      }
    }
    Mono<Event> write =
        existing == null ? create(ref, type, reason, message, now, key) : bump(existing, now);
    return write
        .onErrorResume(
            e -> {
              log.warn("could not record event " + reason + " for " + ref.getName() + ": " + e);
              synchronized (series) {
                series.remove(key);
              }
              return Mono.empty();
            })
        .then();
  }

  private Mono<Event> create(
      ObjectReference ref, String type, String reason, String message, Instant now, SeriesKey key) {
    String namespace = ref.getNamespace() == null ? "default" : ref.getNamespace();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                ref.getName() + "." + Long.toHexString(System.nanoTime() ^ now.toEpochMilli()))
            .withNamespace(namespace)
            .endMetadata()
            .withInvolvedObject(ref)
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withCount(1)
            .withFirstTimestamp(now.toString())
            .withLastTimestamp(now.toString())
            .withNewSource()
            .withComponent(component)
            .withHost(host)
            .endSource()
            .withReportingComponent(component)
            .withReportingInstance(host == null ? component : host)
            .build();
    return events
        .create(event)
        .doOnNext(
            created -> {
              synchronized (series) {
                series.put(key, new Series(namespace, created.getMetadata().getName()));
              }
            });
  }

  private Mono<Event> bump(Series s, Instant now) {
    String patch;
    synchronized (series) {
      patch = "{\"count\":" + s.count + ",\"lastTimestamp\":\"" + now + "\"}";
    }
    return events.patch(s.namespace, s.name, PatchType.MERGE, patch);
  }

  static ObjectReference reference(HasMetadata object) {
    return new ObjectReferenceBuilder()
        .withApiVersion(object.getApiVersion())
        .withKind(object.getKind())
        .withNamespace(object.getMetadata().getNamespace())
        .withName(object.getMetadata().getName())
        .withUid(object.getMetadata().getUid())
        .withResourceVersion(object.getMetadata().getResourceVersion())
        .build();
  }

  private record SeriesKey(String uid, String name, String type, String reason, String message) {}

  /** A written event and how many occurrences it counts (guarded by the series map). */
  private static final class Series {
    final String namespace;
    final String name;
    int count = 1;

    Series(String namespace, String name) {
      this.namespace = namespace;
      this.name = name;
    }
  }
}
