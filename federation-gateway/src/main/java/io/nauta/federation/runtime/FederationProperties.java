package io.nauta.federation.runtime;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The gateway's controller runtime ({@code nauta.federation.*}); each feature documents its own
 * settings beside its code.
 *
 * @param enabled off runs the gateway as a bare API server serving Karmada's kinds, with no
 *     federation controller (tests of the API alone)
 * @param controllers which controllers run, as Karmada's {@code --controllers}: {@code *} all,
 *     {@code -name} all but that one (names: {@link FederationController#name()}); tests of one
 *     controller alone turn the others off
 * @param workers workers per federation controller
 * @param qps the loopback client's rate limit, requests per second ({@code nauta.client.qps} is not
 *     read here: that is the API server's own setting space)
 * @param burst the loopback client's burst
 * @param leaderElection whether and how gateway replicas (on one Redis) elect the one whose
 *     controllers act
 */
@ConfigurationProperties("nauta.federation")
public record FederationProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("*") java.util.List<String> controllers,
    @DefaultValue("5") int workers,
    @DefaultValue("500") double qps,
    @DefaultValue("1000") int burst,
    @DefaultValue LeaderElection leaderElection) {

  /**
   * @param enabled off runs the controllers without a Lease (one gateway replica)
   * @param leaseNamespace namespace of the Lease, in the gateway
   * @param leaseName name of the Lease (Karmada's controller manager's is {@code
   *     karmada-controller-manager})
   * @param leaseDuration how long a standby waits after the last renewal before taking over
   * @param renewDeadline how long the leader keeps trying to renew before it steps down
   * @param retryPeriod how often to try to acquire or renew
   */
  /** Whether the controller of this name runs. */
  public boolean runs(String name) {
    if (controllers.contains("-" + name)) {
      return false;
    }
    return controllers.contains("*") || controllers.contains(name);
  }

  public record LeaderElection(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("kube-system") String leaseNamespace,
      @DefaultValue("karmada-controller-manager") String leaseName,
      @DefaultValue("15s") Duration leaseDuration,
      @DefaultValue("10s") Duration renewDeadline,
      @DefaultValue("2s") Duration retryPeriod) {}
}
