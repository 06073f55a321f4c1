package io.nauta.api.admission;

import io.nauta.core.errors.BadRequestException;

/**
 * Kubernetes' {@code fieldValidation} query parameter: what happens to fields the kind does not
 * have. {@code Strict} refuses the request (400), {@code Warn} drops them with a {@code Warning}
 * header, {@code Ignore} drops them silently. Kubernetes' default is {@code Warn}.
 */
public enum FieldValidation {
  STRICT,
  WARN,
  IGNORE;

  public static FieldValidation parse(String value) {
    if (value == null || value.isEmpty()) {
      return WARN;
    }
    return switch (value) {
      case "Strict" -> STRICT;
      case "Warn" -> WARN;
      case "Ignore" -> IGNORE;
      default ->
          throw new BadRequestException(
              "fieldValidation: Unsupported value: \""
                  + value
                  + "\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
    };
  }
}
