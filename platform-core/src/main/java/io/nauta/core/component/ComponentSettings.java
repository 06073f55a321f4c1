package io.nauta.core.component;

import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.ClientRateLimit;
import io.nauta.core.leaderelection.LeaderElectionConfig;
import java.util.Objects;

/**
 * What a component tells the shared {@link ComponentConfiguration} about itself: its name (in
 * logs), the API server it talks to, and its lease when it elects a leader.
 *
 * @param component the component's name, e.g. {@code controller-manager}
 * @param client where the API server is and how to authenticate to it
 * @param leaderElection the lease to campaign for; {@code null} when every replica works (the node
 *     agent) or election is turned off
 * @param rateLimit the component's own default for its client's rate limit
 *     (kube-controller-manager's {@code --kube-api-qps}/{@code --kube-api-burst}); {@code
 *     nauta.client.qps} and {@code nauta.client.burst} override it ({@link ClientProperties})
 */
public record ComponentSettings(
    String component,
    ClientConfig client,
    LeaderElectionConfig leaderElection,
    ClientRateLimit rateLimit) {

  public ComponentSettings {
    Objects.requireNonNull(component, "component");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(rateLimit, "rateLimit");
  }

  /** A component whose work runs in every replica, without a lease. */
  public static ComponentSettings withoutLeaderElection(
      String component, ClientConfig client, ClientRateLimit rateLimit) {
    return new ComponentSettings(component, client, null, rateLimit);
  }
}
