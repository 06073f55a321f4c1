package io.nauta.agent.app;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The agent's service proxy ({@code nauta.agent.service-proxy.*}).
 *
 * @param mode {@code iptables} (kube-proxy's iptables mode: NAT rules on this host, needs root) or
 *     {@code none}; blank: {@code iptables} on the Docker runtime, {@code none} on the simulated
 *     one (its pods have no packets to route)
 * @param minSyncPeriod changes closer together than this are applied in one sync (kube-proxy's
 *     {@code minSyncPeriod})
 * @param syncPeriod every this often the rules are rewritten whether or not anything changed, which
 *     repairs rules and hooks removed by someone else (kube-proxy's {@code syncPeriod})
 * @param peerClusterCidrs the pod networks (IPv4 CIDRs) of other clusters on this host whose pods
 *     this cluster's pods exchange traffic with, both ways and without NAT, as within the cluster
 *     (a federation's members on one machine: {@code deploy/nauta up --federation} gives each
 *     member the others'); empty: the cluster's pods meet no other cluster's
 */
@ConfigurationProperties("nauta.agent.service-proxy")
public record ServiceProxyProperties(
    @DefaultValue("") String mode,
    @DefaultValue("250ms") Duration minSyncPeriod,
    @DefaultValue("30s") Duration syncPeriod,
    @DefaultValue List<String> peerClusterCidrs) {

  private static final Pattern CIDR =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

  public ServiceProxyProperties {
    peerClusterCidrs = List.copyOf(peerClusterCidrs);
    for (String cidr : peerClusterCidrs) {
      if (!ipv4Cidr(cidr)) {
        // Written into iptables rules: only a plain CIDR may go there.
        throw new IllegalArgumentException(
            "nauta.agent.service-proxy.peer-cluster-cidrs: '"
                + cidr
                + "' is not an IPv4 CIDR such as 10.245.0.0/16");
      }
    }
  }

  static boolean ipv4Cidr(String s) {
    Matcher m = CIDR.matcher(s);
    if (!m.matches()) {
      return false;
    }
    for (int i = 1; i <= 4; i++) {
      if (Integer.parseInt(m.group(i)) > 255) {
        return false;
      }
    }
    return Integer.parseInt(m.group(5)) <= 32;
  }
}
