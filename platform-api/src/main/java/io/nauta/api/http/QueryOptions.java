package io.nauta.api.http;

import io.nauta.api.cache.ObjectFilter;
import io.nauta.api.resource.ListOptions;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.registry.ResourceType;
import io.nauta.core.selector.FieldSelector;
import io.nauta.core.selector.LabelSelector;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.util.MultiValueMap;

/**
 * Reads Kubernetes' query parameters (list options, {@code dryRun}, delete options) with the
 * conversions of apimachinery's {@code runtime/conversion.go}, so a client gets what it would get
 * from Kubernetes: the official Python client's {@code watch=True} is a watch, {@code limit=x} is a
 * 400 with strconv's words.
 */
public final class QueryOptions {

  private QueryOptions() {}

  public static ListOptions list(
      MultiValueMap<String, String> q, ResourceType type, String namespace) {
    String labels = first(q, "labelSelector");
    String fields = first(q, "fieldSelector");
    ObjectFilter filter =
        new ObjectFilter(
            namespace,
            LabelSelector.parse(labels),
            fields == null || fields.isEmpty()
                ? FieldSelector.everything()
                : FieldSelector.parseServed(fields, type));
    // resourceVersionMatch and sendInitialEvents are validated with the rest of the list options
    // (ListOptions.validateFor*), as Kubernetes does: 422 Invalid.
    String match = first(q, "resourceVersionMatch");
    return new ListOptions(
        filter,
        first(q, "resourceVersion"),
        match,
        number(q, "limit"),
        first(q, "continue"),
        bool(q, "allowWatchBookmarks"),
        number(q, "timeoutSeconds"),
        q.containsKey("sendInitialEvents") ? bool(q, "sendInitialEvents") : null);
  }

  public static boolean dryRun(MultiValueMap<String, String> q) {
    List<String> values = q.getOrDefault("dryRun", List.of());
    for (String value : values) {
      String v = value == null ? "" : value; // ?dryRun with no value at all
      if (!v.equals("All")) {
        throw new BadRequestException(
            "dryRun: Unsupported value: \"" + v + "\": supported values: \"All\"");
      }
    }
    return !values.isEmpty();
  }

  static String first(MultiValueMap<String, String> q, String name) {
    return q.getFirst(name);
  }

  /**
   * A boolean parameter as Kubernetes converts it ({@code Convert_Slice_string_To_bool}): absent,
   * {@code 0} and {@code false} in any letter case are false; anything else present, even an empty
   * value ({@code ?watch}), is true. Never an error.
   */
  public static boolean bool(MultiValueMap<String, String> q, String name) {
    if (!q.containsKey(name)) {
      return false;
    }
    List<String> values = q.get(name);
    String v = values == null || values.isEmpty() || values.get(0) == null ? "" : values.get(0);
    return !(v.equals("0") || v.equalsIgnoreCase("false"));
  }

  static long number(MultiValueMap<String, String> q, String name) {
    Long v = optionalNumber(q, name);
    return v == null ? 0 : v;
  }

  /**
   * An integer parameter as Kubernetes converts it (Go's {@code strconv.ParseInt(v, 10, 64)}): null
   * when absent; present but empty, not a number or beyond 64 bits is a 400 with strconv's words.
   */
  static Long optionalNumber(MultiValueMap<String, String> q, String name) {
    if (!q.containsKey(name)) {
      return null;
    }
    List<String> values = q.get(name);
    String v = values == null || values.isEmpty() || values.get(0) == null ? "" : values.get(0);
    if (!DECIMAL.matcher(v).matches()) {
      throw new BadRequestException("strconv.ParseInt: parsing " + goQuote(v) + ": invalid syntax");
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new BadRequestException(
          "strconv.ParseInt: parsing " + goQuote(v) + ": value out of range");
    }
  }

  /** What {@code strconv.ParseInt} reads in base 10: an optional sign, then ASCII digits. */
  private static final Pattern DECIMAL = Pattern.compile("[+-]?[0-9]+");

  /** Go's {@code %q} of the value, near enough for messages: quotes and backslashes escaped. */
  private static String goQuote(String v) {
    return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
