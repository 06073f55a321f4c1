package io.nauta.federation.overrides;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.nauta.federation.api.Cluster;
import io.nauta.federation.api.ClusterOverridePolicy;
import io.nauta.federation.api.OverridePolicy;
import io.nauta.federation.api.OverrideSpec;
import io.nauta.federation.api.Overriders;
import io.nauta.federation.api.RuleWithCluster;
import io.nauta.federation.scheduling.ClusterAffinityMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import tools.jackson.databind.node.ObjectNode;

/**
 * Karmada's override manager as pure logic ({@code overridemanager.ApplyOverridePolicies}): for an
 * object bound for one cluster, the ClusterOverridePolicies apply first, then (for a namespaced
 * object) the OverridePolicies of its namespace. Within each, the policies whose resource selectors
 * match (or that have none) are ordered by implicit priority, lowest first so the most specific
 * applies last and wins, then by name; each rule whose {@code targetCluster} is absent or matches
 * the Cluster applies its overriders. The deprecated {@code targetCluster} plus {@code overriders}
 * of the spec stand for one rule when {@code overrideRules} is empty.
 */
public final class OverridePolicies {

  private OverridePolicies() {}

  /** The result of overriding: the new object and what was applied, for the annotations. */
  public record Result(
      ObjectNode object, AppliedOverrides clusterOverrides, AppliedOverrides overrides) {}

  /**
   * Applies the matching policies to a copy of {@code template} for {@code cluster}.
   *
   * @param namespaced the OverridePolicies of any namespace; only those of the object's own
   *     namespace are considered
   * @throws OverrideException naming the policy whose overriders do not fit the object
   */
  public static Result apply(
      ObjectNode template,
      Cluster cluster,
      List<ClusterOverridePolicy> clusterScoped,
      List<OverridePolicy> namespaced) {
    ObjectNode object = template.deepCopy();
    AppliedOverrides applied = new AppliedOverrides();
    for (Named p :
        matching(
            object,
            cluster,
            named(clusterScoped, ClusterOverridePolicy::metadata, ClusterOverridePolicy::spec))) {
      object = applyOne(object, p, "cluster override policy(" + p.name + ")");
      applied.add(p.name, p.overriders);
    }
    AppliedOverrides appliedNamespaced = new AppliedOverrides();
    String namespace = object.path("metadata").path("namespace").asString("");
    if (!namespace.isEmpty()) {
      List<Named> inNamespace =
          named(namespaced, OverridePolicy::metadata, OverridePolicy::spec).stream()
              .filter(p -> namespace.equals(p.namespace))
              .toList();
      for (Named p : matching(object, cluster, inNamespace)) {
        object = applyOne(object, p, "override policy(" + p.namespace + "/" + p.name + ")");
        appliedNamespaced.add(p.name, p.overriders);
      }
    }
    return new Result(object, applied, appliedNamespaced);
  }

  private static ObjectNode applyOne(ObjectNode object, Named p, String what) {
    try {
      return Overrides.apply(object, p.overriders);
    } catch (OverrideException e) {
      throw new OverrideException("Apply " + what + " failed: " + e.getMessage());
    }
  }

  private record Named(String name, String namespace, OverrideSpec spec, Overriders overriders) {}

  private static List<Named> matching(ObjectNode object, Cluster cluster, List<Named> policies) {
    List<Named> selected = new ArrayList<>();
    for (Named p : policies) {
      if (priority(object, p) > ResourceSelectors.MISMATCH) {
        selected.add(p);
      }
    }
    selected.sort(
        Comparator.comparingInt((Named p) -> priority(object, p)).thenComparing(Named::name));
    List<Named> rules = new ArrayList<>();
    for (Named p : selected) {
      List<RuleWithCluster> overrideRules = p.spec.overrideRules();
      if (overrideRules == null || overrideRules.isEmpty()) {
        overrideRules = List.of(new RuleWithCluster(p.spec.targetCluster(), p.spec.overriders()));
      }
      for (RuleWithCluster rule : overrideRules) {
        if (rule.targetCluster() == null
            || ClusterAffinityMatcher.matches(cluster, rule.targetCluster())) {
          rules.add(new Named(p.name, p.namespace, p.spec, rule.overriders()));
        }
      }
    }
    return rules;
  }

  private static int priority(ObjectNode object, Named p) {
    if (p.spec.resourceSelectors() == null || p.spec.resourceSelectors().isEmpty()) {
      return ResourceSelectors.MATCH_ALL;
    }
    return ResourceSelectors.priority(object, p.spec.resourceSelectors());
  }

  private static <T> List<Named> named(
      List<T> policies, Function<T, ObjectMeta> metadata, Function<T, OverrideSpec> spec) {
    if (policies == null) {
      return List.of();
    }
    return policies.stream()
        .filter(p -> spec.apply(p) != null)
        .map(p -> of(metadata.apply(p), spec.apply(p)))
        .toList();
  }

  private static Named of(ObjectMeta meta, OverrideSpec spec) {
    return new Named(
        meta.getName(), Objects.requireNonNullElse(meta.getNamespace(), ""), spec, null);
  }
}
