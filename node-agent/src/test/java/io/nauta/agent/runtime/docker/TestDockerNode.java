package io.nauta.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A node name and a pod {@code /24} of 10.244.0.0/16 that no other Docker network on the engine
 * uses, so two test runs sharing one Docker engine (a helper's run beside CI) never meet on one
 * network or address. The name is {@code <prefix>-<4 hex digits>}; the index is drawn at random
 * from 100–250 among those no existing network's subnet covers. Everything the test creates on
 * Docker carries {@code io.nauta.node=<name>} and {@link #cleanUp} removes it.
 */
public record TestDockerNode(String name, int index) {

  private static final int FIRST_INDEX = 100;
  private static final int LAST_INDEX = 250;

  public static TestDockerNode reserve(DockerClient docker, String prefix) {
    return reserve(docker, prefix, 1);
  }

  /**
   * {@code count} consecutive free {@code /24}s, for an agent running that many nodes: it names
   * them {@code <name>-<index + i>} ({@code nauta.agent.node-name-prefix=<name>}, {@code
   * first-node-index=<index>}); {@link #nth} gives each one.
   */
  public static TestDockerNode reserve(DockerClient docker, String prefix, int count) {
    Set<Integer> taken = new HashSet<>();
    for (Network n : docker.listNetworksCmd().exec()) {
      if (n.getIpam() == null || n.getIpam().getConfig() == null) {
        continue;
      }
      for (Network.Ipam.Config c : n.getIpam().getConfig()) {
        String subnet = c.getSubnet();
        if (subnet != null && subnet.startsWith("10.244.")) {
          taken.add(Integer.parseInt(subnet.split("\\.")[2]));
        }
      }
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 1000; attempt++) {
      int index = random.nextInt(FIRST_INDEX, LAST_INDEX + 2 - count);
      int first = index;
      if (java.util.stream.IntStream.range(first, first + count).noneMatch(taken::contains)) {
        return new TestDockerNode(
            prefix + "-" + String.format("%04x", random.nextInt(0x10000)), index);
      }
    }
    throw new IllegalStateException("no free /24 in 10.244." + FIRST_INDEX + "–" + LAST_INDEX);
  }

  /** The i-th node of an agent that runs several, as it names it. */
  public TestDockerNode nth(int i) {
    return new TestDockerNode(name + "-" + (index + i), index + i);
  }

  /** The network's address prefix, e.g. {@code 10.244.173.}. */
  public String ipPrefix() {
    return "10.244." + index + ".";
  }

  /** Containers (any state) labelled with this node. */
  public List<Container> containers(DockerClient docker) {
    return docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(DockerLabels.NODE, name))
        .exec();
  }

  /** Removes this node's containers, its volumes (emptyDir on tmpfs) and its network. */
  public void cleanUp(DockerClient docker) {
    for (Container c : containers(docker)) {
      docker.removeContainerCmd(c.getId()).withForce(true).exec();
    }
    var volumes =
        docker
            .listVolumesCmd()
            .withFilter("label", List.of(DockerLabels.NODE + "=" + name))
            .exec()
            .getVolumes();
    if (volumes != null) {
      volumes.forEach(v -> docker.removeVolumeCmd(v.getName()).exec());
    }
    docker.listNetworksCmd().withNameFilter("nauta-" + name).exec().stream()
        .filter(n -> n.getName().equals("nauta-" + name))
        .forEach(n -> removeNetwork(docker, n.getId()));
  }

  /**
   * Docker 20.10 now and then refuses to remove an empty network ("has active endpoints", moby
   * #42119). A leftover network only holds its /24, which {@link #reserve} then skips: not a reason
   * to fail the test that used it.
   */
  private static void removeNetwork(DockerClient docker, String id) {
    try {
      docker.removeNetworkCmd(id).exec();
    } catch (RuntimeException e) {
      System.err.println("TestDockerNode: could not remove network " + id + ": " + e.getMessage());
    }
  }
}
