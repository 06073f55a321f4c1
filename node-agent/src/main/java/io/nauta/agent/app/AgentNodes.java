package io.nauta.agent.app;

import io.nauta.agent.node.AgentNode;
import io.nauta.agent.runtime.ContainerRuntime;
import io.nauta.agent.runtime.PodCidr;
import io.nauta.agent.runtime.SimulatedRuntime;
import io.nauta.core.component.ComponentProbes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The nodes this process runs, built from the settings: names, addresses, pod ranges, runtimes. */
public record AgentNodes(List<AgentNode> all) {

  public AgentNodes {
    all = List.copyOf(all);
  }

  public static AgentNodes create(AgentProperties props, Clock clock) {
    if (props.nodes() < 1) {
      throw new IllegalArgumentException("nauta.agent.nodes must be at least 1: " + props.nodes());
    }
    String runtime = props.runtime().trim().toLowerCase();
    switch (runtime) {
      case "simulated" -> {}
      case "docker" ->
          throw new UnsupportedRuntimeException(
              "nauta.agent.runtime=docker: the Docker runtime is not implemented yet; use"
                  + " nauta.agent.runtime=simulated (pods run no containers)");
      default ->
          throw new UnsupportedRuntimeException(
              "nauta.agent.runtime must be simulated or docker, not '" + props.runtime() + "'");
    }
    List<AgentNode> nodes = new ArrayList<>();
    for (int n = 0; n < props.nodes(); n++) {
      int index = props.firstNodeIndex() + n;
      String name = name(props, index);
      String ip = props.nodes() == 1 ? props.nodeIp() : loopback(index);
      PodCidr cidr = PodCidr.nth(props.clusterCidr(), index);
      ContainerRuntime rt = new SimulatedRuntime(cidr, props.simulated().startDelay(), clock);
      nodes.add(new AgentNode(name, ip, cidr, rt));
    }
    return new AgentNodes(nodes);
  }

  private static String name(AgentProperties props, int index) {
    if (props.nodes() == 1) {
      if (!props.nodeName().isBlank()) {
        return props.nodeName();
      }
      return ComponentProbes.hostName().toLowerCase();
    }
    return props.nodeNamePrefix() + "-" + index;
  }

  /** 127.1.x.y for node i: on loopback, so the address is this machine's and distinct per node. */
  private static String loopback(int index) {
    int host = index + 1;
    return "127." + (1 + host / 65536) + "." + ((host / 256) % 256) + "." + (host % 256);
  }
}
