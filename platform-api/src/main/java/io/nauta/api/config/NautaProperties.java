package io.nauta.api.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every setting of the API server, in one place ({@code nauta.*}).
 *
 * @param redis where desired state lives
 * @param watch how much watch history is kept and how watches behave
 * @param maxRequestBytes the largest request body accepted (Kubernetes: 3 MiB)
 * @param services where service cluster IPs and node ports come from
 * @param kubelet how the API server reaches node agents (for {@code pods/log})
 */
@ConfigurationProperties("nauta")
public record NautaProperties(
    @DefaultValue Redis redis,
    @DefaultValue Watch watch,
    @DefaultValue("3145728") long maxRequestBytes,
    @DefaultValue Services services,
    @DefaultValue Kubelet kubelet) {

  /**
   * @param token the bearer token sent to node agents, which they check against their {@code
   *     nauta.agent.authentication.token}; without one (nor {@code token-file}) agents refuse to
   *     serve logs
   * @param tokenFile a file holding the token (read at start-up; used when {@code token} is blank)
   * @param port the agent port used for a node that does not report {@code
   *     status.daemonEndpoints.kubeletEndpoint.Port} (Kubernetes' --kubelet-port)
   * @param connectTimeout how long connecting to an agent may take
   */
  public record Kubelet(
      @DefaultValue("") String token,
      @DefaultValue("") String tokenFile,
      @DefaultValue("10250") int port,
      @DefaultValue("5s") Duration connectTimeout) {}

  /**
   * @param clusterIpRange the IPv4 CIDR service cluster IPs are allocated from (Kubernetes'
   *     --service-cluster-ip-range); its network and broadcast addresses are never handed out
   * @param nodePortRange the ports NodePort and LoadBalancer services get node ports from
   *     (Kubernetes' --service-node-port-range)
   * @param repairInterval how often allocations are reconciled with the stored services (values no
   *     service uses are freed, values services use but the pool lost are marked again)
   */
  public record Services(
      @DefaultValue("10.96.0.0/16") String clusterIpRange,
      @DefaultValue("30000-32767") String nodePortRange,
      @DefaultValue("60s") Duration repairInterval) {}

  /**
   * @param url {@code redis://host:port}, or a Sentinel-managed Redis as {@code
   *     redis-sentinel://host:26379,host:26380/0#mymaster} (Sentinels and the master's name); empty
   *     (and no {@code sentinel.master}) starts an embedded redis-server
   * @param sentinel a Sentinel-managed Redis given as separate settings instead of {@code url}
   * @param embeddedDir working directory of the embedded redis-server (AOF and logs)
   * @param embeddedPort port of the embedded redis-server; 0 picks a free one
   * @param commandTimeout how long one Redis command may take before the request fails (a write
   *     with 504 Timeout: it may or may not have happened)
   * @param requestQueueSize at most this many commands wait for a connection that is down (they
   *     fail after {@code command-timeout}); beyond it new commands fail at once
   * @param keepAliveIdle TCP keepalive on the Redis connections: probes start after this much
   *     silence, so a connection whose peer vanished is noticed and reopened
   */
  public record Redis(
      @DefaultValue("") String url,
      @DefaultValue Sentinel sentinel,
      @DefaultValue(".nauta/data") String embeddedDir,
      @DefaultValue("0") int embeddedPort,
      @DefaultValue("10s") Duration commandTimeout,
      @DefaultValue("10000") int requestQueueSize,
      @DefaultValue("30s") Duration keepAliveIdle) {}

  /**
   * Redis behind Redis Sentinel: Nauta asks the Sentinels where the master is whenever it
   * (re)connects, so it follows a failover without a restart.
   *
   * @param master the name the Sentinels monitor the master under ({@code sentinel monitor <name>
   *     ...}); empty: no Sentinel
   * @param nodes the Sentinels, {@code host:port} each (port 26379 if left out)
   * @param password the password of the Redis master and replicas (not of the Sentinels); empty for
   *     none
   * @param database the database number on the master
   * @param checkInterval how often Nauta checks that its connection is on the master the Sentinels
   *     name, and moves it there if not (an old master that still runs refuses writes until the
   *     Sentinels demote it)
   */
  public record Sentinel(
      @DefaultValue("") String master,
      @DefaultValue("") java.util.List<String> nodes,
      @DefaultValue("") String password,
      @DefaultValue("0") int database,
      @DefaultValue("1s") Duration checkInterval) {}

  /**
   * @param historyWindow how long watch events are kept; a watch from an older resourceVersion gets
   *     410 Expired (Kubernetes keeps about 5 minutes)
   * @param historyMaxEvents at most this many events per type are kept, whatever their age
   * @param bookmarkInterval how often a watch that asked for bookmarks gets one
   * @param consistentReadTimeout how long a list or watch waits for the cache to reach its
   *     resourceVersion before it answers 504 "Too large resource version" (Kubernetes waits 3 s)
   * @param maxWatcherBacklog events queued for one slow watcher before it is closed
   */
  public record Watch(
      @DefaultValue("5m") Duration historyWindow,
      @DefaultValue("100000") int historyMaxEvents,
      @DefaultValue("60s") Duration bookmarkInterval,
      @DefaultValue("3s") Duration consistentReadTimeout,
      @DefaultValue("10000") int maxWatcherBacklog) {}
}
