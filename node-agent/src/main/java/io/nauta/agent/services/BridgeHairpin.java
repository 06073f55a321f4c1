package io.nauta.agent.services;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns on hairpin mode on every port of the nodes' Docker bridges. A pod that reaches its own
 * service may be sent to itself: the DNAT happens on the bridge (br_netfilter), which then must
 * send the frame back out of the port it came in on, and a bridge does that only in hairpin mode
 * (the kubelet's {@code --hairpin-mode=hairpin-veth} does the same). Docker leaves it off.
 */
public final class BridgeHairpin {

  private final DockerClient docker;
  private final List<String> networks;
  private final Path sysClassNet;
  private final Map<String, String> bridges = new ConcurrentHashMap<>();

  /**
   * @param networks the Docker networks of the nodes, e.g. {@code nauta-node-0}
   */
  public BridgeHairpin(DockerClient docker, List<String> networks) {
    this(docker, networks, Path.of("/sys/class/net"));
  }

  BridgeHairpin(DockerClient docker, List<String> networks, Path sysClassNet) {
    this.docker = docker;
    this.networks = List.copyOf(networks);
    this.sysClassNet = sysClassNet;
  }

  /** Sets hairpin mode where it is off; returns how many ports changed. */
  public int apply() {
    int changed = 0;
    for (String network : networks) {
      String bridge = bridge(network);
      if (bridge == null) {
        continue;
      }
      Path ports = sysClassNet.resolve(bridge).resolve("brif");
      if (!Files.isDirectory(ports)) {
        bridges.remove(network); // the network may have been made again, with another id
        continue;
      }
      try (DirectoryStream<Path> dir = Files.newDirectoryStream(ports)) {
        for (Path port : dir) {
          Path mode = port.resolve("hairpin_mode");
          if (Files.exists(mode) && !"1".equals(Files.readString(mode).trim())) {
            Files.writeString(mode, "1");
            changed++;
          }
        }
      } catch (IOException e) {
        // A port that went away meanwhile; the next sync looks again.
      }
    }
    return changed;
  }

  /** The bridge device of a network: Docker names it br-<first 12 of the id> unless told. */
  private String bridge(String network) {
    String known = bridges.get(network);
    if (known != null) {
      return known;
    }
    try {
      Network n = docker.inspectNetworkCmd().withNetworkId(network).exec();
      String name =
          n.getOptions() != null && n.getOptions().get("com.docker.network.bridge.name") != null
              ? n.getOptions().get("com.docker.network.bridge.name")
              : "br-" + n.getId().substring(0, 12);
      bridges.put(network, name);
      return name;
    } catch (NotFoundException e) {
      return null; // created with the node's first pod
    }
  }
}
