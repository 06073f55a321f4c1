package io.nauta.core.quota;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * How one kind of object uses quota, as upstream's {@code quota.Evaluator}: which quota resource
 * names it is counted under, how much of each one object uses, which scopes it falls in, and what a
 * quota requires an object to state. The admission plugin and the quota controller share these, so
 * what admission charges is what the controller recounts.
 */
public interface UsageEvaluator {

  /** The API group of the objects evaluated ("" for core). */
  String group();

  /** The plural resource name of the objects evaluated. */
  String resource();

  /** Whether this evaluator counts {@code quotaResource} ({@code MatchingResources}). */
  boolean matches(String quotaResource);

  /** What one object uses. */
  Map<String, BigDecimal> usage(JsonNode obj);

  /** Whether {@code obj} falls in {@code scope}; objects other than pods fall in every scope. */
  default boolean matchesScope(QuotaScope scope, JsonNode obj) {
    return true;
  }

  /**
   * Why {@code obj} may not be admitted under a quota tracking {@code required} (upstream's {@code
   * Constraints}); empty when it may.
   */
  default Optional<String> constraints(Set<String> required, JsonNode obj) {
    return Optional.empty();
  }

  /** Whether an update can change this kind's usage (claims grow, services change type). */
  default boolean chargesUpdates() {
    return false;
  }

  /** Whether {@code quota} applies to {@code obj}: it tracks one of our names and its scopes. */
  default boolean applies(JsonNode quota, Map<String, BigDecimal> hard, JsonNode obj) {
    if (hard.keySet().stream().noneMatch(this::matches)) {
      return false;
    }
    for (QuotaScope s : QuotaScope.of(quota)) {
      if (!matchesScope(s, obj)) {
        return false;
      }
    }
    return true;
  }

  /** {@code count/<resource>} for the core group, {@code count/<resource>.<group>} otherwise. */
  static String countName(String group, String resource) {
    return group.isEmpty() ? "count/" + resource : "count/" + resource + "." + group;
  }
}
