package io.nauta.agent.it;

import io.nauta.agent.NautaAgent;
import io.nauta.api.support.TestApiServer;
import io.nauta.controllers.NautaControllers;
import io.nauta.core.client.KubeClient;
import io.nauta.scheduler.NautaScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What node agents need to run pods in a test: an API server on an empty Redis, the scheduler and
 * the controller manager (without leader election) in this JVM, and a client for the test. Cluster
 * IPs come from a random 10.97.x.0/24 and node ports from a random window of 100: agents on Docker
 * program them into this host's iptables, so two test runs on one machine must not share them.
 */
final class ControlPlane implements AutoCloseable {

  final TestApiServer api;
  final KubeClient client;
  private final List<ConfigurableApplicationContext> components = new ArrayList<>();

  private ControlPlane(TestApiServer api) {
    this.api = api;
    this.client = api.kubeClient();
  }

  /**
   * @param apiProperties extra API server properties ({@code name=value}), e.g. the kubelet token
   */
  static ControlPlane start(String... apiProperties) {
    return start(List.of(), apiProperties);
  }

  /**
   * @param controllerSettings extra controller manager settings ({@code --name=value})
   * @param apiProperties extra API server properties ({@code name=value})
   */
  static ControlPlane start(List<String> controllerSettings, String... apiProperties) {
    ControlPlane plane = apiOnly(apiProperties);
    try {
      // Each component with its own identity, as deploy/nauta starts them.
      List<String> scheduler = new ArrayList<>(List.of("--server.port=0"));
      scheduler.addAll(plane.api.schedulerArgs());
      scheduler.add("--nauta.scheduler.leader-election.enabled=false");
      plane.components.add(NautaScheduler.application().run(scheduler.toArray(String[]::new)));
      List<String> controllers = new ArrayList<>(List.of("--server.port=0"));
      controllers.addAll(plane.api.controllerManagerArgs());
      controllers.add("--nauta.controllers.leader-election.enabled=false");
      controllers.addAll(controllerSettings);
      plane.components.add(NautaControllers.application().run(controllers.toArray(String[]::new)));
    } catch (RuntimeException e) {
      plane.close();
      throw e;
    }
    return plane;
  }

  /**
   * The API server alone, for tests whose pods name their node and need no controller (no service
   * account token either: {@code automountServiceAccountToken: false}).
   */
  static ControlPlane apiOnly(String... apiProperties) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int ports = 30000 + 100 * random.nextInt(27);
    List<String> props =
        new ArrayList<>(
            List.of(
                "server.shutdown=immediate",
                "nauta.services.cluster-ip-range=10.97." + random.nextInt(256) + ".0/24",
                "nauta.services.node-port-range=" + ports + "-" + (ports + 99)));
    props.addAll(List.of(apiProperties));
    return new ControlPlane(TestApiServer.startOnEmptyRedis(props.toArray(String[]::new)));
  }

  String url() {
    return api.url();
  }

  /**
   * A node agent on the Docker runtime, in this JVM, reporting to this API server on the engine's
   * API version (the {@code api.version} system property).
   *
   * @param settings its other settings ({@code --name=value}): node name, pod range, intervals
   */
  ConfigurableApplicationContext startDockerAgent(String... settings) {
    // One node: that node's identity; several nodes in one agent: the node simulator's.
    String node =
        List.of(settings).stream()
            .filter(s -> s.startsWith("--nauta.agent.node-name="))
            .map(s -> s.substring("--nauta.agent.node-name=".length()))
            .findFirst()
            .orElse(null);
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                node != null ? api.agentArg(node) : api.simulatedNodesAgentArg(),
                "--nauta.agent.runtime=docker",
                "--nauta.agent.docker.api-version=" + System.getProperty("api.version", "")));
    args.addAll(api.agentServingArgs());
    args.addAll(List.of(settings));
    return NautaAgent.application().run(args.toArray(String[]::new));
  }

  /** Stops the controller manager, the scheduler and the API server, in that order. */
  @Override
  public void close() {
    for (int i = components.size() - 1; i >= 0; i--) {
      components.get(i).close();
    }
    api.close();
  }
}
