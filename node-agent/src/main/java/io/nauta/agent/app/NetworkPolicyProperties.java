package io.nauta.agent.app;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The agent's NetworkPolicy enforcement ({@code nauta.agent.network-policy.*}).
 *
 * @param mode {@code iptables} (per-pod chains in this host's filter table, needs root), {@code
 *     record} (computed and logged, nothing enforced) or {@code none}; blank: {@code iptables} on
 *     the Docker runtime, {@code record} on the simulated one (its pods have no packets to filter)
 * @param minSyncPeriod changes closer together than this are applied in one sync
 * @param syncPeriod every this often the rules are rewritten whether or not anything changed, which
 *     repairs rules and the FORWARD jump removed by someone else
 */
@ConfigurationProperties("nauta.agent.network-policy")
public record NetworkPolicyProperties(
    @DefaultValue("") String mode,
    @DefaultValue("200ms") Duration minSyncPeriod,
    @DefaultValue("30s") Duration syncPeriod) {}
