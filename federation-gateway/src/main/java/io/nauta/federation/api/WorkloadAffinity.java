package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Affinity and anti-affinity between workloads.
 *
 * @param affinity affinity
 * @param antiAffinity anti-affinity
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkloadAffinity(
    WorkloadAffinityTerm affinity, WorkloadAntiAffinityTerm antiAffinity) {}
