package io.nauta.api.resource;

import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Kubernetes' two time encodings, decoded and encoded as its Go types do. {@code metav1.Time}
 * parses with Go's {@code time.Parse(time.RFC3339, …)} (any offset, any number of fractional
 * digits) and writes {@code 2006-01-02T15:04:05Z} in UTC, fractions dropped; {@code
 * metav1.MicroTime} writes UTC with exactly six fractional digits. A zero time is written {@code
 * null}. A value Go would refuse is refused with Go's {@code time.ParseError} message, which
 * Kubernetes passes on in its 400.
 *
 * <p>The parse follows Go's general parser element by element, so that the message names the same
 * part of the value as Go's ({@code cannot parse "x" as "2006"}, {@code month out of range}).
 */
final class GoTime {

  /** Go's {@code time.RFC3339}, the layout {@code metav1.Time} parses with. */
  static final String RFC3339 = "2006-01-02T15:04:05Z07:00";

  /** Kubernetes' {@code RFC3339Micro}, the layout {@code metav1.MicroTime} parses with. */
  static final String RFC3339_MICRO = "2006-01-02T15:04:05.000000Z07:00";

  /** {@code 0001-01-01T00:00:00Z}, Go's zero time, which both types write as {@code null}. */
  private static final long ZERO_SECONDS = -62135596800L;

  /** A value Go refuses, with Go's message. */
  static final class Unparsable extends Exception {
    Unparsable(String message) {
      super(message, null, false, false);
    }
  }

  private enum Std {
    YEAR("2006"),
    MONTH("01"),
    DAY("02"),
    HOUR("15"),
    MINUTE("04"),
    SECOND("05"),
    FRACTION(".000000"),
    ZONE("Z07:00"),
    END("");

    final String layout;

    Std(String layout) {
      this.layout = layout;
    }
  }

  /** One element of a layout: the literal text before a value, and the value. */
  private record Element(String prefix, Std std) {}

  private static final List<Element> TIME_LAYOUT =
      List.of(
          new Element("", Std.YEAR),
          new Element("-", Std.MONTH),
          new Element("-", Std.DAY),
          new Element("T", Std.HOUR),
          new Element(":", Std.MINUTE),
          new Element(":", Std.SECOND),
          new Element("", Std.ZONE),
          new Element("", Std.END));

  /** The same with Go's {@code .000000} before the zone: exactly six fractional digits. */
  private static final List<Element> MICRO_LAYOUT = withFraction(TIME_LAYOUT);

  private GoTime() {}

  private static List<Element> withFraction(List<Element> layout) {
    List<Element> out = new ArrayList<>(layout);
    out.add(out.size() - 2, new Element("", Std.FRACTION)); // before the zone and the end
    return List.copyOf(out);
  }

  /** A {@code metav1.Time} as Kubernetes writes it back; {@code null} for the zero time. */
  static String time(String value) throws Unparsable {
    if (isCanonical(value, false)) {
      return value; // what a write almost always carries: nothing to parse or allocate
    }
    long[] t = parse(value, TIME_LAYOUT, RFC3339);
    return isZero(t) ? null : format(t[0], -1);
  }

  /**
   * A {@code metav1.MicroTime} as Kubernetes writes it back; {@code null} for the zero time.
   *
   * <p>Go's layout for it wants exactly six fractional digits; like the proposal upstream
   * (kubernetes#141204) this takes any RFC 3339 time, as {@code metav1.Time} does, and truncates to
   * microseconds: the official Python client sends {@code datetime.isoformat()}, which leaves the
   * fraction out when it is zero, and JavaScript clients send milliseconds. What neither layout
   * takes is refused with the message Go gives for the MicroTime layout.
   */
  static String microTime(String value) throws Unparsable {
    if (isCanonical(value, true)) {
      return value;
    }
    long[] t;
    try {
      t = parse(value, TIME_LAYOUT, RFC3339);
    } catch (Unparsable lenient) {
      parse(value, MICRO_LAYOUT, RFC3339_MICRO); // throws Go's message for this layout
      throw lenient;
    }
    return isZero(t) ? null : format(t[0], (int) (t[1] / 1000));
  }

