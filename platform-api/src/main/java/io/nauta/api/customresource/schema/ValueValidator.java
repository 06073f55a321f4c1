package io.nauta.api.customresource.schema;

import io.nauta.core.errors.FieldError;
import io.nauta.core.patch.JsonValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * Kubernetes' OpenAPI value validation of a custom resource: a port of the part of kube-openapi's
 * {@code validate.SchemaValidator} that a structural schema can reach (type, nullable, enum,
 * formats, number bounds, multipleOf, string lengths and pattern, item and property counts,
 * required, additionalProperties, allOf/anyOf/oneOf/not), with its messages, converted to field
 * errors as apiextensions' {@code kubeOpenAPIResultToFieldErrors} does. kube-openapi names fields
 * {@code spec.a.b[0]}, also under additionalProperties ({@code spec.labels.key}).
 */
final class ValueValidator {
  private ValueValidator() {}

  private static final String IN = "body";

  /** kube-openapi's error codes that change how an error becomes a field error. */
  private enum Code {
    REQUIRED,
    ENUM,
    TOO_LONG,
    MAX_ITEMS,
    TOO_MANY_PROPERTIES,
    INVALID_TYPE,
    OTHER
  }

  /**
   * One kube-openapi error; {@code validation} false for its plain (non-{@code Validation}) errors,
   * such as "must validate at least one schema (anyOf)", which upstream reports without a field
   * ({@code <nil>}).
   */
  private record Err(
      boolean validation, Code code, String name, Object value, String message, long max) {}

  /**
   * kube-openapi's {@code Result}: errors (deduplicated by text) and a match count. Most results
   * are empty, so the list is made on the first error.
   */
  private static final class Result {
    private static final List<Err> NONE = List.of();
    List<Err> errors = NONE;
    int matchCount;

    void add(Err e) {
      for (Err seen : errors) {
        if (seen.message.equals(e.message)) {
          return;
        }
      }
      if (errors == NONE) {
        errors = new ArrayList<>(2);
      }
      errors.add(e);
    }

    void merge(Result other) {
      if (other != null) {
        other.errors.forEach(this::add);
        matchCount += other.matchCount;
      }
    }

    boolean valid() {
      return errors.isEmpty();
    }
  }

  /**
   * Validates {@code data} against {@code schema}; {@code prefix} is the field path errors hang
   * under (null: none, as for a whole object).
   */
  static List<FieldError> validate(Schema schema, JsonNode data, String prefix) {
    Result r = check(schema, data, "");
    List<FieldError> out = new ArrayList<>(r.errors.size());
    for (Err e : r.errors) {
      out.add(toFieldError(e, prefix));
    }
    return out;
  }

  private static FieldError toFieldError(Err e, String prefix) {
    String nil = prefix == null ? "<nil>" : prefix;
    if (!e.validation) {
      return FieldError.invalid(nil, "", e.message);
    }
    String path = nil;
    if (!e.name.isEmpty() && !e.name.equals(".")) {
      String name = e.name.startsWith(".") ? e.name.substring(1) : e.name;
      path = prefix == null ? name : Paths.child(prefix, name);
    }
    Object value = e.value == null ? "" : e.value;
    return switch (e.code) {
      case REQUIRED -> FieldError.required(path, "");
      case ENUM -> FieldError.notSupported(path, e.value, e.message);
      case TOO_LONG ->
          new FieldError(
              FieldError.Type.TOO_LONG,
              path,
              null,
              "may not be more than " + e.max + (e.max == 1 ? " byte" : " bytes"));
      case MAX_ITEMS, TOO_MANY_PROPERTIES ->
          new FieldError(
              FieldError.Type.TOO_MANY,
              path,
              e.value,
              "must have at most " + e.max + (e.max == 1 ? " item" : " items"));
      case INVALID_TYPE -> new FieldError(FieldError.Type.TYPE_INVALID, path, value, e.message);
      case OTHER -> FieldError.invalid(path, value, e.message);
    };
  }

