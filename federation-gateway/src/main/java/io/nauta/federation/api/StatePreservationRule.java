package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One piece of state carried on failover, as a label.
 *
 * @param aliasLabelName the label's name
 * @param jsonPath where the value is in the old copy's status
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record StatePreservationRule(String aliasLabelName, String jsonPath) {}
