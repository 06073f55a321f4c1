package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A binding's suspension: the policy's {@link Suspension} (Go inlines it) plus scheduling. Named
 * {@code Suspension} in Go's work package; renamed here beside the policy's.
 *
 * @param dispatching suspend dispatching to every cluster
 * @param dispatchingOnClusters suspend dispatching to these clusters
 * @param scheduling suspend scheduling
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BindingSuspension(
    Boolean dispatching, SuspendClusters dispatchingOnClusters, Boolean scheduling) {}
