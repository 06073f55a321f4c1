package io.nauta.controllers.app;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every setting of the controller manager, in one place ({@code nauta.controllers.*}).
 *
 * @param server the API server's URL, used when no kubeconfig is given
 * @param kubeconfig a kubeconfig file whose current context names the API server (and token)
 * @param token a bearer token for {@code server}
 * @param workers workers per controller (Kubernetes' --concurrent-*-syncs, default 5)
 * @param leaderElection whether and how replicas elect the one that acts
 * @param nodeMonitorGracePeriod how long a node's Lease may go unrenewed before it is marked {@code
 *     Ready=Unknown} and tainted unreachable (Kubernetes: 40s)
 * @param nodeMonitorPeriod how often the node lifecycle controller checks every node's Lease and
 *     the tolerations of pods on unreachable nodes (Kubernetes' --node-monitor-period: 5s)
 * @param rootCaFile a PEM CA bundle published as {@code ca.crt} of the {@code kube-root-ca.crt}
 *     ConfigMap in every namespace (kube-controller-manager's --root-ca-file); blank publishes none
 * @param clusterSigningCertFile the CA certificate (PEM) the CSR signer issues client certificates
 *     with ({@code kubernetes.io/kube-apiserver-client} and {@code
 *     kubernetes.io/kube-apiserver-client-kubelet}), the API server's client CA
 *     (kube-controller-manager's --cluster-signing-cert-file); blank signs neither. Unlike
 *     upstream, where this one CA signs for every signer unless per-signer files are given instead,
 *     it is the client signers' only: Nauta's serving certificates come from another CA, the server
 *     CA
 * @param clusterSigningKeyFile that CA's private key (PEM)
 * @param clusterSigningKubeletServingCertFile the CA certificate (PEM) that signs node agents'
 *     serving certificates ({@code kubernetes.io/kubelet-serving}): the server CA, which the API
 *     server trusts when it dials an agent (--cluster-signing-kubelet-serving-cert-file); blank
 *     signs none
 * @param clusterSigningKubeletServingKeyFile that CA's private key (PEM)
 * @param clusterSigningDuration the longest validity the signer gives, and the one it gives when a
 *     CSR asks for none (--cluster-signing-duration: a year)
 * @param pvClaimBinderSyncPeriod how often the persistent volume binder syncs every claim and
 *     volume again, whatever events it saw (--pvclaimbinder-sync-period: 15s)
 * @param hpaSyncPeriod how often each HorizontalPodAutoscaler is evaluated
 *     (--horizontal-pod-autoscaler-sync-period: 15s)
 * @param hpaDownscaleStabilization how far back an autoscaler without {@code behavior} looks for a
 *     higher recommendation before it scales down (--horizontal-pod-autoscaler-downscale-
 *     stabilization: 5m)
 * @param hpaCpuInitializationPeriod how long after a pod's start its CPU samples are only trusted
 *     once it is ready (--horizontal-pod-autoscaler-cpu-initialization-period: 5m)
 * @param hpaInitialReadinessDelay after the initialization period, an unready pod whose readiness
 *     last changed within this long of its start is taken as never ready
 *     (--horizontal-pod-autoscaler-initial-readiness-delay: 30s)
 * @param resourceQuotaSyncPeriod how often every quota's usage is recounted from scratch, whatever
 *     events came (--resource-quota-sync-period: 5m)
 * @param terminatedPodGcThreshold how many terminated pods may exist before the pod garbage
 *     collector deletes the oldest (--terminated-pod-gc-threshold: 12500); 0 keeps them all
 * @param podGcCheckPeriod how often the pod garbage collector sweeps (upstream's fixed 20s)
 * @param podGcOrphanQuarantine how long a node must be missing before its pods are deleted, so a
 *     node created a moment ago, or a cache still listing, costs no pod (upstream's fixed 40s)
 */
@ConfigurationProperties("nauta.controllers")
public record ControllersProperties(
    @DefaultValue("http://127.0.0.1:6443") String server,
    @DefaultValue("") String kubeconfig,
    @DefaultValue("") String token,
    @DefaultValue("5") int workers,
    @DefaultValue LeaderElection leaderElection,
    @DefaultValue("40s") Duration nodeMonitorGracePeriod,
    @DefaultValue("5s") Duration nodeMonitorPeriod,
    @DefaultValue("") String rootCaFile,
    @DefaultValue("") String clusterSigningCertFile,
    @DefaultValue("") String clusterSigningKeyFile,
    @DefaultValue("") String clusterSigningKubeletServingCertFile,
    @DefaultValue("") String clusterSigningKubeletServingKeyFile,
    @DefaultValue("8760h") Duration clusterSigningDuration,
    @DefaultValue("15s") Duration pvClaimBinderSyncPeriod,
    @DefaultValue("15s") Duration hpaSyncPeriod,
    @DefaultValue("5m") Duration hpaDownscaleStabilization,
    @DefaultValue("5m") Duration hpaCpuInitializationPeriod,
    @DefaultValue("30s") Duration hpaInitialReadinessDelay,
    @DefaultValue("5m") Duration resourceQuotaSyncPeriod,
    @DefaultValue("12500") int terminatedPodGcThreshold,
    @DefaultValue("20s") Duration podGcCheckPeriod,
    @DefaultValue("40s") Duration podGcOrphanQuarantine) {

  /**
   * @param enabled off runs a single controller manager without a Lease
   * @param leaseNamespace namespace of the Lease
   * @param leaseName name of the Lease
   * @param leaseDuration how long a standby waits after the last renewal before taking over
   * @param renewDeadline how long the leader keeps trying to renew before it steps down
   * @param retryPeriod how often to try to acquire or renew
   */
  public record LeaderElection(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("kube-system") String leaseNamespace,
      @DefaultValue("kube-controller-manager") String leaseName,
      @DefaultValue("15s") Duration leaseDuration,
      @DefaultValue("10s") Duration renewDeadline,
      @DefaultValue("2s") Duration retryPeriod) {}
}
