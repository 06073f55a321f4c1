package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The workload affinity groups of a binding.
 *
 * @param affinityGroup the affinity group
 * @param antiAffinityGroup the anti-affinity group
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkloadAffinityGroups(String affinityGroup, String antiAffinityGroup) {}
