package io.nauta.core.validation;

import io.nauta.core.errors.FieldError;
import java.util.List;
import java.util.stream.Collectors;

/** A field limited to a fixed set of values, reported as Kubernetes' {@code NotSupported}. */
final class EnumValidation {

  private EnumValidation() {}

  /**
   * Checks {@code value} against {@code allowed}. A null or empty value passes: every enum field
   * Nauta validates has a default that the server fills in before validation.
   */
  static List<FieldError> oneOf(String field, String value, List<String> allowed) {
    if (value == null || value.isEmpty() || allowed.contains(value)) {
      return List.of();
    }
    return List.of(FieldError.notSupported(field, value, supported(allowed)));
  }

  /** {@code supported values: "A", "B"}, as Kubernetes' {@code field.NotSupported} words it. */
  static String supported(List<String> allowed) {
    return "supported values: "
        + allowed.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(", "));
  }
}
