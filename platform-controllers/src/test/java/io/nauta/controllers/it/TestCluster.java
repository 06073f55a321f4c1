package io.nauta.controllers.it;

import io.nauta.api.support.TestApiServer;
import io.nauta.controllers.NautaControllers;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.KubeClient;
import io.nauta.scheduler.NautaScheduler;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole control plane in the test JVM: an API server on the test Redis, the real scheduler, the
 * controller manager under test, and simulated kubelets on {@code nodes} nodes.
 */
public final class TestCluster implements AutoCloseable {

  public final TestApiServer api;
  public final KubeClient client;
  public final SimulatedKubelet kubelet;
  private final ConfigurableApplicationContext scheduler;
  private final List<ConfigurableApplicationContext> controllerManagers = new ArrayList<>();

  private TestCluster(int nodes, String cpuPerNode) {
    api = TestApiServer.startOnEmptyRedis("server.shutdown=immediate");
    client = new KubeClient(ClientConfig.fromUrl(api.url()));
    kubelet = new SimulatedKubelet(client).start(nodes, cpuPerNode);
    scheduler =
        NautaScheduler.application()
            .run(
                "--server.port=0",
                "--nauta.scheduler.server=" + api.url(),
                "--nauta.scheduler.leader-election.enabled=false");
  }

  /** An API server, a scheduler, {@code nodes} simulated nodes and one controller manager. */
  public static TestCluster start(int nodes, String cpuPerNode, String... controllerProps) {
    TestCluster cluster = new TestCluster(nodes, cpuPerNode);
    cluster.startControllerManager(controllerProps);
    return cluster;
  }

  /** An API server, a scheduler and {@code nodes} simulated nodes; no controller manager yet. */
  public static TestCluster startWithoutControllers(int nodes, String cpuPerNode) {
    return new TestCluster(nodes, cpuPerNode);
  }

  /** Another controller manager replica (they elect one leader). */
  public ConfigurableApplicationContext startControllerManager(String... props) {
    List<String> args = new ArrayList<>();
    args.add("--server.port=0");
    args.add("--nauta.controllers.server=" + api.url());
    args.add("--nauta.controllers.leader-election.lease-duration=3s");
    args.add("--nauta.controllers.leader-election.renew-deadline=2s");
    args.add("--nauta.controllers.leader-election.retry-period=500ms");
    for (String p : props) {
      args.add("--" + p);
    }
    ConfigurableApplicationContext ctx =
        NautaControllers.application().run(args.toArray(String[]::new));
    controllerManagers.add(ctx);
    return ctx;
  }

  public List<ConfigurableApplicationContext> controllerManagers() {
    return controllerManagers;
  }

  @Override
  public void close() {
    controllerManagers.forEach(ConfigurableApplicationContext::close);
    scheduler.close();
    kubelet.close();
    api.close();
  }
}
