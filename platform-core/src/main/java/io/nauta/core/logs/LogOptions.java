package io.nauta.core.logs;

import io.nauta.core.errors.BadRequestException;
import io.nauta.core.errors.FieldError;
import io.nauta.core.errors.InvalidException;
import io.nauta.core.errors.ResourceRef;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' {@code PodLogOptions} as the API server's {@code pods/log} and the kubelet's {@code
 * /containerLogs} read them from the query, validated as {@code ValidatePodLogOptions} does. The
 * container is not here: the API server takes it from {@code container}, the kubelet from its path.
 *
 * @param follow stream new lines until the container exits or the client goes away
 * @param previous the logs of the container's previous (terminated) instance
 * @param timestamps prefix every line with its RFC3339Nano time
 * @param tailLines only the last this many lines; null for all
 * @param sinceSeconds only lines of the last this many seconds; null for all
 * @param sinceTime only lines from this time on (RFC3339, whole seconds); null for all
 * @param limitBytes stop after this many bytes; null for no limit
 */
public record LogOptions(
    boolean follow,
    boolean previous,
    boolean timestamps,
    Long tailLines,
    Long sinceSeconds,
    Instant sinceTime,
    Long limitBytes) {

  /** Every line, once, without timestamps. */
  public static LogOptions defaults() {
    return new LogOptions(false, false, false, null, null, null, null);
  }

  /**
   * Reads the options from a query. A value that does not parse is a 400 BadRequest (the API
   * server's parameter decoding); one out of range a 422 Invalid on {@code PodLogOptions <name>}.
   *
   * @param name the pod's name, for the Invalid error's message
   */
  public static LogOptions parse(Map<String, List<String>> query, String name) {
    LogOptions o =
        new LogOptions(
            bool(query, "follow"),
            bool(query, "previous"),
            bool(query, "timestamps"),
            number(query, "tailLines"),
            number(query, "sinceSeconds"),
            time(query, "sinceTime"),
            number(query, "limitBytes"));
    List<FieldError> errors = o.validate();
    if (!errors.isEmpty()) {
      throw new InvalidException(
          "PodLogOptions", new ResourceRef("", "PodLogOptions", name), errors);
    }
    return o;
  }

  /** Kubernetes' {@code ValidatePodLogOptions}. */
  public List<FieldError> validate() {
    List<FieldError> errors = new ArrayList<>();
    if (tailLines != null && tailLines < 0) {
      errors.add(FieldError.invalid("tailLines", tailLines, "must be greater than or equal to 0"));
    }
    if (limitBytes != null && limitBytes < 1) {
      errors.add(FieldError.invalid("limitBytes", limitBytes, "must be greater than 0"));
    }
    if (sinceSeconds != null && sinceTime != null) {
      errors.add(
          FieldError.forbidden(
              "", "at most one of `sinceTime` or `sinceSeconds` may be specified"));
    } else if (sinceSeconds != null && sinceSeconds < 1) {
      errors.add(FieldError.invalid("sinceSeconds", sinceSeconds, "must be greater than 0"));
    }
    return errors;
  }

  /**
   * The first instant whose lines are wanted, from {@code sinceTime} or {@code sinceSeconds} before
   * {@code now}; null for all.
   */
  public Instant since(Instant now) {
    if (sinceTime != null) {
      return sinceTime;
    }
    return sinceSeconds == null ? null : now.minusSeconds(sinceSeconds);
  }

  /** The options as the kubelet's query string (without {@code ?}), as the API server sends it. */
  public String toQuery() {
    Map<String, String> q = new LinkedHashMap<>();
    if (follow) {
      q.put("follow", "true");
    }
    if (previous) {
      q.put("previous", "true");
    }
    if (timestamps) {
      q.put("timestamps", "true");
    }
    if (sinceSeconds != null) {
      q.put("sinceSeconds", sinceSeconds.toString());
    }
    if (sinceTime != null) {
      q.put("sinceTime", sinceTime.toString());
    }
    if (tailLines != null) {
      q.put("tailLines", tailLines.toString());
    }
    if (limitBytes != null) {
      q.put("limitBytes", limitBytes.toString());
    }
    StringBuilder s = new StringBuilder();
    q.forEach(
        (k, v) ->
            s.append(s.isEmpty() ? "" : "&")
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return s.toString();
  }

  private static String first(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** As Kubernetes converts a query value to a bool: absent, "0" and "false" are false. */
  private static boolean bool(Map<String, List<String>> query, String name) {
    String v = first(query, name);
    return v != null && !v.equals("0") && !v.equalsIgnoreCase("false");
  }

  private static Long number(Map<String, List<String>> query, String name) {
    String v = first(query, name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new BadRequestException(
          "couldn't decode " + name + ": strconv.ParseInt: parsing \"" + v + "\": invalid syntax");
    }
  }

  /** RFC3339 as {@code metav1.Time} reads it; kept to the second, as it travels. */
  private static Instant time(Map<String, List<String>> query, String name) {
    String v = first(query, name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(v).toInstant().truncatedTo(ChronoUnit.SECONDS);
    } catch (DateTimeParseException e) {
      throw new BadRequestException(
          "couldn't decode " + name + ": \"" + v + "\" is not an RFC3339 time");
    }
  }
}
