package io.nauta.api.http;

import io.nauta.api.cache.ObjectFilter;
import io.nauta.api.resource.ListOptions;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.registry.ResourceType;
import io.nauta.core.selector.FieldSelector;
import io.nauta.core.selector.LabelSelector;
import java.util.List;
import org.springframework.util.MultiValueMap;

/** Reads Kubernetes' query parameters: list options, {@code dryRun}, delete options. */
final class QueryOptions {

  private QueryOptions() {}

  static ListOptions list(MultiValueMap<String, String> q, ResourceType type, String namespace) {
    String labels = first(q, "labelSelector");
    String fields = first(q, "fieldSelector");
    ObjectFilter filter =
        new ObjectFilter(
            namespace,
            LabelSelector.parse(labels),
            fields == null || fields.isEmpty()
                ? FieldSelector.everything()
                : FieldSelector.parse(fields, type.kind()));
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

  static boolean dryRun(MultiValueMap<String, String> q) {
    List<String> values = q.getOrDefault("dryRun", List.of());
    for (String v : values) {
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

  static boolean bool(MultiValueMap<String, String> q, String name) {
    String v = q.getFirst(name);
    return "true".equals(v) || "1".equals(v);
  }

  static long number(MultiValueMap<String, String> q, String name) {
    Long v = optionalNumber(q, name);
    return v == null ? 0 : v;
  }

  static Long optionalNumber(MultiValueMap<String, String> q, String name) {
    String v = q.getFirst(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new BadRequestException("invalid value for " + name + ": " + v);
    }
  }
}
