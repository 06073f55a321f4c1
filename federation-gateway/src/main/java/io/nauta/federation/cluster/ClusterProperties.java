package io.nauta.federation.cluster;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Member clusters and their health ({@code nauta.federation.cluster.*}).
 *
 * @param probeInterval how often each member's {@code /readyz} is probed (Karmada's
 *     --cluster-status-update-frequency: 10s)
 * @param probeTimeout how long one probe may take before it counts as unreachable
 * @param failureThreshold how many probes in a row must fail before the cluster turns {@code
 *     Ready=False} (answered, not ok) or {@code Ready=Unknown} (no answer) and is tainted; with the
 *     defaults 30-45 s, about Kubernetes' node grace of 40 s
 * @param summaryInterval how often a ready member's nodes and pods are listed for {@code
 *     status.nodeSummary} and {@code status.resourceSummary} (from the member's watch cache)
 * @param memberQps each member client's rate limit, requests per second
 * @param memberBurst each member client's burst
 * @param failover the gateway's own {@code NoExecute} taint on a cluster not ready for long ({@link
 *     FailoverTaintController})
 */
@ConfigurationProperties("nauta.federation.cluster")
public record ClusterProperties(
    @DefaultValue("10s") Duration probeInterval,
    @DefaultValue("5s") Duration probeTimeout,
    @DefaultValue("3") int failureThreshold,
    @DefaultValue("10s") Duration summaryInterval,
    @DefaultValue("100") double memberQps,
    @DefaultValue("200") int memberBurst,
    @DefaultValue Failover failover) {

  /**
   * Failover by taint ({@code nauta.federation.cluster.failover.*}), as Karmada's cluster
   * controller did behind its {@code Failover} feature gate with {@code
   * --failover-eviction-timeout}.
   *
   * @param enabled whether the gateway taints a cluster {@code NoExecute} once it has been not
   *     ready for {@code evictionTimeout}; off unless enabled (off: the gateway adds none and takes
   *     back those it added)
   * @param evictionTimeout how long a cluster's {@code Ready} condition must have been {@code
   *     False} or {@code Unknown} before the taint (Karmada's default: 5m)
   */
  public record Failover(
      @DefaultValue("false") boolean enabled, @DefaultValue("5m") Duration evictionTimeout) {}
}
