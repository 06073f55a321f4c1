package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * A cluster being evicted from: its copy stays until the replacements are available or the grace
 * period ends.
 *
 * @param fromCluster the cluster
 * @param purgeMode {@code Immediately}/{@code Directly}, {@code Graciously}/{@code Gracefully} or
 *     {@code Never}
 * @param replicas the replicas it had
 * @param reason why ({@code TaintUntolerated}, {@code ApplicationFailure})
 * @param message details
 * @param producer who asked ({@code TaintManager})
 * @param gracePeriodSeconds the longest wait
 * @param suppressDeletion keep it even after the wait
 * @param preservedLabelState state carried over
 * @param creationTimestamp when the task was made
 * @param clustersBeforeFailover the clusters before the failover
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GracefulEvictionTask(
    String fromCluster,
    String purgeMode,
    Integer replicas,
    String reason,
    String message,
    String producer,
    Integer gracePeriodSeconds,
    Boolean suppressDeletion,
    Map<String, String> preservedLabelState,
    String creationTimestamp,
    List<String> clustersBeforeFailover) {}
