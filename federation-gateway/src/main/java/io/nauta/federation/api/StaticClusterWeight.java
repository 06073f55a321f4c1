package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A fixed weight for the clusters a {@link ClusterAffinity} selects.
 *
 * @param targetCluster the clusters
 * @param weight their weight
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record StaticClusterWeight(ClusterAffinity targetCluster, Long weight) {}
