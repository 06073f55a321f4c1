package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.JsonNode;

/**
 * One member's report on a bound object.
 *
 * @param clusterName the member
 * @param status the object's status there
 * @param applied whether it was applied
 * @param appliedMessage why not
 * @param health {@code Healthy}, {@code Unhealthy} or {@code Unknown}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AggregatedStatusItem(
    String clusterName, JsonNode status, Boolean applied, String appliedMessage, String health) {}
