package io.nauta.api.storage.encryption;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Durations as Go writes and reads them ({@code time.ParseDuration}, {@code Duration.String}): the
 * form of the file's {@code kms.timeout} and of Kubernetes' message about it.
 */
final class GoDuration {

  private static final Map<String, Long> UNITS =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "\u00b5s", 1_000L,
          "\u03bcs", 1_000L,
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);

  private GoDuration() {}

  /**
   * Nanoseconds of a duration such as {@code 3s}, {@code -1.5m} or {@code 1h30m}.
   *
   * @throws IllegalArgumentException with Go's message when the text is not one
   */
  static long parse(String text) {
    String s = text;
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw invalid(text);
    }
    BigDecimal total = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      String number = s.substring(start, i);
      if (number.isEmpty()
          || number.equals(".")
          || number.indexOf('.') != number.lastIndexOf('.')) {
        throw invalid(text);
      }
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      String unit = s.substring(unitStart, i);
      if (unit.isEmpty()) {
        throw new IllegalArgumentException("time: missing unit in duration " + quoted(text));
      }
      Long nanos = UNITS.get(unit);
      if (nanos == null) {
        throw new IllegalArgumentException(
            "time: unknown unit " + quoted(unit) + " in duration " + quoted(text));
      }
      String digits = number.endsWith(".") ? number + "0" : number;
      digits = digits.startsWith(".") ? "0" + digits : digits;
      total = total.add(new BigDecimal(digits).multiply(BigDecimal.valueOf(nanos)));
    }
    try {
      long value = total.setScale(0, java.math.RoundingMode.DOWN).longValueExact();
      return negative ? -value : value;
    } catch (ArithmeticException e) {
      throw invalid(text);
    }
  }

  /** As Go's {@code Duration.String}: {@code 0s}, {@code 1.5µs}, {@code 500ms}, {@code 1h0m0s}. */
  static String format(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    String sign = nanos < 0 ? "-" : "";
    BigDecimal u = BigDecimal.valueOf(nanos).abs();
    long abs = u.longValue();
    if (u.compareTo(BigDecimal.valueOf(1_000_000_000L)) < 0) {
      if (abs < 1_000) {
        return sign + abs + "ns";
      }
      if (abs < 1_000_000) {
        return sign + fraction(abs, 1_000) + "\u00b5s";
      }
      return sign + fraction(abs, 1_000_000) + "ms";
    }
    long hours = abs / 3_600_000_000_000L;
    long minutes = (abs / 60_000_000_000L) % 60;
    String seconds = fraction(abs % 60_000_000_000L, 1_000_000_000L) + "s";
    if (hours > 0) {
      return sign + hours + "h" + minutes + "m" + seconds;
    }
    if (minutes > 0) {
      return sign + minutes + "m" + seconds;
    }
    return sign + seconds;
  }

  /** {@code value / unit} in decimal, without trailing zeros. */
  private static String fraction(long value, long unit) {
    return BigDecimal.valueOf(value)
        .divide(BigDecimal.valueOf(unit))
        .stripTrailingZeros()
        .toPlainString();
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("time: invalid duration " + quoted(text));
  }

  private static String quoted(String s) {
    return "\"" + s + "\"";
  }
}
