package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Failover behaviour of a policy's templates.
 *
 * @param application on an unhealthy application
 * @param cluster on a failed cluster
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record FailoverBehavior(
    ApplicationFailoverBehavior application, ClusterFailoverBehavior cluster) {}
