package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Failover when a cluster fails.
 *
 * @param purgeMode how the old copy goes
 * @param statePreservation state to carry to the new cluster
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClusterFailoverBehavior(String purgeMode, StatePreservation statePreservation) {}
