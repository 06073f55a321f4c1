package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Suspends dispatching of a policy's templates, to every or to some clusters.
 *
 * @param dispatching suspend dispatching to every cluster
 * @param dispatchingOnClusters suspend dispatching to these clusters
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Suspension(Boolean dispatching, SuspendClusters dispatchingOnClusters) {}
