package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Weights for dividing replicas.
 *
 * @param staticWeightList fixed weights per cluster
 * @param dynamicWeight {@code AvailableReplicas}: weights from the clusters' free capacity
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClusterPreferences(
    List<StaticClusterWeight> staticWeightList, String dynamicWeight) {}
