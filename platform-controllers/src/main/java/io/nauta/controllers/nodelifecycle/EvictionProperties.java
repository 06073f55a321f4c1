package io.nauta.controllers.nodelifecycle;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How fast unreachable nodes are tainted for eviction, per zone, and when the controller holds back
 * because the fault is more likely its own view of the nodes than the nodes themselves (Kubernetes'
 * kube-controller-manager flags of the same names, with their defaults).
 *
 * @param nodeEvictionRate nodes per second tainted {@code NoExecute} in a zone that is healthy, or
 *     fully disrupted while another zone is not (--node-eviction-rate)
 * @param secondaryNodeEvictionRate nodes per second in a partially disrupted zone of a large
 *     cluster (--secondary-node-eviction-rate); a smaller cluster stops tainting there
 * @param unhealthyZoneThreshold share of not-ready nodes (more than two) from which a zone counts
 *     as partially disrupted (--unhealthy-zone-threshold)
 * @param largeClusterSizeThreshold a zone with more nodes than this counts as large
 *     (--large-cluster-size-threshold)
 */
@ConfigurationProperties("nauta.controllers")
public record EvictionProperties(
    @DefaultValue("0.1") double nodeEvictionRate,
    @DefaultValue("0.01") double secondaryNodeEvictionRate,
    @DefaultValue("0.55") double unhealthyZoneThreshold,
    @DefaultValue("50") int largeClusterSizeThreshold) {}
