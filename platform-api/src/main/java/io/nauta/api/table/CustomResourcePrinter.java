package io.nauta.api.table;

import io.nauta.api.customresource.schema.GoText;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The columns of one custom resource version, as apiextensions' table convertor prints them: Name,
 * then the version's {@code additionalPrinterColumns} in order, each a JSONPath evaluated against
 * the object; a version without columns gets one {@code Age} column (upstream's logical default), a
 * version with columns gets no implicit Age.
 */
public final class CustomResourcePrinter implements TablePrinter {

  static final String AGE_PATH = ".metadata.creationTimestamp";

  /** Go's zero {@code time.Time}: metav1.Time's "not set", printed as {@code <unknown>}. */
  private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

  /** One column with its parsed path. */
  private record PathColumn(Column column, JsonPath path) {}

  private final List<Column> columns;
  private final List<PathColumn> paths;

  private CustomResourcePrinter(List<PathColumn> paths) {
    this.paths = paths;
    List<Column> all = new ArrayList<>();
    all.add(Column.objectName());
    paths.forEach(p -> all.add(p.column()));
    this.columns = List.copyOf(all);
  }

  /**
   * @param additionalPrinterColumns the version's {@code additionalPrinterColumns}, or null. As
   *     upstream, a column whose path does not parse ends the list there: it and the columns after
   *     it are left out (validation refuses only some unparseable paths).
   */
  public static CustomResourcePrinter of(JsonNode additionalPrinterColumns) {
    List<PathColumn> out = new ArrayList<>();
    if (additionalPrinterColumns == null || additionalPrinterColumns.isEmpty()) {
      out.add(
          new PathColumn(
              new Column("Age", "date", "", Column.AGE_DOC, 0), JsonPath.parse(AGE_PATH)));
      return new CustomResourcePrinter(out);
    }
    for (JsonNode c : additionalPrinterColumns) {
      String jsonPath = c.path("jsonPath").asString("");
      JsonPath path;
      try {
        path = JsonPath.parse(jsonPath);
      } catch (JsonPath.ParseException e) {
        break;
      }
      String description = c.path("description").asString("");
      out.add(
          new PathColumn(
              new Column(
                  c.path("name").asString(""),
                  c.path("type").asString(""),
                  c.path("format").asString(""),
                  description.isEmpty()
                      ? "Custom resource definition column (in JSONPath format): " + jsonPath
                      : description,
                  c.path("priority").asInt(0)),
              path));
    }
    return new CustomResourcePrinter(out);
  }

  @Override
  public List<Column> columns() {
    return columns;
  }

  @Override
  public List<Object> cells(ObjectNode obj, Instant now) {
    List<Object> cells = new ArrayList<>(columns.size());
    cells.add(Cells.name(obj));
    for (PathColumn p : paths) {
      cells.add(cell(p, obj, now));
    }
    return cells;
  }

  /** The first value the path finds, typed as the column says; null (an empty cell) otherwise. */
  private static Object cell(PathColumn p, ObjectNode obj, Instant now) {
    List<JsonNode> found;
    try {
      found = p.path().find(obj);
    } catch (JsonPath.EvalException e) {
      return null;
    }
    if (found.isEmpty()) {
      return null;
    }
    JsonNode v = found.get(0);
    String type = p.column().type();
    if (type.equals("string")) {
      return text(v);
    }
    if (v.isNull()) {
      return null;
    }
    switch (type) {
      case "integer":
        // Go converts a float64 to int64 by truncation.
        return !v.isNumber()
            ? null
            : v.isIntegralNumber() && v.canConvertToLong()
                ? (Object) v.longValue()
                : (Object) (long) v.doubleValue();
      case "number":
        if (!v.isNumber()) {
          return null;
        }
        // float64 in Go: an integral value goes on the wire as an integer (3, not 3.0).
        double d = v.doubleValue();
        return d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15
            ? (Object) (long) d
            : (Object) d;
      case "boolean":
        return v.isBoolean() ? (Object) v.asBoolean() : null;
      case "date":
        return v.isString() ? age(v.asString(), now) : null;
      default:
        return null;
    }
  }

  /** What jsonpath prints for a value: strings as they are, numbers as Go, containers as JSON. */
  private static String text(JsonNode v) {
    if (v.isString()) {
      return v.asString();
    } else if (v.isNull()) {
      return "<no value>"; // text/template's rendering of a nil interface
    } else if (v.isNumber()) {
      return GoText.number(v);
    } else if (v.isBoolean()) {
      return Boolean.toString(v.asBoolean());
    }
    return GoText.json(v);
  }

  /** metav1.Time's query-parameter parsing, then the age as {@code <age>} prints it. */
  private static String age(String timestamp, Instant now) {
    if (timestamp.isEmpty() || timestamp.equals("null")) {
      return HumanDuration.UNKNOWN;
    }
    try {
      Instant t = OffsetDateTime.parse(timestamp).toInstant();
      return t.equals(GO_ZERO_TIME)
          ? HumanDuration.UNKNOWN
          : HumanDuration.format(Duration.between(t, now));
    } catch (DateTimeParseException e) {
      return "<invalid>";
    }
  }
}