  /**
   * Whether {@code value} is already as Go writes it ({@code 2006-01-02T15:04:05Z}, with {@code
   * .000000} before the Z for a MicroTime), a valid date and not the zero time: checked in place.
   */
  private static boolean isCanonical(String v, boolean micro) {
    int length = micro ? 27 : 20;
    if (v.length() != length
        || v.charAt(4) != '-'
        || v.charAt(7) != '-'
        || v.charAt(10) != 'T'
        || v.charAt(13) != ':'
        || v.charAt(16) != ':'
        || v.charAt(length - 1) != 'Z'
        || (micro && v.charAt(19) != '.')
        || !allDigits(v, 0, 4)
        || !allDigits(v, 5, 7)
        || !allDigits(v, 8, 10)
        || !allDigits(v, 11, 13)
        || !allDigits(v, 14, 16)
        || !allDigits(v, 17, 19)
        || (micro && !allDigits(v, 20, 26))) {
      return false;
    }
    int year = number(v, 0, 4);
    int month = number(v, 5, 7);
    int day = number(v, 8, 10);
    if (year == 1
        && month == 1
        && day == 1
        && v.startsWith(micro ? "00:00:00.000000" : "00:00:00", 11)) {
      return false; // the zero time, written null
    }
    return month >= 1
        && month <= 12
        && day >= 1
        && day <= YearMonth.of(year, month).lengthOfMonth()
        && number(v, 11, 13) < 24
        && number(v, 14, 16) < 60
        && number(v, 17, 19) < 60;
  }

