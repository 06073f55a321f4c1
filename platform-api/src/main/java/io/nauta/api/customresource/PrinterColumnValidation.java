package io.nauta.api.customresource;

import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * Kubernetes' checks of {@code additionalPrinterColumns} ({@code
 * ValidateCustomResourceColumnDefinition}), with its paths: like upstream, which converts a v1 CRD
 * whose versions all have the same columns into one top-level list before validating, errors then
 * name {@code spec.additionalPrinterColumns[i]}, otherwise {@code
 * spec.versions[v].additionalPrinterColumns[i]}; the path field is Go's {@code JSONPath}.
 */
final class PrinterColumnValidation {

  static final String TYPES = "boolean,date,integer,number,string";
  static final String FORMATS = "byte,date,date-time,double,float,int32,int64,password";

  private PrinterColumnValidation() {}

  /** The columns' errors of a version; empty when all versions share them (see {@link #shared}). */
  static List<FieldError> ofVersion(Definition d, int version) {
    if (identical(d)) {
      return List.of();
    }
    return columns(
        d.versions().get(version).columns(),
        "spec.versions[" + version + "].additionalPrinterColumns");
  }

  /** The errors of the columns every version shares, checked once at the top level. */
  static List<FieldError> shared(Definition d) {
    if (d.versions().isEmpty() || !identical(d)) {
      return List.of();
    }
    return columns(d.versions().get(0).columns(), "spec.additionalPrinterColumns");
  }

  private static boolean identical(Definition d) {
    List<List<Object>> first = d.versions().isEmpty() ? null : key(d.versions().get(0).columns());
    return d.versions().stream().allMatch(v -> Objects.equals(key(v.columns()), first));
  }

  /** The columns as Go compares them (absent and empty alike, zero values omitted or not). */
  private static List<List<Object>> key(JsonNode columns) {
    List<List<Object>> out = new ArrayList<>();
    if (columns != null) {
      for (JsonNode c : columns) {
        out.add(
            List.of(
                c.path("name").asString(""),
                c.path("type").asString(""),
                c.path("format").asString(""),
                c.path("description").asString(""),
                c.path("priority").asInt(0),
                c.path("jsonPath").asString("")));
      }
    }
    return out;
  }

  private static List<FieldError> columns(JsonNode columns, String path) {
    List<FieldError> errors = new ArrayList<>();
    if (columns == null) {
      return errors;
    }
    for (int i = 0; i < columns.size(); i++) {
      errors.addAll(column(columns.get(i), path + "[" + i + "]"));
    }
    return errors;
  }

  private static List<FieldError> column(JsonNode col, String path) {
    List<FieldError> errors = new ArrayList<>();
    String name = col.path("name").asString("");
    String type = col.path("type").asString("");
    String format = col.path("format").asString("");
    String jsonPath = col.path("jsonPath").asString("");
    if (name.isEmpty()) {
      errors.add(FieldError.required(path + ".name", ""));
    }
    if (type.isEmpty()) {
      errors.add(FieldError.required(path + ".type", "must be one of " + TYPES));
    } else if (!List.of(TYPES.split(",")).contains(type)) {
      errors.add(FieldError.invalid(path + ".type", type, "must be one of " + TYPES));
    }
    if (!format.isEmpty() && !List.of(FORMATS.split(",")).contains(format)) {
      errors.add(FieldError.invalid(path + ".format", format, "must be one of " + FORMATS));
    }
    String pathField = path + ".JSONPath";
    if (jsonPath.isEmpty()) {
      errors.add(FieldError.required(pathField, ""));
    } else if (jsonPath.charAt(0) != '.') {
      errors.add(
          FieldError.invalid(pathField, jsonPath, "must be a simple json path starting with ."));
    }
    return errors;
  }
}
