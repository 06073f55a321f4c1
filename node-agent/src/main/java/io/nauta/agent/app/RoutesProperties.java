package io.nauta.agent.app;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The agent's host-gw routes to other nodes' pod ranges ({@code nauta.agent.routes.*}).
 *
 * @param enabled whether the agent keeps them: blank means yes on the Docker runtime; the simulated
 *     runtime never does (its nodes have no bridges). They need root and nodes on one L2 segment
 *     (or routes between them).
 * @param protocol the {@code proto} number of {@code ip route} that marks the agent's routes (1 to
 *     255, not one the kernel or a routing daemon on this host uses): it lists and removes only
 *     routes with it
 * @param minSyncPeriod Node changes closer together than this are applied in one sync
 * @param syncPeriod every this often the routes are compared with the Nodes whether or not anything
 *     changed, which repairs routes removed by someone else
 */
@ConfigurationProperties("nauta.agent.routes")
public record RoutesProperties(
    @DefaultValue("") String enabled,
    @DefaultValue("197") int protocol,
    @DefaultValue("200ms") Duration minSyncPeriod,
    @DefaultValue("30s") Duration syncPeriod) {

  public RoutesProperties {
    if (protocol < 1 || protocol > 255) {
      throw new IllegalArgumentException(
          "nauta.agent.routes.protocol must be 1 to 255, not " + protocol);
    }
  }
}
