package io.nauta.core.validation;

import java.util.List;
import java.util.Objects;

/**
 * A value already rendered as Go's {@code %#v} prints it, which is how Kubernetes shows slices and
 * structs in field errors; a {@link io.nauta.core.errors.FieldError} shows it without quotes.
 */
record GoValue(String text) {

  /** A string as Go quotes it ({@code null} as the empty string). */
  static String quoted(String s) {
    return "\"" + Objects.toString(s, "") + "\"";
  }

  /** A {@code []string}: {@code []string{"a", "b"}}. */
  static GoValue slice(List<String> values) {
    return new GoValue(
        "[]string{" + String.join(", ", values.stream().map(GoValue::quoted).toList()) + "}");
  }

  /**
   * A {@code map[string]string}, keys sorted as Go prints them: {@code map[string]string{"a":"b"}}.
   */
  static GoValue stringMap(java.util.Map<String, String> values) {
    StringBuilder sb = new StringBuilder("map[string]string{");
    new java.util.TreeMap<>(values)
        .forEach(
            (k, v) -> {
              if (sb.charAt(sb.length() - 1) != '{') {
                sb.append(", ");
              }
              sb.append(quoted(k)).append(':').append(quoted(v));
            });
    return new GoValue(sb.append('}').toString());
  }

  @Override
  public String toString() {
    return text;
  }
}
