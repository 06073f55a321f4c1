package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/**
 * What one replica of a {@link Component} needs.
 *
 * @param nodeClaim node constraints
 * @param resourceRequest its resource requests
 * @param priorityClassName its priority class
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ComponentReplicaRequirements(
    NodeClaim nodeClaim, Map<String, Quantity> resourceRequest, String priorityClassName) {}