  private static Result check(Schema s, JsonNode data, String path) {
    Result result = new Result();
    if (data == null || data.isNull() || data.isMissingNode()) {
      typeCheck(s, null, path, result);
      enumCheck(s, null, path, result);
      return result;
    }
    // kube-openapi's validators, in its order; each one that applies counts as a match.
    if (!s.types().isEmpty() || !s.effectiveFormat().isEmpty()) {
      typeCheck(s, data, path, result);
      result.matchCount++;
    }
    junctors(s, data, path, result);
    result.matchCount++;
    if (data.isString()) {
      stringCheck(s, data.asString(), path, result);
      result.matchCount++;
      String format = s.effectiveFormat();
      if (!format.isEmpty() && Formats.known(format)) {
        formatCheck(format, data.asString(), path, result);
        result.matchCount++;
      }
    }
    if (data.isNumber()) {
      numberCheck(s, data, path, result);
      result.matchCount++;
    }
    if (data.isArray()) {
      sliceCheck(s, data, path, result);
      result.matchCount++;
    }
    enumCheck(s, data, path, result);
    result.matchCount++;
    if (data.isObject()) {
      objectCheck(s, data, path, result);
      result.matchCount++;
    }
    result.matchCount++;
    return result;
  }

  /** apiextensions strips formats it does not support, per type; what remains is checked. */
  static String effectiveFormatOf(Schema s) {
    if (s.format.isEmpty()) {
      return "";
    }
    List<String> types = s.types();
    String type = types.size() == 1 ? types.get(0) : "";
    return switch (type) {
      case "", "string" -> Formats.known(s.format) ? s.format : "";
      case "integer" -> s.format.equals("int32") || s.format.equals("int64") ? s.format : "";
      case "number" -> s.format.equals("float") || s.format.equals("double") ? s.format : "";
      default -> "";
    };
  }

  private static boolean isInteger(JsonNode n) {
    return n.isIntegralNumber() && n.canConvertToLong();
  }

  private static boolean isJsonInteger(double d) {
    return d == Math.rint(d) && Math.abs(d) < 9007199254740992d;
  }

  private static Err invalidType(String path, String typeName, Object value) {
    String msg =
        value instanceof String str
            ? path + " in " + IN + " must be of type " + typeName + ": " + GoText.quote(str)
            : path + " in " + IN + " must be of type " + typeName;
    return new Err(true, Code.INVALID_TYPE, path, value, msg, 0);
  }

  private static void typeCheck(Schema s, JsonNode data, String path, Result r) {
    List<String> types = s.types();
    if (data == null) {
      if (!types.isEmpty() && !types.contains("null") && !s.nullable) {
        r.add(invalidType(path, String.join(",", types), "null"));
      }
      return;
    }
    String schType;
    String format = "";
    if (data.isString()) {
      schType = "string";
    } else if (data.isBoolean()) {
      schType = "boolean";
    } else if (isInteger(data)) {
      schType = "integer";
      format = "int64";
    } else if (data.isNumber()) {
      schType = "number";
      format = "float64";
    } else if (data.isArray()) {
      schType = "array";
    } else {
      schType = "object";
    }
    String tFormat = s.effectiveFormat();
    boolean isFloatInt =
        schType.equals("number") && isJsonInteger(data.doubleValue()) && types.contains("integer");
    boolean isIntFloat = schType.equals("integer") && types.contains("number");
    boolean stringOrSlice = data.isString() || data.isArray();
    if (!stringOrSlice
        && !tFormat.isEmpty()
        && !(types.contains(schType) || format.equals(tFormat) || isFloatInt || isIntFloat)) {
      r.add(invalidType(path, tFormat, format));
      return;
    }
    if (!(types.contains("number") || types.contains("integer"))
        && !tFormat.isEmpty()
        && stringOrSlice) {
      return;
    }
    if (!(types.contains(schType) || isFloatInt || isIntFloat)) {
      r.add(invalidType(path, String.join(",", types), schType));
    }
  }

