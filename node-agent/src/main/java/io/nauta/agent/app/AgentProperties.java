package io.nauta.agent.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every setting of the node agent, in one place ({@code nauta.agent.*}).
 *
 * @param server the API server's URL, used when no kubeconfig is given
 * @param kubeconfig a kubeconfig file whose current context names the API server (and token)
 * @param token a bearer token for {@code server}
 * @param runtime the container runtime: {@code simulated} (no containers; pods turn Running after
 *     {@code simulated.start-delay}) or {@code docker} (pods run as containers on the Docker engine
 *     at {@code docker.host}; the agent refuses to start when it does not answer)
 * @param nodes how many nodes this process runs: many simulated ones for scale tests in one JVM (as
 *     kubemark and kwok do), or a few on Docker, each with its own bridge and pod range
 * @param nodeName the node's name when {@code nodes} is 1 (default: this host's name)
 * @param nodeNamePrefix node names are {@code <prefix>-<index>} when {@code nodes} is more than 1
 * @param firstNodeIndex the index of the first node, so several agent processes can share one
 *     cluster without clashing names and pod CIDRs
 * @param clusterCidr the pod network; node {@code i} gets its {@code i}-th {@code /24}, e.g.
 *     10.244.i.0/24 in the default 10.244.0.0/16 (at most 256 nodes; widen it for more)
 * @param nodeIp the node's InternalIP when {@code nodes} is 1; with more, node {@code i} gets the
 *     loopback address 127.1.x.y derived from its index
 * @param cpu the node's cpu capacity (and allocatable)
 * @param memory the node's memory capacity (and allocatable)
 * @param pods how many pods the node takes (Kubernetes' default: 110)
 * @param ephemeralStorage the node's ephemeral-storage capacity
 * @param extendedResources further capacities, e.g. {@code nvidia.com/gpu: 2}
 * @param labels further node labels
 * @param leaseRenewInterval how often each node's Lease in {@code kube-node-lease} is renewed
 *     (kubelet: 10s; a quarter of the lease duration)
 * @param leaseDuration the Lease's {@code leaseDurationSeconds} (kubelet: 40s)
 * @param statusCheckInterval how often the node's status is compared with what it should be and
 *     written when it changed (kubelet's nodeStatusUpdateFrequency: 10s)
 * @param statusReportInterval the node's status is written at least this often, changed or not
 *     (kubelet's nodeStatusReportFrequency)
 * @param workers pod workers: how many pods are synced at once (one at a time per pod). A sync
 *     waiting on Docker or the API server holds no thread, so this is not what bounds the blocking
 *     work: the Docker runtime's thread pools are ({@code docker.call-threads}, {@code
 *     docker.stop-threads}, {@code docker.pull-threads}); it only keeps a node with very many pods
 *     from syncing them all at once
 * @param rootDir the agent's directory on the host, like the kubelet's {@code /var/lib/kubelet}:
 *     the Docker runtime keeps pod volumes (emptyDir, configMap, secret) under {@code
 *     <rootDir>/pods/<uid>/volumes}, where Docker bind-mounts them from, so it must be a path on
 *     the Docker engine's host; they outlive an agent restart and go when their pod is removed.
 *     Provisioned local volumes live under {@code <rootDir>/volumes/<pv name>} ({@link
 *     LocalVolumes}). The agent must be able to create it (as root the default works; {@code
 *     deploy/nauta} passes {@code $NAUTA_HOME/data/agent})
 * @param syncRetryInterval how soon a pod whose ConfigMap, Secret, key or volume is missing is
 *     synced again (the kubelet retries a failed pod sync after about 10 s)
 * @param simulated the simulated runtime's settings
 * @param docker the Docker runtime's settings
 * @param authentication who may call this agent's port (logs): through the API server, or with a
 *     shared token when security is off
 * @param bootstrap how the agent obtains its own identity with a bootstrap token (kubelet's {@code
 *     --bootstrap-kubeconfig})
 * @param dns the pods' resolver configuration ({@link Dns})
 * @param localVolumes the {@code nauta.io/local-volume} provisioner ({@link LocalVolumes})
 * @param stats the sampling of containers' resource usage served at {@code /stats/summary}
 * @param allowedUnsafeSysctls sysctls pods may set beyond Kubernetes' safe set (names, or prefixes
 *     ending in {@code *}, e.g. {@code net.core.*}), the kubelet's {@code
 *     --allowed-unsafe-sysctls}; a pod with another is rejected ({@code SysctlForbidden})
 */
