package io.nauta.api.admission;

import io.nauta.core.errors.FieldError;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Events: the core rules (the model's validator) hold for every write; a write sent to {@code
 * events.k8s.io/v1} is also held to that API's stricter ones, as upstream's ValidateEventCreate and
 * ValidateEventUpdate choose by the request's version. Paths name the stored core Event's fields,
 * as upstream's do (they validate the internal Event).
 */
final class EventStrategy implements ResourceStrategy {

  static final String EVENTS_V1 = BuiltInResources.EVENTS_V1.apiVersion();

  /** What an events.k8s.io/v1 update may not change, by core field (and path) name. */
  private static final List<String> IMMUTABLE =
      List.of(
          "involvedObject",
          "reason",
          "message",
          "source",
          "firstTimestamp",
          "lastTimestamp",
          "count",
          "type",
          "eventTime",
          "action",
          "related",
          "reportingController",
          "reportingInstance");

  private final boolean strict;

  EventStrategy() {
    this(false);
  }

  private EventStrategy(boolean strict) {
    this.strict = strict;
  }

  @Override
  public ResourceType type() {
    return BuiltInResources.EVENTS;
  }

  @Override
  public ResourceStrategy forServedVersion(String version) {
    return EVENTS_V1.equals(version) ? new EventStrategy(true) : this;
  }

  @Override
  public List<FieldError> validate(ObjectNode obj, ObjectNode old) {
    if (!strict) {
      return List.of();
    }
    return old == null ? validateCreate(obj) : validateUpdate(obj, old);
  }

  private static List<FieldError> validateCreate(ObjectNode obj) {
    List<FieldError> errs = new ArrayList<>(validateSeries(obj));
    if (value(obj, "eventTime").isMissingNode()) {
      errs.add(FieldError.required("eventTime", ""));
    }
    String type = obj.path("type").asString("");
    if (!type.equals("Normal") && !type.equals("Warning")) {
      errs.add(FieldError.invalid("type", "", "has invalid value: " + type));
    }
    for (String f : List.of("firstTimestamp", "lastTimestamp")) {
      if (!value(obj, f).isMissingNode()) {
        errs.add(FieldError.invalid(f, "", "needs to be unset"));
      }
    }
    if (obj.path("count").asInt(0) != 0) {
      errs.add(FieldError.invalid("count", "", "needs to be unset"));
    }
    JsonNode source = obj.path("source");
    if (!source.path("component").asString("").isEmpty()
        || !source.path("host").asString("").isEmpty()) {
      errs.add(FieldError.invalid("source", "", "needs to be unset"));
    }
    return errs;
  }

  private static List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    List<FieldError> errs = new ArrayList<>();
    if (!value(obj, "series").equals(value(old, "series"))) {
      errs.addAll(validateSeries(obj));
    }
    for (String path : IMMUTABLE) {
      String field = path.equals("reportingController") ? "reportingComponent" : path;
      JsonNode now = value(obj, field);
      if (!now.equals(value(old, field))) {
        errs.add(FieldError.immutable(path, now.isMissingNode() ? "" : now));
      }
    }
    return errs;
  }

  private static List<FieldError> validateSeries(ObjectNode obj) {
    if (!(obj.get("series") instanceof ObjectNode series)) {
      return List.of();
    }
    List<FieldError> errs = new ArrayList<>();
    if (series.path("count").asInt(0) < 2) {
      errs.add(FieldError.invalid("series.count", "", "should be at least 2"));
    }
    if (value(series, "lastObservedTime").isMissingNode()) {
      errs.add(FieldError.required("series.lastObservedTime", ""));
    }
    return errs;
  }

  /**
   * A field as Go's typed Event holds it: absent, null and the zero value are one; a count of 0 is
   * no count.
   */
  private static JsonNode value(ObjectNode obj, String field) {
    JsonNode v = obj.path(field);
    if (v.isNull()
        || (v.isString() && v.asString().isEmpty())
        || (v.isObject() && v.isEmpty())
        || (field.equals("count") && v.isNumber() && v.asInt() == 0)) {
      return MissingNode.getInstance();
    }
    return field.equals("count") && v.isNumber() ? IntNode.valueOf(v.asInt()) : v;
  }
}
