package io.nauta.core.quota;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One scope a quota applies to: a name from {@code spec.scopes} (operator {@code Exists}) or one of
 * {@code spec.scopeSelector.matchExpressions} ({@code getScopeSelectorsFromQuota}).
 */
public record QuotaScope(String scopeName, String operator, List<String> values) {

  /** The scopes of a quota object. */
  public static List<QuotaScope> of(JsonNode quota) {
    List<QuotaScope> out = new ArrayList<>();
    JsonNode spec = quota.path("spec");
    for (JsonNode s : spec.path("scopes")) {
      out.add(new QuotaScope(s.asString(""), "Exists", List.of()));
    }
    for (JsonNode e : spec.path("scopeSelector").path("matchExpressions")) {
      List<String> values = new ArrayList<>();
      e.path("values").forEach(v -> values.add(v.asString("")));
      out.add(
          new QuotaScope(
              e.path("scopeName").asString(""), e.path("operator").asString(""), values));
    }
    return out;
  }

  /**
   * Whether a set holding {@code value} under this scope's name (absent when null) matches, as the
   * label selector {@code ScopedResourceSelectorRequirementsAsSelector} builds.
   */
  boolean selects(String value) {
    return switch (operator) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      default -> false;
    };
  }
}
