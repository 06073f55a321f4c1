package io.nauta.controllers.it;

import io.nauta.api.support.TestApiServer;
import io.nauta.controllers.NautaControllers;
import io.nauta.controllers.cronjob.CronJobController;
import io.nauta.core.client.KubeClient;
import io.nauta.core.component.LeaseLossAction;
import io.nauta.scheduler.NautaScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole control plane in the test JVM: an API server on the test Redis, the real scheduler, the
 * controller manager under test, and simulated kubelets on {@code nodes} nodes.
 */
public final class TestCluster implements AutoCloseable {

  public final TestApiServer api;
  public final KubeClient client;
  public final SimulatedKubelet kubelet;

  /** The CronJob controller's clock in every controller manager started: a test moves it. */
  public final TestClock cronJobClock = new TestClock();

  /**
   * The pods' CPU usage the autoscaler reads in every controller manager started (metrics.k8s.io is
   * served by another part; here the test sets the usage).
   */
  public final TestPodMetrics podMetrics;

  private final ConfigurableApplicationContext scheduler;
  private final List<ConfigurableApplicationContext> controllerManagers =
      new CopyOnWriteArrayList<>();
  private volatile boolean closed;
  private final Map<ConfigurableApplicationContext, List<String>> leaseLosses =
      new ConcurrentHashMap<>();

  private TestCluster(int nodes, String cpuPerNode) {
    api = TestApiServer.startOnEmptyRedis("server.shutdown=immediate");
    client = api.kubeClient();
    podMetrics = new TestPodMetrics(client);
    if (nodes == 0) {
      // Controllers only: pods stay pending, which is all a test of the controllers may need.
      kubelet = null;
      scheduler = null;
      return;
    }
    // The simulated kubelets stand for many nodes at once, so they act as the admin; the scheduler
    // and the controller managers have their own identities, as deploy/nauta starts them.
    kubelet = new SimulatedKubelet(client).start(nodes, cpuPerNode);
    List<String> args = new ArrayList<>(List.of("--server.port=0"));
    args.addAll(api.schedulerArgs());
    args.add("--nauta.scheduler.leader-election.enabled=false");
    scheduler = NautaScheduler.application().run(args.toArray(String[]::new));
  }

  /** An API server, a scheduler, {@code nodes} simulated nodes and one controller manager. */
  public static TestCluster start(int nodes, String cpuPerNode, String... controllerProps) {
    TestCluster cluster = new TestCluster(nodes, cpuPerNode);
    cluster.startControllerManager(controllerProps);
    return cluster;
  }

  /**
   * An API server, a scheduler and {@code nodes} simulated nodes; no controller manager yet. With 0
   * nodes, only the API server: no scheduler, no kubelet.
   */
  public static TestCluster startWithoutControllers(int nodes, String cpuPerNode) {
    return new TestCluster(nodes, cpuPerNode);
  }

  /**
   * Another controller manager replica (they elect one leader). If it loses its lease, it is
   * replaced by a fresh one, as the launcher restarts a controller manager that exited for that
   * reason: a loaded test machine can miss a renewal, and the test should go on.
   */
  public ConfigurableApplicationContext startControllerManager(String... props) {
    return startControllerManager(api.url(), true, props);
  }

  /**
   * A controller manager replica that reaches the API server at {@code apiUrl} (e.g. through a
   * proxy). A lost lease is only recorded ({@link #leaseLosses}): the replica stays as the lease
   * loss left it, for the test to look at.
   */
  public ConfigurableApplicationContext startControllerManagerVia(String apiUrl, String... props) {
    return startControllerManager(apiUrl, false, props);
  }

  private ConfigurableApplicationContext startControllerManager(
      String apiUrl, boolean restartOnLeaseLoss, String... props) {
    List<String> args = new ArrayList<>();
    args.add("--server.port=0");
    List<String> given = List.of(props);
    // Its identity and TLS as deploy/nauta gives them, unless the test sets one of them itself.
    for (String arg : api.controllerManagerArgs(apiUrl)) {
      String key = arg.substring(2, arg.indexOf('='));
      if (given.stream().noneMatch(p -> p.startsWith(key + "="))) {
        args.add(arg);
      }
    }
    // Kubernetes' lease and renew deadline, so that a loaded test machine does not miss a renewal
    // (a replica that does is replaced, which costs a start-up); a short retry period, so that a
    // standby takes a released lease at once. A test may set its own.
    defaultArg(args, given, "nauta.controllers.leader-election.lease-duration", "15s");
    defaultArg(args, given, "nauta.controllers.leader-election.renew-deadline", "10s");
    defaultArg(args, given, "nauta.controllers.leader-election.retry-period", "500ms");
    for (String p : props) {
      args.add("--" + p);
    }
    List<String> losses = new CopyOnWriteArrayList<>();
    AtomicReference<ConfigurableApplicationContext> self = new AtomicReference<>();
    LeaseLossAction onLoss =
        component -> {
          losses.add(component);
          if (restartOnLeaseLoss) {
            Thread restart =
                new Thread(
                    () -> {
                      ConfigurableApplicationContext lost = self.get();
                      if (!closed && lost != null && controllerManagers.remove(lost)) {
                        lost.close();
                        startControllerManager(apiUrl, true, props);
                      }
                    },
                    "test-controller-manager-restart");
            restart.setDaemon(true);
            restart.start();
          }
        };
    ConfigurableApplicationContext ctx =
        NautaControllers.application()
            .initializers(c -> c.getBeanFactory().registerSingleton("leaseLossAction", onLoss))
            .initializers(
                c ->
                    c.getBeanFactory()
                        .registerSingleton(CronJobController.CLOCK_BEAN, cronJobClock))
            .initializers(c -> c.getBeanFactory().registerSingleton("podMetrics", podMetrics))
            .run(args.toArray(String[]::new));
    self.set(ctx);
    controllerManagers.add(ctx);
    leaseLosses.put(ctx, losses);
    return ctx;
  }

  private static void defaultArg(List<String> args, List<String> given, String key, String value) {
    if (given.stream().noneMatch(p -> p.startsWith(key + "="))) {
      args.add("--" + key + "=" + value);
    }
  }

  /** The components of {@code controllerManager} that lost their lease (in-process: no exit). */
  public List<String> leaseLosses(ConfigurableApplicationContext controllerManager) {
    return leaseLosses.getOrDefault(controllerManager, List.of());
  }

  public List<ConfigurableApplicationContext> controllerManagers() {
    return controllerManagers;
  }

  @Override
  public void close() {
    closed = true;
    controllerManagers.forEach(ConfigurableApplicationContext::close);
    if (scheduler != null) {
      scheduler.close();
    }
    if (kubelet != null) {
      kubelet.close();
    }
    api.close();
  }
}
