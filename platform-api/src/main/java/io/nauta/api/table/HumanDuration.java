package io.nauta.api.table;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import tools.jackson.databind.JsonNode;

/**
 * Kubernetes' {@code duration.HumanDuration} (k8s.io/apimachinery/pkg/util/duration): the short
 * ages kubectl prints, precise for young objects and coarse for old ones.
 */
public final class HumanDuration {

  static final String UNKNOWN = "<unknown>";

  /** Go's zero {@code time.Time}, which Kubernetes treats as "not set". */
  private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

  private HumanDuration() {}

  public static String format(Duration d) {
    // Go truncates toward zero; up to a second in the future still counts as "now" (clock skew).
    long seconds = d.isNegative() ? -d.negated().getSeconds() : d.getSeconds();
    if (seconds < -1) {
      return "<invalid>";
    } else if (seconds < 0) {
      return "0s";
    } else if (seconds < 60 * 2) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 10) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    } else if (minutes < 60 * 3) {
      return minutes + "m";
    }
    long hours = seconds / 3600;
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    } else if (hours < 48) {
      return hours + "h";
    } else if (hours < 24 * 8) {
      long h = hours % 24;
      return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
    } else if (hours < 24 * 365 * 2) {
      return hours / 24 + "d";
    } else if (hours < 24 * 365 * 8) {
      long dy = hours / 24 % 365;
      return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
    }
    return hours / 24 / 365 + "y";
  }

  /**
   * The age of an RFC 3339 timestamp at {@code now}, or {@code <unknown>} when it is missing
   * (Kubernetes' {@code translateTimestampSince}).
   */
  public static String since(JsonNode timestamp, Instant now) {
    Instant t = instant(timestamp);
    return t == null ? UNKNOWN : format(Duration.between(t, now));
  }

  /** The timestamp, or null when missing, unparseable or Go's zero time. */
  static Instant instant(JsonNode timestamp) {
    if (timestamp == null || !timestamp.isString() || timestamp.asString().isEmpty()) {
      return null;
    }
    try {
      Instant t = OffsetDateTime.parse(timestamp.asString()).toInstant();
      return t.equals(GO_ZERO_TIME) ? null : t;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
