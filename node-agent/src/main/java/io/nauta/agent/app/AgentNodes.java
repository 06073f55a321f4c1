package io.nauta.agent.app;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.nauta.agent.node.AgentNode;
import io.nauta.agent.runtime.ContainerRuntime;
import io.nauta.agent.runtime.PodCidr;
import io.nauta.agent.runtime.PodEvents;
import io.nauta.agent.runtime.PodInputs;
import io.nauta.agent.runtime.SimulatedRuntime;
import io.nauta.agent.runtime.docker.DockerClients;
import io.nauta.agent.runtime.docker.DockerRuntime;
import io.nauta.agent.runtime.docker.DockerThreads;
import io.nauta.agent.runtime.docker.PodDns;
import io.nauta.agent.runtime.docker.PodSetup;
import io.nauta.core.component.ComponentProbes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The nodes this process runs, built from the settings: names, addresses, pod ranges, runtimes.
 *
 * @param docker the Docker client the nodes' runtimes share, or null on the simulated runtime;
 *     closed with the nodes (the containers keep running, as they do when the kubelet stops)
 */
public record AgentNodes(List<AgentNode> all, DockerClient docker) implements AutoCloseable {

  public AgentNodes {
    all = List.copyOf(all);
  }

  public AgentNodes(List<AgentNode> all) {
    this(all, null);
  }

  /**
   * The node's {@code containerRuntimeVersion}, as kubectl's {@code get nodes -o wide} shows it:
   * {@code docker://<engine version>}, or {@code simulated://<this agent's version>}.
   */
  public String runtimeVersion() {
    if (docker == null) {
      String version = AgentNodes.class.getPackage().getImplementationVersion();
      return "simulated://" + (version == null ? "dev" : version);
    }
    try {
      return "docker://" + docker.versionCmd().exec().getVersion();
    } catch (RuntimeException e) {
      return "docker://unknown";
    }
  }

  @Override
  public void close() throws IOException {
    if (docker != null) {
      docker.close();
    }
  }

  /**
   * @param events the events of the pods on one node (by node name), as its kubelet records them
   */
  public static AgentNodes create(
      AgentProperties props, Clock clock, Function<String, PodEvents> events) {
    return create(props, clock, events, PodInputs.NONE);
  }

  /**
   * @param events the events of the pods on one node (by node name), as its kubelet records them
   * @param inputs where the Docker runtime reads the ConfigMaps, Secrets and Services of pods
   */
  public static AgentNodes create(
      AgentProperties props, Clock clock, Function<String, PodEvents> events, PodInputs inputs) {
    if (props.nodes() < 1) {
      throw new IllegalArgumentException("nauta.agent.nodes must be at least 1: " + props.nodes());
    }
    String runtime = props.runtime().trim().toLowerCase();
    DockerClient docker =
        switch (runtime) {
          case "simulated" -> null;
          case "docker" -> docker(props.docker());
          default ->
              throw new UnsupportedRuntimeException(
                  "nauta.agent.runtime must be simulated or docker, not '" + props.runtime() + "'");
        };
    DockerThreads threads =
        docker == null
            ? null
            : DockerThreads.of(
                props.docker().callThreads(),
                props.docker().stopThreads(),
                props.docker().pullThreads());
    List<AgentNode> nodes = new ArrayList<>();
    for (int n = 0; n < props.nodes(); n++) {
      int index = props.firstNodeIndex() + n;
      String name = name(props, index);
      String ip = props.nodes() == 1 ? props.nodeIp() : loopback(index);
      PodCidr cidr = PodCidr.nth(props.clusterCidr(), index);
      ContainerRuntime rt =
          docker == null
              ? new SimulatedRuntime(
                  cidr,
                  props.simulated().startDelay(),
                  clock,
                  inputs,
                  events.apply(name),
                  props.syncRetryInterval())
              : new DockerRuntime(
                  docker,
                  name,
                  cidr,
                  props.docker().sandboxImage(),
                  props.docker().pollInterval(),
                  clock,
                  events.apply(name),
                  new PodSetup(
                      inputs,
                      Path.of(props.rootDir()),
                      ip,
                      props.syncRetryInterval(),
                      props.docker().pullRegistries(),
                      new PodDns(props.dns().clusterDns(), props.dns().clusterDomain())),
                  threads);
      nodes.add(new AgentNode(name, ip, cidr, rt));
    }
    return new AgentNodes(nodes, docker);
  }

  /** A client for the engine, which must answer now: a runtime without one runs no pod. */
  private static DockerClient docker(AgentProperties.Docker settings) {
    DockerClient client = DockerClients.connect(settings.host(), settings.apiVersion());
    String where =
        settings.host().isBlank() ? "DOCKER_HOST or the default socket" : settings.host();
    try {
      client.pingCmd().exec();
      client.inspectImageCmd(settings.sandboxImage()).exec();
    } catch (NotFoundException e) {
      throw new UnsupportedRuntimeException(
          "nauta.agent.runtime=docker: the sandbox image "
              + settings.sandboxImage()
              + " is not on the Docker engine; build it with deploy/images/build.sh (no registry"
              + " is reachable) or set nauta.agent.docker.sandbox-image");
    } catch (RuntimeException e) {
      throw new UnsupportedRuntimeException(
          "nauta.agent.runtime=docker: no Docker engine answers at "
              + where
              + " ("
              + e.getMessage()
              + "); start dockerd, set nauta.agent.docker.host, or use"
              + " nauta.agent.runtime=simulated");
    }
    return client;
  }

  /** The name of the node an agent of one node runs. */
  public static String singleNodeName(AgentProperties props) {
    return name(props, props.firstNodeIndex());
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
