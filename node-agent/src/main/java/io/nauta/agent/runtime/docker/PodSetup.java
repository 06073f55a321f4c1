package io.nauta.agent.runtime.docker;

import io.nauta.agent.runtime.PodInputs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a node's pods get beyond their images: the API objects their env and volumes come from,
 * where their volumes live, and how the runtime deals with what is not there yet.
 *
 * @param inputs where ConfigMaps, Secrets and Services are read
 * @param rootDir the agent's directory on the host (the kubelet's {@code /var/lib/kubelet}): pod
 *     volumes live under {@code <rootDir>/pods/<uid>/volumes}
 * @param hostIp the node's IP, for {@code status.hostIP} in the downward API
 * @param retryInterval how soon a pod whose ConfigMap, Secret or volume is missing is synced again
 *     (the kubelet retries a failed sync after about 10 s)
 * @param pullRegistries registries images may be pulled from besides those on loopback, e.g. {@code
 *     registry.example.com:5000} ({@code docker.io} for Docker Hub); images of any other registry
 *     are never pulled, only used when present
 * @param dns the pods' resolver configuration (the kubelet's cluster DNS and domain)
 */
public record PodSetup(
    PodInputs inputs,
    Path rootDir,
    String hostIp,
    Duration retryInterval,
    List<String> pullRegistries,
    PodDns dns) {

  public PodSetup {
    pullRegistries = List.copyOf(pullRegistries);
  }

  /** Pods without a cluster DNS: they resolve as the node does. */
  public PodSetup(
      PodInputs inputs,
      Path rootDir,
      String hostIp,
      Duration retryInterval,
      List<String> pullRegistries) {
    this(inputs, rootDir, hostIp, retryInterval, pullRegistries, PodDns.none());
  }

  /** No API objects, volumes under {@code rootDir}, nothing pulled but from loopback. */
  public static PodSetup offline(Path rootDir, String hostIp) {
    return new PodSetup(PodInputs.NONE, rootDir, hostIp, Duration.ofSeconds(10), List.of());
  }
}
