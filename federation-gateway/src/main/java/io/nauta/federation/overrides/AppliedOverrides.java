package io.nauta.federation.overrides;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.nauta.federation.api.Overriders;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * The overriders applied to one object, recorded as Karmada does in the annotations {@code
 * policy.karmada.io/applied-overrides} and {@code policy.karmada.io/applied-cluster-overrides}: a
 * JSON list of {@code {"policyName": ..., "overriders": {...}}} sorted by policy name.
 */
public final class AppliedOverrides {

  private static final JsonMapper JSON =
      JsonMapper.builder()
          .changeDefaultPropertyInclusion(
              incl -> incl.withValueInclusion(JsonInclude.Include.NON_EMPTY))
          .build();

  /** One applied rule: Karmada's {@code OverridePolicyShadow}. */
  public record OverridePolicyShadow(String policyName, Overriders overriders) {}

  private final List<OverridePolicyShadow> items = new ArrayList<>();

  void add(String policyName, Overriders overriders) {
    items.add(new OverridePolicyShadow(policyName, overriders));
  }

  public List<OverridePolicyShadow> items() {
    return List.copyOf(items);
  }

  public boolean isEmpty() {
    return items.isEmpty();
  }

  /** The annotation's value, or null when nothing was applied (Karmada then sets none). */
  public String toAnnotation() {
    if (items.isEmpty()) {
      return null;
    }
    List<OverridePolicyShadow> sorted = new ArrayList<>(items);
    sorted.sort(Comparator.comparing(OverridePolicyShadow::policyName));
    return JSON.writeValueAsString(sorted);
  }
}
