package io.nauta.agent.app;

import java.time.Duration;
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
 */
@ConfigurationProperties("nauta.agent.service-proxy")
public record ServiceProxyProperties(
    @DefaultValue("") String mode,
    @DefaultValue("250ms") Duration minSyncPeriod,
    @DefaultValue("30s") Duration syncPeriod) {}
