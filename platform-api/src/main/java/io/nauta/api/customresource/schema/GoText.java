package io.nauta.api.customresource.schema;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Prints values the way Kubernetes' Go code prints them in error messages, so that our messages
 * equal upstream's: {@code %v} of a float64 ({@code 2}, {@code 1.5}, {@code 1e+21}), {@code %q} of
 * a string, and {@code json.Marshal} of a map (keys sorted) for a field error's bad value.
 */
public final class GoText {
  private GoText() {}

  /** A value whose {@code toString} is already the text Go prints for it. */
  record Printed(String text) {
    @Override
    public String toString() {
      return text;
    }
  }

  /**
   * The bad value of a field error as Go's {@code field.Error} prints it: strings quoted (by
   * FieldError), integers and booleans plain, floats as {@code %v}, objects and lists as JSON.
   */
  static Object badValue(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return null;
    }
    if (v.isString()) {
      return v.asString();
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return v.longValue();
    }
    if (v.isNumber()) {
      return new Printed(number(v.doubleValue()));
    }
    return new Printed(json(v));
  }

  /**
   * strconv's {@code %g} with the shortest precision switches to an exponent from 1e+06 on (Go
   * prints a million as {@code 1e+06}); encoding/json's cutoff, 1e21, differs.
   */
  private static final int GO_G_EXPONENT_LIMIT = 6;

  /** Go's {@code %v} of a float64: shortest digits, exponent below 1e-4 and from 1e+06. */
  static String number(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "+Inf" : "-Inf";
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0" : "0";
    }
    BigDecimal b = shortest(d);
    int exp = b.precision() - b.scale() - 1;
    if (exp < -4 || exp >= GO_G_EXPONENT_LIMIT) {
      String digits = b.unscaledValue().abs().toString();
      StringBuilder s = new StringBuilder(d < 0 ? "-" : "");
      s.append(digits.charAt(0));
      if (digits.length() > 1) {
        s.append('.').append(digits, 1, digits.length());
      }
      s.append('e').append(exp < 0 ? '-' : '+');
      int a = Math.abs(exp);
      if (a < 10) {
        s.append('0');
      }
      return s.append(a).toString();
    }
    return b.toPlainString();
  }

  /**
   * The fewest significant digits that read back as {@code d}, as Go's shortest formatting finds
   * them (Java 17's {@code Double.toString} is not always the shortest).
   */
  static BigDecimal shortest(double d) {
    BigDecimal exact = new BigDecimal(d);
    for (int digits = 1; digits < 17; digits++) {
      BigDecimal candidate =
          exact.round(new java.math.MathContext(digits, java.math.RoundingMode.HALF_EVEN));
      if (candidate.doubleValue() == d) {
        return candidate.stripTrailingZeros();
      }
    }
    return exact
        .round(new java.math.MathContext(17, java.math.RoundingMode.HALF_EVEN))
        .stripTrailingZeros();
  }

  /** A number from JSON as Go prints it: integers plainly, others as float64 {@code %v}. */
  public static String number(JsonNode v) {
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return Long.toString(v.longValue());
    }
    return number(v.doubleValue());
  }

  /** Go's {@code %q}: double quotes, with Go's escapes. */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    s.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                case 7 -> b.append("\\a");
                case 8 -> b.append("\\b");
                case 12 -> b.append("\\f");
                case 11 -> b.append("\\v");
                default -> {
                  if (c < 0x20 || c == 0x7f) {
                    b.append(String.format("\\x%02x", c));
                  } else {
                    b.appendCodePoint(c);
                  }
                }
              }
            });
    return b.append('"').toString();
  }

  /** Go's {@code json.Marshal} of a decoded JSON value: map keys sorted, HTML-safe escapes off. */
  public static String json(JsonNode v) {
    StringBuilder b = new StringBuilder();
    writeJson(v, b);
    return b.toString();
  }

  private static void writeJson(JsonNode v, StringBuilder b) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      b.append("null");
    } else if (v.isObject()) {
      List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(v.properties());
      entries.sort(Map.Entry.comparingByKey());
      b.append('{');
      for (int i = 0; i < entries.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        b.append(jsonString(entries.get(i).getKey())).append(':');
        writeJson(entries.get(i).getValue(), b);
      }
      b.append('}');
    } else if (v.isArray()) {
      b.append('[');
      for (int i = 0; i < v.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        writeJson(v.get(i), b);
      }
      b.append(']');
    } else if (v.isString()) {
      b.append(jsonString(v.asString()));
    } else if (v.isNumber()) {
      b.append(jsonNumber(v));
    } else {
      b.append(v.asString());
    }
  }

  private static String jsonNumber(JsonNode v) {
    if (v.isIntegralNumber()) {
      return v.bigIntegerValue().toString();
    }
    double d = v.doubleValue();
    double abs = Math.abs(d);
    if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) {
      // Go's encoding/json: 'e' format with a two-digit exponent stripped of its leading zero.
      return number(d).replace("e-0", "e-").replace("e+0", "e+");
    }
    return shortest(d).toPlainString();
  }

  static String jsonString(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '<' -> b.append("\\u003c");
        case '>' -> b.append("\\u003e");
        case '&' -> b.append("\\u0026");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /**
   * Go's {@code strings.TrimSpace}: trims what {@code unicode.IsSpace} calls space (ASCII
   * whitespace, U+0085, and the Unicode separators, U+00A0 among them), unlike {@link
   * String#trim()} (every control character) and {@link String#strip()} (not U+00A0).
   */
  static String trimSpace(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  private static boolean isSpace(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r') || c == '\u0085' || Character.isSpaceChar(c);
  }
}