  private static void junctors(Schema s, JsonNode data, String path, Result r) {
    if (!s.anyOf.isEmpty()) {
      Result best = null;
      Result firstSuccess = null;
      boolean succeeded = false;
      for (Schema alt : s.anyOf) {
        Result sub = check(alt, data, path);
        if (sub.valid()) {
          best = null;
          succeeded = true;
          firstSuccess = sub;
          break;
        }
        if (best == null || sub.matchCount > best.matchCount) {
          best = sub;
        }
      }
      if (!succeeded) {
        r.add(
            new Err(
                false,
                Code.OTHER,
                path,
                null,
                GoText.quote(path) + " must validate at least one schema (anyOf)",
                0));
      }
      r.merge(best != null ? best : firstSuccess);
    }
    if (!s.oneOf.isEmpty()) {
      Result best = null;
      Result firstSuccess = null;
      int validated = 0;
      for (Schema alt : s.oneOf) {
        Result sub = check(alt, data, path);
        if (sub.valid()) {
          validated++;
          best = null;
          if (firstSuccess == null) {
            firstSuccess = sub;
          }
          continue;
        }
        if (validated == 0 && (best == null || sub.matchCount > best.matchCount)) {
          best = sub;
        }
      }
      if (validated != 1) {
        String more =
            validated == 0 ? "Found none valid" : "Found " + validated + " valid alternatives";
        r.add(
            new Err(
                false,
                Code.OTHER,
                path,
                null,
                GoText.quote(path) + " must validate one and only one schema (oneOf). " + more,
                0));
        r.merge(best);
      } else {
        r.merge(firstSuccess);
      }
    }
    if (!s.allOf.isEmpty()) {
      int validated = 0;
      for (Schema part : s.allOf) {
        Result sub = check(part, data, path);
        if (sub.valid()) {
          validated++;
        }
        r.merge(sub);
      }
      if (validated != s.allOf.size()) {
        r.add(
            new Err(
                false,
                Code.OTHER,
                path,
                null,
                GoText.quote(path)
                    + " must validate all the schemas (allOf)"
                    + (validated == 0 ? ". None validated" : ""),
                0));
      }
    }
    if (s.not != null && check(s.not, data, path).valid()) {
      r.add(
          new Err(
              false,
              Code.OTHER,
              path,
              null,
              GoText.quote(path) + " must not validate the schema (not)",
              0));
    }
  }

  private static void stringCheck(Schema s, String data, String path, Result r) {
    long length = data.codePointCount(0, data.length());
    if (s.maxLength != null && length > s.maxLength) {
      r.add(
          new Err(
              true,
              Code.TOO_LONG,
              path,
              data,
              path + " in " + IN + " should be at most " + s.maxLength + " chars long",
              s.maxLength));
      return;
    }
    if (s.minLength != null && length < s.minLength) {
      r.add(
          new Err(
              true,
              Code.OTHER,
              path,
              data,
              path + " in " + IN + " should be at least " + s.minLength + " chars long",
              0));
      return;
    }
    if (!s.pattern.isEmpty() && !Patterns.get(s.pattern).matcher(data).find()) {
      r.add(
          new Err(
              true,
              Code.OTHER,
              path,
              data,
              path + " in " + IN + " should match '" + s.pattern + "'",
              0));
    }
  }

  private static void formatCheck(String format, String data, String path, Result r) {
    if (!Formats.valid(format, data)) {
      r.add(invalidType(path, format, data));
    }
  }

