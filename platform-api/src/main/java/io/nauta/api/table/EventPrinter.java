package io.nauta.api.table;

import static io.nauta.api.table.Cells.integer;
import static io.nauta.api.table.Cells.text;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code kubectl get events}: LAST SEEN TYPE REASON OBJECT MESSAGE; wide SUBOBJECT SOURCE FIRST
 * SEEN COUNT NAME (in Kubernetes' column order, wide ones interleaved).
 */
final class EventPrinter implements TablePrinter {

  private static final List<Column> COLUMNS =
      List.of(
          Column.string(
              "Last Seen",
              "The time at which the most recent occurrence of this event was recorded."),
          Column.string(
              "Type",
              "Type of this event (Normal, Warning), new types could be added in the future"),
          Column.string(
              "Reason",
              "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
          Column.string("Object", "The object that this event is about."),
          Column.string(
                  "Subobject",
                  "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].")
              .wide(),
          Column.string(
                  "Source",
                  "The component reporting this event. Should be a short machine understandable string.")
              .wide(),
          Column.string("Message", "A human-readable description of the status of this operation."),
          Column.string(
                  "First Seen",
                  "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)")
              .wide(),
          Column.string("Count", "The number of times this event has occurred.").wide(),
          Column.objectName().wide());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode e, Instant now) {
    String first = HumanDuration.since(e.get("firstTimestamp"), now);
    if (HumanDuration.instant(e.get("firstTimestamp")) == null) {
      first = HumanDuration.since(e.get("eventTime"), now);
    }
    String last = HumanDuration.since(e.get("lastTimestamp"), now);
    if (HumanDuration.instant(e.get("lastTimestamp")) == null) {
      last = first;
    }
    long count = integer(e.path("count"));
    JsonNode series = e.get("series");
    if (Cells.present(series)) {
      last = HumanDuration.since(series.get("lastObservedTime"), now);
      count = integer(series.path("count"));
    } else if (count == 0) {
      count = 1; // singleton events of the events.k8s.io API carry no count
    }
    JsonNode involved = e.path("involvedObject");
    String kind = text(involved.path("kind")).toLowerCase(Locale.ROOT);
    String target =
        text(involved.path("name")).isEmpty() ? kind : kind + "/" + text(involved.path("name"));
    return List.of(
        last,
        text(e.path("type")),
        text(e.path("reason")),
        target,
        text(involved.path("fieldPath")),
        source(e),
        text(e.path("message")).strip(),
        first,
        count,
        Cells.name(e));
  }

  /** {@code component, host}, falling back to the reporting controller and instance. */
  private static String source(JsonNode e) {
    String component = text(e.path("source").path("component"));
    if (component.isEmpty()) {
      component = text(e.path("reportingComponent"));
    }
    String host = text(e.path("source").path("host"));
    if (host.isEmpty()) {
      host = text(e.path("reportingInstance"));
    }
    return host.isEmpty() ? component : component + ", " + host;
  }
}
