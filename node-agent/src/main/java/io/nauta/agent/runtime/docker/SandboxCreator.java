package io.nauta.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.HostConfig;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Creates a pod's sandbox: a container that only sleeps (the kubelet's pause container) on the
 * node's network with an IP from the node's pod range (on the host's network for {@code
 * hostNetwork}), holding the network and IPC namespaces the pod's containers join, with the pod's
 * host namespaces and sysctls ({@link SecurityContexts#sandbox}).
 */
final class SandboxCreator {

  private static final Log log = LogFactory.getLog(SandboxCreator.class);

  private final DockerClient docker;
  private final DockerContainers containers;
  private final NodeNetwork network;
  private final String node;
  private final String image;
  private final PodDns dns;

  SandboxCreator(
      DockerClient docker,
      DockerContainers containers,
      NodeNetwork network,
      String node,
      String image,
      PodDns dns) {
    this.dns = dns;
    this.docker = docker;
    this.containers = containers;
    this.network = network;
    this.node = node;
    this.image = image;
  }

  /** Creates and starts the sandbox and answers it, inspected. */
  PodContainer create(Pod pod) {
    Map<String, String> labels = DockerLabels.of(pod, node, DockerLabels.SANDBOX, 0);
    labels.put(DockerLabels.RESTART_POLICY, RestartPolicy.of(pod));
    boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
    for (int attempt = 0; ; attempt++) {
      // On the host's network the pod has the node's IP and host name.
      String ip = hostNetwork ? null : network.cidr().allocate();
      try {
        var cmd =
            docker
                .createContainerCmd(image)
                .withName(DockerLabels.containerName(pod, DockerLabels.SANDBOX, 0))
                .withEntrypoint("sleep")
                .withCmd("2147483647")
                .withLabels(labels)
                .withHostConfig(hostConfig(pod));
        if (!hostNetwork) {
          cmd.withHostName(hostName(pod)).withIpv4Address(ip);
        }
        CreateContainerResponse created = cmd.exec();
        containers.start(created.getId());
        writeResolvConf(pod, created.getId());
        PodContainer sandbox = containers.inspect(pod.getMetadata().getUid(), created.getId());
        if (sandbox == null) {
          throw new NotFoundException(
              "sandbox " + created.getId() + " is gone right after its start");
        }
        return sandbox;
      } catch (ConflictException e) {
        // The name exists: a sandbox made by an earlier attempt that was not seen yet.
        release(ip);
        PodContainers existing = containers.ofPod(pod.getMetadata().getUid());
        if (existing != null && existing.sandbox() != null) {
          return existing.sandbox();
        }
        throw e;
      } catch (NotFoundException e) {
        release(ip);
        if (String.valueOf(e.getMessage()).contains("network")) {
          // Someone removed the node's network (docker network prune): make it again next sync.
          network.forget();
        }
        throw e;
      } catch (RuntimeException e) {
        if (attempt < 3 && String.valueOf(e.getMessage()).contains("already in use")) {
          // Taken by something this agent does not know (e.g. a container of another tool).
          continue;
        }
        release(ip);
        throw e;
      }
    }
  }

  private void release(String ip) {
    if (ip != null) {
      network.cidr().release(ip);
    }
  }

  /**
   * The pod's resolv.conf as the kubelet writes it: on a user-defined network Docker names its
   * embedded resolver (127.0.0.11) there, which forwards to the nameservers given at creation but
   * also answers Docker's container names first; so, as dockershim did, the file Docker made for
   * the sandbox (which the pod's containers share, as they share its network namespace) is
   * rewritten with the pod's own nameservers. Where it cannot be (an agent without access to
   * Docker's directory), Docker's resolver stays, forwarding to the same nameservers.
   */
  private void writeResolvConf(Pod pod, String sandboxId) {
    PodDns.Settings settings = dns.settings(pod);
    if (settings.nameservers().isEmpty()) {
      return; // dnsPolicy Default: the node's resolvers, as Docker wrote them
    }
    String path = null;
    try {
      path = docker.inspectContainerCmd(sandboxId).exec().getResolvConfPath();
      if (path == null || path.isEmpty()) {
        return;
      }
      Files.writeString(Path.of(path), ResolvConf.render(settings));
    } catch (IOException | RuntimeException e) {
      log.warn(
          "pod "
              + pod.getMetadata().getNamespace()
              + "/"
              + pod.getMetadata().getName()
              + " keeps Docker's resolver: cannot write "
              + path
              + " ("
              + e
              + ")");
    }
  }

  /**
   * The node's network and the pod's resolver configuration ({@link PodDns}), which the pod's
   * containers share with the sandbox as they share its network namespace; Docker's embedded
   * resolver forwards to these nameservers until {@link #writeResolvConf} names them directly.
   */
  private HostConfig hostConfig(Pod pod) {
    HostConfig host =
        HostConfig.newHostConfig()
            .withNetworkMode(
                Boolean.TRUE.equals(pod.getSpec().getHostNetwork())
                    ? NodeNetwork.HOST
                    : network.name());
    SecurityContexts.sandbox(pod, host);
    PodDns.Settings settings = dns.settings(pod);
    if (!settings.nameservers().isEmpty()) {
      host.withDns(settings.nameservers());
    }
    if (!settings.searches().isEmpty()) {
      host.withDnsSearch(settings.searches());
    }
    if (!settings.options().isEmpty()) {
      host.withDnsOptions(settings.options());
    }
    return host;
  }

  /** {@code spec.hostname} if set (a StatefulSet's pods), else the pod's name, as the kubelet. */
  private static String hostName(Pod pod) {
    String name = pod.getMetadata().getName();
    if (pod.getSpec() != null
        && pod.getSpec().getHostname() != null
        && !pod.getSpec().getHostname().isEmpty()) {
      name = pod.getSpec().getHostname();
    }
    return name.length() > 63 ? name.substring(0, 63) : name;
  }
}