@ConfigurationProperties("nauta.agent")
public record AgentProperties(
    @DefaultValue("http://127.0.0.1:6443") String server,
    @DefaultValue("") String kubeconfig,
    @DefaultValue("") String token,
    @DefaultValue("simulated") String runtime,
    @DefaultValue("1") int nodes,
    @DefaultValue("") String nodeName,
    @DefaultValue("node") String nodeNamePrefix,
    @DefaultValue("0") int firstNodeIndex,
    @DefaultValue("10.244.0.0/16") String clusterCidr,
    @DefaultValue("127.0.0.1") String nodeIp,
    @DefaultValue("4") String cpu,
    @DefaultValue("8Gi") String memory,
    @DefaultValue("110") String pods,
    @DefaultValue("100Gi") String ephemeralStorage,
    @DefaultValue Map<String, String> extendedResources,
    @DefaultValue Map<String, String> labels,
    @DefaultValue("10s") Duration leaseRenewInterval,
    @DefaultValue("40s") Duration leaseDuration,
    @DefaultValue("10s") Duration statusCheckInterval,
    @DefaultValue("1m") Duration statusReportInterval,
    @DefaultValue("256") int workers,
    @DefaultValue("/var/lib/nauta/agent") String rootDir,
    @DefaultValue("10s") Duration syncRetryInterval,
    @DefaultValue Simulated simulated,
    @DefaultValue Docker docker,
    @DefaultValue Authentication authentication,
    @DefaultValue Bootstrap bootstrap,
    @DefaultValue Dns dns,
    @DefaultValue LocalVolumes localVolumes,
    @DefaultValue Stats stats,
    @DefaultValue List<String> allowedUnsafeSysctls) {

  /**
   * The sampling behind {@code /stats/summary} (the kubelet's Summary API, which the API server's
   * metrics scrape): every running container's CPU and memory, every {@code interval}, in the
   * background (metrics-server scrapes every 15 s). Docker containers are read with one one-shot
   * stats call each per interval; simulated ones follow the pod's {@code nauta.io/simulated-usage}
   * annotation ({@link io.nauta.agent.stats.UsageModel}).
   *
   * @param interval how often the containers are sampled
   * @param concurrency Docker stats calls at once, on threads of their own
   */
  public record Stats(
      @DefaultValue("10s") java.time.Duration interval, @DefaultValue("4") int concurrency) {}

  /**
   * The {@code nauta.io/local-volume} provisioner of this agent's nodes (the default StorageClass
   * {@code nauta-local}'s): a claim whose {@code volume.kubernetes.io/selected-node} is one of them
   * gets a directory {@code <root-dir>/volumes/pvc-<claim uid>} and a {@code local}
   * PersistentVolume of that name with node affinity to its node; a Released volume of reclaim
   * policy Delete loses both. On the Docker runtime the directory is real (and bind-mounted into
   * the pods that use the claim); simulated nodes only record their volumes as PersistentVolumes.
   * The claim's size is not enforced (no quota on a plain directory).
   *
   * @param enabled whether the provisioner runs
   * @param workers claims (and volumes) handled at once
   */
  public record LocalVolumes(
      @DefaultValue("true") boolean enabled, @DefaultValue("4") int workers) {}

  /**
   * The pods' resolver configuration on the Docker runtime (the kubelet's {@code --cluster-dns} and
   * {@code --cluster-domain}): pods of {@code dnsPolicy: ClusterFirst} resolve through these
   * servers with the cluster's search domains.
   *
   * @param clusterDns the cluster DNS Service's IPs (the {@code kube-dns} Service); empty: pods
   *     resolve as the node does
   * @param clusterDomain the cluster zone
   */
  public record Dns(
      @DefaultValue("10.96.0.10") List<String> clusterDns,
      @DefaultValue("cluster.local") String clusterDomain) {}

  /**
   * @param startDelay how long a pod's containers stay {@code ContainerCreating} before they run
   */
  public record Simulated(@DefaultValue("0s") Duration startDelay) {}

  /**
   * @param host the engine's address; blank: {@code DOCKER_HOST}, else {@code
   *     unix:///var/run/docker.sock}
   * @param apiVersion the Docker API version to speak, e.g. {@code 1.41}; blank: the system
   *     property {@code api.version} if set, else unversioned requests, which the engine answers
   *     with its own newest version
   * @param sandboxImage the image of each pod's sandbox (it only sleeps); must exist locally
   * @param pollInterval how often the node's containers are listed to notice exits
   * @param pullRegistries registries images may be pulled from, besides any on loopback (e.g.
   *     {@code localhost:5000}, always allowed): {@code docker.io} for Docker Hub, {@code
   *     registry.example.com:5000}. An image of another registry is never pulled, whatever its
   *     {@code imagePullPolicy}: it is used when present and reported {@code ErrImagePull} when
   *     not, so a node without a reachable registry sends no pull out
   * @param callThreads at most this many blocking Docker calls of pod starts and reads (list,
   *     inspect, create, start; exit polling, probes, logs) run at once, across the process's nodes
   * @param stopThreads the same for stopping and removing pods, on a pool of their own, so pods
   *     being torn down never make a start wait for a thread
   * @param pullThreads image pulls at once, on a pool of their own
   */
  public record Docker(
      @DefaultValue("") String host,
      @DefaultValue("") String apiVersion,
      @DefaultValue("nauta/busybox:local") String sandboxImage,
      @DefaultValue("1s") Duration pollInterval,
      @DefaultValue List<String> pullRegistries,
      @DefaultValue("64") int callThreads,
      @DefaultValue("16") int stopThreads,
      @DefaultValue("4") int pullThreads) {}

  /**
   * Who may call this agent's port (container logs, later exec; everything but {@code /healthz},
   * {@code /livez}, {@code /readyz}). Two ways, as the kubelet:
   *
   * <ul>
   *   <li>With security on (the default, when neither {@code token} nor {@code token-file} is set),
   *       as the kubelet's {@code --client-ca-file}, {@code --authentication-token-webhook} and
   *       {@code --authorization-mode=Webhook}: a caller is a client certificate signed by {@code
   *       client-ca-file}, or a bearer token the API server accepts in a {@code TokenReview}; it is
   *       then authorized with a {@code SubjectAccessReview} on {@code nodes/proxy} (or {@code
   *       nodes/log}, {@code nodes/stats}, {@code nodes/metrics}). The port should then be HTTPS
   *       ({@code server.ssl.*}, requesting client certificates).
   *   <li>With security off: the API server's {@code nauta.kubelet.token}, shared with the agent as
   *       {@code token} (or {@code token-file}), guards {@code /containerLogs} alone.
   * </ul>
   *
   * @param token the shared token (security off only)
   * @param tokenFile a file holding it (read at start-up; used when {@code token} is blank)
   * @param clientCaFile the CA whose client certificates authenticate callers (kubelet's {@code
   *     --client-ca-file}); blank: only bearer tokens do
   * @param cacheTtl how long a TokenReview's answer is remembered (kubelet's {@code
   *     --authentication-token-webhook-cache-ttl}: 2 min)
   * @param authorizedTtl how long an allowing SubjectAccessReview is remembered (kubelet's {@code
   *     --authorization-webhook-cache-authorized-ttl}: 5 min)
   * @param unauthorizedTtl how long a denying one is (kubelet: 30 s)
   */
  public record Authentication(
      @DefaultValue("") String token,
      @DefaultValue("") String tokenFile,
      @DefaultValue("") String clientCaFile,
      @DefaultValue("2m") Duration cacheTtl,
      @DefaultValue("5m") Duration authorizedTtl,
      @DefaultValue("30s") Duration unauthorizedTtl) {

    /** Whether the shared token of a set-up without security is used instead of the API server. */
    public boolean sharedToken() {
      return !token.isBlank() || !tokenFile.isBlank();
    }
  }

  /**
   * Joining with a bootstrap token, as the kubelet's {@code --bootstrap-kubeconfig}: when {@code
   * kubeconfig} (the agent's own) is missing or its client certificate is not valid now, the agent
   * asks for a certificate with a CertificateSigningRequest made as the bootstrap kubeconfig's user
   * (signer {@code kubernetes.io/kube-apiserver-client-kubelet}, approved automatically for {@code
   * system:bootstrappers}), and writes its kubeconfig with the issued certificate before it starts.
   * One node per agent: the certificate names {@code system:node:<node>}.
   *
   * @param kubeconfig the bootstrap kubeconfig: the server, its CA and a bootstrap token; blank:
   *     the agent uses its kubeconfig (or server and token) as given
   * @param timeout how long the agent waits for its certificate before it gives up (a request left
   *     for a person to approve waits as long)
   * @param pollInterval how often the pending request is read again
   */
  public record Bootstrap(
      @DefaultValue("") String kubeconfig,
      @DefaultValue("15m") Duration timeout,
      @DefaultValue("1s") Duration pollInterval) {}
}
