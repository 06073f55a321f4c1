package io.nauta.core.batch;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CronJob's schedule as Kubernetes reads it ({@code robfig/cron}'s {@code ParseStandard}): five
 * fields (minute, hour, day of month, month, day of week) with lists, ranges, steps, {@code *} and
 * {@code ?} and the month and weekday names; the descriptors {@code @yearly}, {@code @annually},
 * {@code @monthly}, {@code @weekly}, {@code @daily}, {@code @midnight}, {@code @hourly} and {@code
 * @every <duration>}; an optional {@code TZ=} or {@code CRON_TZ=} prefix. When both the day of
 * month and the day of week are restricted, a day matching either runs (as cron does).
 */
public final class CronSchedule {

  private static final long STAR = 1L << 63;
  private static final Bounds MINUTES = new Bounds(0, 59, Map.of());
  private static final Bounds HOURS = new Bounds(0, 23, Map.of());
  private static final Bounds DOM = new Bounds(1, 31, Map.of());
  private static final Bounds MONTHS =
      new Bounds(
          1,
          12,
          Map.ofEntries(
              Map.entry("jan", 1),
              Map.entry("feb", 2),
              Map.entry("mar", 3),
              Map.entry("apr", 4),
              Map.entry("may", 5),
              Map.entry("jun", 6),
              Map.entry("jul", 7),
              Map.entry("aug", 8),
              Map.entry("sep", 9),
              Map.entry("oct", 10),
              Map.entry("nov", 11),
              Map.entry("dec", 12)));
  private static final Bounds DOW =
      new Bounds(
          0, 6, Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4, "fri", 5, "sat", 6));
  private static final Map<String, String> DESCRIPTORS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");
  private static final Pattern DURATION_PART =
      Pattern.compile("([0-9]*(?:\\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)");

  private final ZoneId zone;
  private final long minute;
  private final long hour;
  private final long dom;
  private final long month;
  private final long dow;
  private final Duration every;

  private CronSchedule(
      ZoneId zone, long minute, long hour, long dom, long month, long dow, Duration every) {
    this.zone = zone;
    this.minute = minute;
    this.hour = hour;
    this.dom = dom;
    this.month = month;
    this.dow = dow;
    this.every = every;
  }

  /**
   * Parses {@code spec}.
   *
   * @throws IllegalArgumentException with {@code robfig/cron}'s message when it is malformed
   */
  public static CronSchedule parse(String spec) {
    if (spec == null || spec.isEmpty()) {
      throw new IllegalArgumentException("empty spec string");
    }
    ZoneId zone = null;
    if (spec.startsWith("TZ=") || spec.startsWith("CRON_TZ=")) {
      int space = spec.indexOf(' ');
      int eq = spec.indexOf('=');
      String name = space < 0 ? spec.substring(eq + 1) : spec.substring(eq + 1, space);
      zone =
          zone(name)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "provided bad location " + name + ": unknown time zone " + name));
      spec = space < 0 ? "" : spec.substring(space).trim();
    }
    if (spec.startsWith("@")) {
      if (spec.startsWith("@every ")) {
        return new CronSchedule(zone, 0, 0, 0, 0, 0, every(spec));
      }
      String fields = DESCRIPTORS.get(spec);
      if (fields == null) {
        throw new IllegalArgumentException("unrecognized descriptor: " + spec);
      }
      spec = fields;
    }
    String[] fields = spec.trim().isEmpty() ? new String[0] : spec.trim().split("\\s+");
    if (fields.length != 5) {
      throw new IllegalArgumentException(
          "expected exactly 5 fields, found "
              + fields.length
              + ": ["
              + String.join(" ", fields)
              + "]");
    }
    return new CronSchedule(
        zone,
        field(fields[0], MINUTES),
        field(fields[1], HOURS),
        field(fields[2], DOM),
        field(fields[3], MONTHS),
        field(fields[4], DOW),
        null);
  }

  /**
   * An IANA time zone as Go's {@code time.LoadLocation} finds it: {@code UTC} and the region names,
   * not Java's offsets and short ids.
   */
  public static Optional<ZoneId> zone(String name) {
    if ("UTC".equals(name) || name.isEmpty()) {
      return Optional.of(ZoneOffset.UTC);
    }
    if (!ZoneId.getAvailableZoneIds().contains(name)) {
      return Optional.empty();
    }
    try {
      return Optional.of(ZoneId.of(name));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  /** The zone a {@code TZ=}/{@code CRON_TZ=} prefix named, if any. */
  public Optional<ZoneId> zone() {
    return Optional.ofNullable(zone);
  }

  /**
   * The first scheduled time strictly after {@code after}, reckoned in this schedule's zone or else
   * in {@code defaultZone}; empty when none comes within five years (e.g. {@code 0 0 31 2 *}).
   */
  public Optional<Instant> next(Instant after, ZoneId defaultZone) {
    if (every != null) {
      return Optional.of(after.truncatedTo(ChronoUnit.SECONDS).plus(every));
    }
    ZoneId in = zone != null ? zone : defaultZone;
    ZonedDateTime t = after.atZone(in).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    boolean added = false;
    int yearLimit = t.getYear() + 5;
    wrap:
    while (true) {
      if (t.getYear() > yearLimit) {
        return Optional.empty();
      }
      while (!has(month, t.getMonthValue())) {
        if (!added) {
          added = true;
          t = t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
        }
        t = t.plusMonths(1);
        if (t.getMonthValue() == 1) {
          continue wrap;
        }
      }
      while (!dayMatches(t)) {
        if (!added) {
          added = true;
          t = t.truncatedTo(ChronoUnit.DAYS);
        }
        t = t.plusDays(1).truncatedTo(ChronoUnit.DAYS);
        if (t.getDayOfMonth() == 1) {
          continue wrap;
        }
      }
      while (!has(hour, t.getHour())) {
        if (!added) {
          added = true;
          t = t.truncatedTo(ChronoUnit.HOURS);
        }
        t = t.plusHours(1);
        if (t.getHour() == 0) {
          continue wrap;
        }
      }
      while (!has(minute, t.getMinute())) {
        if (!added) {
          added = true;
          t = t.truncatedTo(ChronoUnit.MINUTES);
        }
        t = t.plusMinutes(1);
        if (t.getMinute() == 0) {
          continue wrap;
        }
      }
      if (t.getSecond() != 0) {
        t = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        added = true;
        continue;
      }
      return Optional.of(t.toInstant());
    }
  }

  private boolean dayMatches(ZonedDateTime t) {
    boolean domMatch = has(dom, t.getDayOfMonth());
    boolean dowMatch = has(dow, t.getDayOfWeek().getValue() % 7);
    if ((dom & STAR) != 0 || (dow & STAR) != 0) {
      return domMatch && dowMatch;
    }
    return domMatch || dowMatch;
  }

  private static boolean has(long bits, int value) {
    return (bits & (1L << value)) != 0;
  }

  private static long field(String text, Bounds bounds) {
    long bits = 0;
    for (String range : text.split(",", -1)) {
      bits |= range(range, bounds);
    }
    return bits;
  }

  private static long range(String expr, Bounds r) {
    String[] rangeAndStep = expr.split("/", -1);
    String[] lowAndHigh = rangeAndStep[0].split("-", -1);
    boolean single = lowAndHigh.length == 1;
    long start;
    long end;
    long extra = 0;
    if ("*".equals(lowAndHigh[0]) || "?".equals(lowAndHigh[0])) {
      start = r.min;
      end = r.max;
      extra = STAR;
    } else {
      start = intOrName(lowAndHigh[0], r.names);
      if (lowAndHigh.length == 1) {
        end = start;
      } else if (lowAndHigh.length == 2) {
        end = intOrName(lowAndHigh[1], r.names);
      } else {
        throw new IllegalArgumentException("too many hyphens: " + expr);
      }
    }
    long step;
    if (rangeAndStep.length == 1) {
      step = 1;
    } else if (rangeAndStep.length == 2) {
      step = integer(rangeAndStep[1]);
      if (single) {
        end = r.max;
      }
      if (step > 1) {
        extra = 0;
      }
    } else {
      throw new IllegalArgumentException("too many slashes: " + expr);
    }
    if (start < r.min) {
      throw new IllegalArgumentException(
          "beginning of range (" + start + ") below minimum (" + r.min + "): " + expr);
    }
    if (end > r.max) {
      throw new IllegalArgumentException(
          "end of range (" + end + ") above maximum (" + r.max + "): " + expr);
    }
    if (start > end) {
      throw new IllegalArgumentException(
          "beginning of range (" + start + ") beyond end of range (" + end + "): " + expr);
    }
    if (step == 0) {
      throw new IllegalArgumentException("step of range should be a positive number: " + expr);
    }
    long bits = 0;
    for (long i = start; i <= end; i += step) {
      bits |= 1L << i;
    }
    return bits | extra;
  }

  private static long intOrName(String text, Map<String, Integer> names) {
    Integer named = names.get(text.toLowerCase(Locale.ROOT));
    return named != null ? named : integer(text);
  }

  /** Go's {@code strconv.Atoi}, then non-negative, with robfig's messages. */
  private static long integer(String text) {
    long n;
    try {
      if (!text.matches("[+-]?[0-9]+")) {
        throw new NumberFormatException();
      }
      n = Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "failed to parse int from "
              + text
              + ": strconv.Atoi: parsing \""
              + text
              + "\": "
              + (text.matches("[+-]?[0-9]+") ? "value out of range" : "invalid syntax"));
    }
    if (n < 0) {
      throw new IllegalArgumentException("negative number (" + n + ") not allowed: " + text);
    }
    return n;
  }

  /** {@code @every <Go duration>}: at least a second, whole seconds (robfig's {@code Every}). */
  private static Duration every(String spec) {
    String text = spec.substring("@every ".length());
    Matcher m = DURATION_PART.matcher(text);
    List<String> parts = new ArrayList<>();
    int at = 0;
    double nanos = 0;
    while (m.find() && m.start() == at && !m.group(1).isEmpty() && !".".equals(m.group(1))) {
      parts.add(m.group());
      nanos += Double.parseDouble(m.group(1)) * unitNanos(m.group(2));
      at = m.end();
    }
    if (parts.isEmpty() && "0".equals(text)) {
      at = 1;
    }
    if (at != text.length() || text.isEmpty()) {
      throw new IllegalArgumentException(
          "failed to parse duration " + spec + ": time: invalid duration \"" + text + "\"");
    }
    long seconds = (long) (nanos / 1e9);
    return Duration.ofSeconds(Math.max(seconds, 1));
  }

  private static double unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1;
      case "us", "µs", "μs" -> 1e3;
      case "ms" -> 1e6;
      case "s" -> 1e9;
      case "m" -> 60e9;
      default -> 3600e9;
    };
  }

  private record Bounds(int min, int max, Map<String, Integer> names) {}
}
