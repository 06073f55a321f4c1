package io.nauta.api.http;

import io.nauta.api.table.Column;
import io.nauta.api.table.TablePrinter;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Events between the stored core {@code v1} shape and {@code events.k8s.io/v1}, which Kubernetes
 * serves over the same storage (pkg/apis/events/v1/conversion.go): the fields that differ only in
 * name are renamed, the others ({@code eventTime}, {@code series}, {@code reportingInstance},
 * {@code action}, {@code reason}, {@code type}, {@code related}) are the same in both.
 */
final class EventsV1Conversion {

  static final String API_VERSION = "events.k8s.io/v1";

  /** events.k8s.io/v1 name → core v1 name. */
  private static final Map<String, String> CORE_NAME =
      Map.of(
          "regarding", "involvedObject",
          "note", "message",
          "deprecatedSource", "source",
          "deprecatedFirstTimestamp", "firstTimestamp",
          "deprecatedLastTimestamp", "lastTimestamp",
          "deprecatedCount", "count",
          "reportingController", "reportingComponent");

  /** core v1 name → events.k8s.io/v1 name. */
  private static final Map<String, String> V1_NAME =
      CORE_NAME.entrySet().stream()
          .collect(
              java.util.stream.Collectors.toUnmodifiableMap(
                  Map.Entry::getValue, Map.Entry::getKey));

  private EventsV1Conversion() {}

  static boolean applies(ResourceType type) {
    return type.group().equals(BuiltInResources.EVENTS_GROUP) && type.kind().equals("Event");
  }

  /** A stored core Event as events.k8s.io/v1 shows it (a new tree). */
  static ObjectNode toEventsV1(ObjectNode core) {
    return renamed(core, API_VERSION, V1_NAME);
  }

  /**
   * An events.k8s.io/v1 body as it is stored (a new tree). Core names events.k8s.io/v1 does not
   * have (a body's {@code involvedObject}, {@code message}) are dropped, as decoding into that
   * version's type drops them, rather than taken for the fields they name in core.
   */
  static ObjectNode toCore(ObjectNode v1) {
    return renamed(v1, BuiltInResources.EVENTS.apiVersion(), CORE_NAME);
  }

  /**
   * {@code obj} at {@code apiVersion}, its fields renamed by {@code names}; the other side's names
   * (the values of {@code names}) are not fields of this side and are dropped.
   */
  private static ObjectNode renamed(ObjectNode obj, String apiVersion, Map<String, String> names) {
    ObjectNode out = obj.objectNode();
    out.put("apiVersion", apiVersion);
    obj.properties()
        .forEach(
            e -> {
              String name = e.getKey();
              if (!name.equals("apiVersion") && !names.containsValue(name)) {
                out.set(names.getOrDefault(name, name), e.getValue().deepCopy());
              }
            });
    return out;
  }

  /**
   * Kubernetes prints events.k8s.io Events from the internal (core) Event, so their Table is the
   * core one: the same printer, given the object back in its core shape.
   */
  static TablePrinter printer(TablePrinter core) {
    return new TablePrinter() {
      @Override
      public List<Column> columns() {
        return core.columns();
      }

      @Override
      public List<Object> cells(ObjectNode obj, Instant now) {
        return core.cells(isEventsV1(obj) ? toCore(obj) : obj, now);
      }
    };
  }

  static boolean isEventsV1(JsonNode obj) {
    return API_VERSION.equals(obj.path("apiVersion").asString(""));
  }
}
