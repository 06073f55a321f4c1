package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How a template's replicas are set per cluster.
 *
 * @param replicaSchedulingType {@code Duplicated} (every cluster gets all) or {@code Divided} (they
 *     are split)
 * @param replicaDivisionPreference for {@code Divided}: {@code Aggregated} or {@code Weighted}
 * @param weightPreference for {@code Weighted}: static or dynamic weights
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReplicaSchedulingStrategy(
    String replicaSchedulingType,
    String replicaDivisionPreference,
    ClusterPreferences weightPreference) {}