  private static void numberCheck(Schema s, JsonNode data, String path, Result r) {
    List<String> types = s.types();
    String typeName = "";
    String format = "";
    if (types.size() == 1 && types.get(0).equals("integer")) {
      typeName = "integer";
      format = s.format.equals("int32") || s.format.equals("int64") ? s.format : "";
    } else if (types.size() == 1 && types.get(0).equals("number")) {
      typeName = "number";
      format = s.format.equals("float") || s.format.equals("double") ? s.format : "";
    }
    Object value = GoText.badValue(data);
    String range = rangeError(data, typeName, format, "Checked", path);
    if (range != null) {
      r.add(new Err(false, Code.OTHER, path, null, range, 0));
    }
    double d = data.doubleValue();
    if (s.multipleOf != null) {
      double factor = s.multipleOf;
      boolean bad;
      if (factor <= 0) {
        r.add(
            new Err(
                false,
                Code.OTHER,
                path,
                null,
                "factor MultipleOf declared for "
                    + path
                    + " must be positive: "
                    + GoText.number(factor),
                0));
        bad = false;
      } else if (isInteger(data) && isJsonInteger(factor)) {
        bad = data.longValue() % (long) factor != 0;
      } else {
        double mult = factor < 1 ? 1 / factor * d : d / factor;
        bad = !isJsonInteger(mult);
      }
      if (bad) {
        r.add(
            new Err(
                true,
                Code.OTHER,
                path,
                value,
                path + " in " + IN + " should be a multiple of " + bound(data, factor),
                0));
      }
    }
    if (s.minimum != null && (s.exclusiveMinimum ? d <= s.minimum : d < s.minimum)) {
      r.add(
          outOfBounds(
              path,
              value,
              s.exclusiveMinimum
                  ? " should be greater than "
                  : " should be greater than or equal to ",
              bound(data, s.minimum)));
    }
    if (s.maximum != null && (s.exclusiveMaximum ? d >= s.maximum : d > s.maximum)) {
      r.add(
          outOfBounds(
              path,
              value,
              s.exclusiveMaximum ? " should be less than " : " should be less than or equal to ",
              bound(data, s.maximum)));
    }
  }

  private static Err outOfBounds(String path, Object value, String relation, String bound) {
    return new Err(true, Code.OTHER, path, value, path + " in " + IN + relation + bound, 0);
  }

  /**
   * A bound as kube-openapi prints it: as an int64 when it compares with an integer value ({@code
   * MaximumNativeType}), else as a float64 ({@code %v}: 1e+06).
   */
  private static String bound(JsonNode data, double bound) {
    return isInteger(data) && isJsonInteger(bound)
        ? Long.toString((long) bound)
        : GoText.number(bound);
  }

  /** kube-openapi's {@code IsValueValidAgainstRange}: does the value fit the type and format? */
  private static String rangeError(
      JsonNode data, String typeName, String format, String prefix, String path) {
    boolean ok = true;
    if (typeName.equals("integer")) {
      // Go prints the value with 'f' and parses it as an integer of the format's size.
      java.math.BigDecimal v =
          isInteger(data)
              ? new java.math.BigDecimal(data.bigIntegerValue())
              : GoText.shortest(data.doubleValue());
      boolean int32 = format.equals("int32");
      ok =
          v.stripTrailingZeros().scale() <= 0
              && v.compareTo(
                      java.math.BigDecimal.valueOf(int32 ? Integer.MIN_VALUE : Long.MIN_VALUE))
                  >= 0
              && v.compareTo(
                      java.math.BigDecimal.valueOf(int32 ? Integer.MAX_VALUE : Long.MAX_VALUE))
                  <= 0;
    } else if (format.equals("float")) {
      ok = Math.abs(data.doubleValue()) <= Float.MAX_VALUE;
    }
    if (ok) {
      return null;
    }
    return format.isEmpty()
        ? prefix + " value must be of type " + typeName + " (default format) in " + path
        : prefix + " value must be of type " + typeName + " with format " + format + " in " + path;
  }

