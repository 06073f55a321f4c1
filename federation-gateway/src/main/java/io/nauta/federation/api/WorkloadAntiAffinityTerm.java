package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Workloads with the same value of a label go apart.
 *
 * @param groupByLabelKey the label
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkloadAntiAffinityTerm(String groupByLabelKey) {}
