package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The overrides of an {@link OverridePolicy} or {@link ClusterOverridePolicy}.
 *
 * @param resourceSelectors the templates it applies to (all when empty)
 * @param overrideRules overriders per target clusters
 * @param targetCluster deprecated in Karmada for {@code overrideRules}
 * @param overriders deprecated in Karmada for {@code overrideRules}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record OverrideSpec(
    List<ResourceSelector> resourceSelectors,
    List<RuleWithCluster> overrideRules,
    ClusterAffinity targetCluster,
    Overriders overriders) {}
