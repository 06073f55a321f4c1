package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/**
 * What one replica of a template needs.
 *
 * @param nodeClaim node constraints (not used in Nauta's estimation)
 * @param resourceRequest its resource requests
 * @param namespace its namespace
 * @param priorityClassName its priority class
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReplicaRequirements(
    NodeClaim nodeClaim,
    Map<String, Quantity> resourceRequest,
    String namespace,
    String priorityClassName) {}