  private static int number(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      n = n * 10 + (s.charAt(i) - '0');
    }
    return n;
  }

  private static boolean isZero(long[] t) {
    return t[0] == ZERO_SECONDS && t[1] == 0;
  }

  /** {@code yyyy-MM-ddTHH:mm:ss[.SSSSSS]Z} in UTC; {@code micros} -1 for none. */
  private static String format(long epochSecond, int micros) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
    StringBuilder out = new StringBuilder(27);
    int year = t.getYear();
    if (year < 0) {
      out.append('-');
    }
    pad(out, Math.abs(year), 4);
    out.append('-');
    pad(out, t.getMonthValue(), 2);
    out.append('-');
    pad(out, t.getDayOfMonth(), 2);
    out.append('T');
    pad(out, t.getHour(), 2);
    out.append(':');
    pad(out, t.getMinute(), 2);
    out.append(':');
    pad(out, t.getSecond(), 2);
    if (micros >= 0) {
      out.append('.');
      pad(out, micros, 6);
    }
    return out.append('Z').toString();
  }

  private static void pad(StringBuilder out, int n, int width) {
    String digits = Integer.toString(n);
    out.append("0".repeat(Math.max(0, width - digits.length()))).append(digits);
  }

  /**
   * Go's {@code time.parse} for the two layouts: the instant as {@code {epochSecond, nanos}}. Where
   * Go's {@code Parse} first tries a faster RFC 3339 parser, that parser takes a subset of what the
   * general one takes, with the same result, so the general one alone decides.
   */
  private static long[] parse(String value, List<Element> layout, String layoutText)
      throws Unparsable {
    String v = value;
    int year = 0;
    int month = -1;
    int day = -1;
    int hour = 0;
    int minute = 0;
    int second = 0;
    long nanos = 0;
    int offset = 0;
    for (int i = 0; i < layout.size(); i++) {
      Element e = layout.get(i);
      for (int k = 0; k < e.prefix().length(); k++) {
        if (v.isEmpty() || v.charAt(0) != e.prefix().charAt(k)) {
          throw cannotParse(value, layoutText, v, e.prefix());
        }
        v = v.substring(1);
      }
      String hold = v;
      String range = null;
      boolean bad = false;
      switch (e.std()) {
        case END -> {
          if (!v.isEmpty()) {
            throw new Unparsable("parsing time " + quote(value) + ": extra text: " + quote(v));
          }
        }
        case YEAR -> {
          if (v.length() < 4 || !isDigit(v, 0) || !allDigits(v, 0, 4)) {
            bad = true;
          } else {
            year = Integer.parseInt(v.substring(0, 4));
            v = v.substring(4);
          }
        }
        case MONTH, DAY, MINUTE, SECOND, HOUR -> {
          boolean fixed = e.std() != Std.HOUR;
          if (!isDigit(v, 0) || (fixed && !isDigit(v, 1))) {
            bad = true;
            break;
          }
          int n =
              isDigit(v, 1) ? (v.charAt(0) - '0') * 10 + (v.charAt(1) - '0') : v.charAt(0) - '0';
          v = v.substring(isDigit(v, 1) ? 2 : 1);
          switch (e.std()) {
            case MONTH -> {
              month = n;
              range = n <= 0 || n > 12 ? "month" : null;
            }
            case DAY -> day = n;
            case HOUR -> {
              hour = n;
              range = n >= 24 ? "hour" : null;
            }
            case MINUTE -> {
              minute = n;
              range = n >= 60 ? "minute" : null;
            }
            default -> {
              second = n;
              range = n >= 60 ? "second" : null;
              boolean fractionFollows = layout.get(i + 1).std() == Std.FRACTION;
              if (range == null
                  && !fractionFollows
                  && v.length() >= 2
                  && isSeparator(v.charAt(0))
                  && isDigit(v, 1)) {
                int end = 2;
                while (end < v.length() && isDigit(v, end)) {
                  end++;
                }
                nanos = nanos(v, end);
                v = v.substring(end);
              }
            }
          }
        }
        case FRACTION -> {
          // Go's stdFracSecond0: a separator and exactly as many digits as the layout has.
          if (v.length() < 7 || !isSeparator(v.charAt(0)) || !allDigits(v, 1, 7)) {
            bad = true;
          } else {
            nanos = nanos(v, 7);
            v = v.substring(7);
          }
        }
        case ZONE -> {
          if (!v.isEmpty() && v.charAt(0) == 'Z') {
            v = v.substring(1);
            break;
          }
          if (v.length() < 6 || v.charAt(3) != ':') {
            bad = true;
            break;
          }
          int hh = allDigits(v, 1, 3) ? Integer.parseInt(v.substring(1, 3)) : 0;
          int mm =
              allDigits(v, 1, 3) && allDigits(v, 4, 6) ? Integer.parseInt(v.substring(4, 6)) : 0;
          bad =
              !allDigits(v, 1, 3)
                  || !allDigits(v, 4, 6)
                  || (v.charAt(0) != '+' && v.charAt(0) != '-');
          // Go allows 24 hours and 60 minutes (some people write offsets so), and reports a range
          // before anything else.
          range = mm > 60 ? "time zone offset minute" : hh > 24 ? "time zone offset hour" : null;
          offset = (v.charAt(0) == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
          v = v.substring(6);
        }
      }
      if (range != null) {
        throw new Unparsable("parsing time " + quote(value) + ": " + range + " out of range");
      }
      if (bad) {
        throw cannotParse(value, layoutText, hold, e.std().layout);
      }
    }
    if (month < 0) {
      month = 1;
    }
    if (day < 1 || day > YearMonth.of(year, month).lengthOfMonth()) {
      throw new Unparsable("parsing time " + quote(value) + ": day out of range");
    }
    long seconds =
        LocalDateTime.of(year, month, day, hour, minute, second).toEpochSecond(ZoneOffset.UTC)
            - offset;
    return new long[] {seconds, nanos};
  }

  /** Go's {@code parseNanoseconds}: {@code value} starts with the separator, digits after it. */
  private static long nanos(String value, int length) {
    int digits = Math.min(length, 10) - 1;
    long n = Long.parseLong(value.substring(1, 1 + digits));
    for (int i = digits; i < 9; i++) {
      n *= 10;
    }
    return n;
  }

  private static Unparsable cannotParse(
      String value, String layout, String valueElem, String layoutElem) {
    return new Unparsable(
        "parsing time "
            + quote(value)
            + " as "
            + quote(layout)
            + ": cannot parse "
            + quote(valueElem)
            + " as "
            + quote(layoutElem));
  }

  private static boolean isSeparator(char c) {
    return c == '.' || c == ',';
  }

  private static boolean isDigit(String s, int i) {
    return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9';
  }

  private static boolean allDigits(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!isDigit(s, i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Go's {@code time.quote}: double quotes, {@code "} and {@code \} escaped, anything outside
   * printable ASCII as {@code \x} escapes of its UTF-8 bytes.
   */
  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      if (c >= 0x80 || c < ' ') {
        for (byte b :
            new String(Character.toChars(c)).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
          out.append("\\x")
              .append(Character.forDigit((b >> 4) & 0xF, 16))
              .append(Character.forDigit(b & 0xF, 16));
        }
      } else {
        if (c == '"' || c == '\\') {
          out.append('\\');
        }
        out.append((char) c);
      }
      i += Character.charCount(c);
    }
    return out.append('"').toString();
  }
}
