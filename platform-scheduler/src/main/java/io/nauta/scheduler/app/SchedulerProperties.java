package io.nauta.scheduler.app;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every setting of the scheduler, in one place ({@code nauta.scheduler.*}).
 *
 * @param server the API server's URL, used when no kubeconfig is given
 * @param kubeconfig a kubeconfig file whose current context names the API server (and token)
 * @param token a bearer token for {@code server}
 * @param name the {@code spec.schedulerName} this scheduler serves; pods naming another scheduler
 *     are left alone
 * @param percentageOfNodesToScore how many nodes to find feasible before scoring, in percent of
 *     all; 0 is Kubernetes' adaptive default (50% down to 5% on big clusters, at least 100 nodes)
 * @param parallelism scheduling attempts in flight; cycles run one at a time, bindings overlap
 * @param initialBackoff first retry delay of a pod that fit nowhere (Kubernetes: 1s)
 * @param maxBackoff longest retry delay (Kubernetes: 10s)
 * @param assumedTtl how long a bound pod counts on its node before the informer confirms it
 * @param leaderElection whether and how replicas elect the one that schedules
 * @param volumeBinding the VolumeBinding plugin's settings
 */
@ConfigurationProperties("nauta.scheduler")
public record SchedulerProperties(
    @DefaultValue("http://127.0.0.1:6443") String server,
    @DefaultValue("") String kubeconfig,
    @DefaultValue("") String token,
    @DefaultValue("default-scheduler") String name,
    @DefaultValue("0") int percentageOfNodesToScore,
    @DefaultValue("16") int parallelism,
    @DefaultValue("1s") Duration initialBackoff,
    @DefaultValue("10s") Duration maxBackoff,
    @DefaultValue("30s") Duration assumedTtl,
    @DefaultValue LeaderElection leaderElection,
    @DefaultValue VolumeBinding volumeBinding) {

  /**
   * @param enabled off runs a single scheduler without a Lease
   * @param leaseNamespace namespace of the Lease
   * @param leaseName the Lease's name; empty means the scheduler's name, so schedulers of different
   *     names never lock each other out
   * @param leaseDuration how long a standby waits after the last renewal before taking over
   * @param renewDeadline how long the leader keeps trying to renew before it steps down
   * @param retryPeriod how often to try to acquire or renew
   */
  public record LeaderElection(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("kube-system") String leaseNamespace,
      @DefaultValue("") String leaseName,
      @DefaultValue("15s") Duration leaseDuration,
      @DefaultValue("10s") Duration renewDeadline,
      @DefaultValue("2s") Duration retryPeriod) {}

  /**
   * @param bindTimeout how long a pod waits, before it is bound, for its WaitForFirstConsumer
   *     claims to be bound (Kubernetes' VolumeBindingArgs bindTimeoutSeconds, 600); then it goes
   *     back to the queue and its claims lose their selected node
   * @param pollInterval how often the wait looks again besides on every claim or volume change
   */
  public record VolumeBinding(
      @DefaultValue("600s") Duration bindTimeout, @DefaultValue("1s") Duration pollInterval) {}
}
