package io.nauta.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Network;
import io.nauta.agent.runtime.PodCidr;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The node's bridge network {@code nauta-<node>} on its pod range (gateway {@code .1}), and the
 * sandboxes' addresses on it.
 */
final class NodeNetwork {

  private static final Log log = LogFactory.getLog(NodeNetwork.class);

  /** Docker's network mode of a container on the host's network. */
  static final String HOST = "host";

  private final DockerClient docker;
  private final DockerContainers containers;
  private final String node;
  private final PodCidr cidr;
  private final String name;
  private final String hostIp;
  private volatile boolean ready;

  /**
   * @param hostIp the node's IP: the pod IP of a pod on the host's network ({@code hostNetwork})
   */
  NodeNetwork(
      DockerClient docker, DockerContainers containers, String node, PodCidr cidr, String hostIp) {
    this.docker = docker;
    this.hostIp = hostIp;
    this.containers = containers;
    this.node = node;
    this.cidr = cidr;
    this.name = "nauta-" + node;
  }

  String name() {
    return name;
  }

  PodCidr cidr() {
    return cidr;
  }

  /** Creates the network if missing and takes the IPs of existing sandboxes; once. */
  void ensure() {
    if (ready) {
      return;
    }
    synchronized (this) {
      if (ready) {
        return;
      }
      boolean exists =
          docker.listNetworksCmd().withNameFilter(name).exec().stream()
              .anyMatch(n -> name.equals(n.getName()));
      if (!exists) {
        try {
          docker
              .createNetworkCmd()
              .withName(name)
              .withDriver("bridge")
              .withCheckDuplicate(true)
              .withIpam(
                  new Network.Ipam()
                      .withConfig(
                          new Network.Ipam.Config()
                              .withSubnet(cidr.cidr())
                              .withGateway(cidr.gateway())))
              .withLabels(Map.of(DockerLabels.NODE, node))
              .exec();
          log.info("created Docker network " + name + " on " + cidr.cidr());
        } catch (ConflictException e) {
          // Another agent instance created it meanwhile.
        }
      }
      for (Container c :
          containers.list(
              Map.of(DockerLabels.NODE, node, DockerLabels.CONTAINER_NAME, DockerLabels.SANDBOX))) {
        String ip = ip(c);
        if (ip != null) {
          cidr.reserve(ip);
        }
      }
      ready = true;
    }
  }

  /** The network is gone (removed behind the agent's back): the next {@link #ensure} makes it. */
  void forget() {
    ready = false;
  }

  /**
   * Takes a stopped sandbox off the network, freeing its address in Docker; true when it is off
   * (also when it was not on it).
   */
  boolean disconnect(String containerId) {
    try {
      docker
          .disconnectFromNetworkCmd()
          .withNetworkId(name)
          .withContainerId(containerId)
          .withForce(true)
          .exec();
      return true;
    } catch (NotFoundException e) {
      return true;
    } catch (RuntimeException e) {
      log.warn("could not take container " + containerId + " off network " + name + ": " + e);
      return false;
    }
  }

  /** A pod's IP from its sandbox: its address on the network, or the node's on the host's. */
  String podIp(Container c) {
    return c.getHostConfig() != null && HOST.equals(c.getHostConfig().getNetworkMode())
        ? hostIp
        : ip(c);
  }

  /** A pod's IP from its sandbox: its address on the network, or the node's on the host's. */
  String podIp(InspectContainerResponse c) {
    return c.getHostConfig() != null && HOST.equals(c.getHostConfig().getNetworkMode())
        ? hostIp
        : ip(c);
  }

  /** A sandbox's address on the network, or null. */
  String ip(Container c) {
    if (c.getNetworkSettings() == null || c.getNetworkSettings().getNetworks() == null) {
      return null;
    }
    return address(c.getNetworkSettings().getNetworks().get(name));
  }

  /** A sandbox's address on the network, or null. */
  String ip(InspectContainerResponse c) {
    if (c.getNetworkSettings() == null || c.getNetworkSettings().getNetworks() == null) {
      return null;
    }
    return address(c.getNetworkSettings().getNetworks().get(name));
  }

  private static String address(ContainerNetwork n) {
    return n == null || n.getIpAddress() == null || n.getIpAddress().isBlank()
        ? ipamAddress(n)
        : n.getIpAddress();
  }

  /** A stopped sandbox has no address on the network, but keeps the one it was given. */
  private static String ipamAddress(ContainerNetwork n) {
    return n == null || n.getIpamConfig() == null ? null : n.getIpamConfig().getIpv4Address();
  }
}
