package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Failover when an application is unhealthy.
 *
 * @param decisionConditions when to fail over
 * @param purgeMode how the old copy goes: {@code Directly}, {@code Gracefully} or {@code Never}
 * @param gracePeriodSeconds how long to wait before removing it
 * @param statePreservation state to carry to the new cluster
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApplicationFailoverBehavior(
    DecisionConditions decisionConditions,
    String purgeMode,
    Integer gracePeriodSeconds,
    StatePreservation statePreservation) {}