  private static void sliceCheck(Schema s, JsonNode data, String path, Result r) {
    int size = data.size();
    if (s.items != null) {
      for (int i = 0; i < size; i++) {
        r.merge(check(s.items, data.get(i), path + "[" + i + "]"));
      }
    }
    if (s.minItems != null && size < s.minItems) {
      r.add(
          new Err(
              true,
              Code.OTHER,
              path,
              (long) size,
              path + " in " + IN + " should have at least " + s.minItems + " items",
              0));
    }
    if (s.maxItems != null && size > s.maxItems) {
      r.add(
          new Err(
              true,
              Code.MAX_ITEMS,
              path,
              (long) size,
              path + " in " + IN + " should have at most " + s.maxItems + " items",
              s.maxItems));
    }
    if (s.uniqueItems && !unique(data)) {
      r.add(
          new Err(
              true,
              Code.OTHER,
              path,
              null,
              path + " in " + IN + " shouldn't contain duplicates",
              0));
    }
    r.matchCount++;
  }

  private static boolean unique(JsonNode array) {
    Set<String> seen = new java.util.HashSet<>();
    for (JsonNode item : array.values()) {
      if (!seen.add(GoText.json(item))) {
        return false;
      }
    }
    return true;
  }

  private static void enumCheck(Schema s, JsonNode data, String path, Result r) {
    if (s.enumValues == null || s.enumValues.isEmpty()) {
      return;
    }
    if (data != null) {
      for (JsonNode allowed : s.enumValues) {
        // reflect.DeepEqual after converting the value to the entry's type: numbers by value.
        if (JsonValues.equal(allowed, data)) {
          return;
        }
      }
    }
    String detail =
        "supported values: "
            + s.enumValues.stream()
                .map(v -> GoText.quote(v.isString() ? v.asString() : GoText.json(v)))
                .collect(Collectors.joining(", "));
    r.add(new Err(true, Code.ENUM, path, data == null ? null : GoText.badValue(data), detail, 0));
  }

  private static void objectCheck(Schema s, JsonNode data, String path, Result r) {
    long keys = data.size();
    if (s.minProperties != null && keys < s.minProperties) {
      r.add(
          new Err(
              true,
              Code.OTHER,
              path,
              keys,
              path + " in " + IN + " should have at least " + s.minProperties + " properties",
              0));
    }
    if (s.maxProperties != null && keys > s.maxProperties) {
      r.add(
          new Err(
              true,
              Code.TOO_MANY_PROPERTIES,
              path,
              keys,
              path + " in " + IN + " should have at most " + s.maxProperties + " properties",
              s.maxProperties));
    }
    Map<String, Schema> props = s.properties == null ? Map.of() : s.properties;
    if (s.hasAdditionalProperties && !s.additionalPropertiesAllows) {
      for (Map.Entry<String, JsonNode> e : data.properties()) {
        if (!props.containsKey(e.getKey())) {
          r.add(
              new Err(
                  true,
                  Code.OTHER,
                  path,
                  null,
                  path + "." + e.getKey() + " in " + IN + " is a forbidden property",
                  0));
        }
      }
    } else if (s.additionalProperties != null) {
      for (Map.Entry<String, JsonNode> e : data.properties()) {
        if (!props.containsKey(e.getKey())) {
          r.merge(check(s.additionalProperties, e.getValue(), path + "." + e.getKey()));
        }
      }
    }
    for (Map.Entry<String, Schema> p : props.entrySet()) {
      JsonNode v = data.get(p.getKey());
      if (v != null) {
        String name = path.isEmpty() ? p.getKey() : path + "." + p.getKey();
        r.merge(check(p.getValue(), v, name));
      }
    }
    for (String k : s.required) {
      if (!data.has(k)) {
        r.add(
            new Err(
                true,
                Code.REQUIRED,
                path + "." + k,
                null,
                path + "." + k + " in " + IN + " is required",
                0));
      }
    }
  }
}
