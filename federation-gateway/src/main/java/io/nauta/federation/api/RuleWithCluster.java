package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Overriders for the clusters {@code targetCluster} selects (all when null).
 *
 * @param targetCluster the clusters
 * @param overriders the overriders
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RuleWithCluster(ClusterAffinity targetCluster, Overriders overriders) {}
