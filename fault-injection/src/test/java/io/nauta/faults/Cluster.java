package io.nauta.faults;

import io.nauta.api.support.BlackHoleProxy;
import io.nauta.api.support.RedisProcess;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.KubeClient;
import io.nauta.core.pki.ClusterPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * A whole Nauta as {@code deploy/nauta up --redis <url> --runtime simulated --nodes N} runs it,
 * secure as it runs (HTTPS, every component with its client certificate from the cluster PKI, the
 * scheduler's and controller managers' ports on HTTPS), each component a process of its own, plus a
 * second controller manager as the standby: a {@code redis-server} of the test's own (AOF), reached
 * by the API server through a {@link BlackHoleProxy} that can cut the network, on free loopback
 * ports. Closing it kills every process it started.
 */
final class Cluster implements AutoCloseable {

  static final Duration START_TIMEOUT = Duration.ofSeconds(300);

  /**
   * Leader election of the scheduler and controller managers: twice Kubernetes' defaults (15 s
   * lease, 10 s renew deadline), so a CI machine busy enough to take seconds per request does not
   * make the leaders give up their leases all the time (each loss is a process restart) beside the
   * faults the cases inject. The freeze case holds its leader past this lease.
   */
  static final Duration LEASE = Duration.ofSeconds(30);

  private static final Duration RENEW_DEADLINE = Duration.ofSeconds(20);
  private static final Pattern LEADING =
      Pattern.compile("(?m)^nauta_leader_election_leader(\\{[^}]*})? 1(\\.0)?$");

  final RedisProcess redis;
  final BlackHoleProxy redisLink;
  final ComponentProcess apiserver;
  final ComponentProcess scheduler;
  final List<ComponentProcess> controllers = new ArrayList<>();
  final ComponentProcess agent;
  final String server;
  final Path kubeconfig;
  final KubeClient client;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private Path home;

  Cluster(int nodes, String appendfsync) {
    Path logs = Path.of(System.getProperty("nauta.faults.logs", "target/fault-injection"));
    try {
      Files.createDirectories(logs);
      Path home = Files.createTempDirectory("nauta-faults-");
      this.home = home;
      // Each piece is closed even if a later one fails to start.
      redis = closing(RedisProcess.start(appendfsync));
      redisLink = closing(new BlackHoleProxy("127.0.0.1", redis.port()));
      String redisUrl = redisLink.url().replace("http://", "redis://");
      int port = freePort();
      server = "https://127.0.0.1:" + port;
      // The PKI is made here, as the API server would make it on its first start, so that the
      // health checks can trust its CA from the beginning; the API server adds what it misses
      // (its serving certificate's names) and writes the kubeconfigs for its port.
      Path pki = home.resolve("pki");
      ClusterPki.ensure(pki, new ClusterPki.Settings(null, List.of(), "localhost"), Instant.now());
      ComponentProcess.trustServerCa(pki.resolve("server-ca.crt"));
      apiserver =
          closing(
              new ComponentProcess(
                  "apiserver",
                  "platform-api",
                  List.of(
                      "--server.address=127.0.0.1",
                      "--server.port=" + port,
                      "--nauta.security.enabled=true",
                      "--nauta.security.pki-dir=" + pki,
                      "--nauta.redis.url=" + redisUrl),
                  logs,
                  server + "/readyz"));
      int schedulerPort = freePort();
      scheduler =
          closing(
              new ComponentProcess(
                  "scheduler",
                  "platform-scheduler",
                  List.of(
                      "--server.address=127.0.0.1",
                      "--server.port=" + schedulerPort,
                      "--nauta.scheduler.kubeconfig=" + pki.resolve("scheduler.kubeconfig"),
                      "--server.ssl.certificate=" + pki.resolve("scheduler-serving.crt"),
                      "--server.ssl.certificate-private-key="
                          + pki.resolve("scheduler-serving.key"),
                      "--nauta.scheduler.leader-election.lease-duration=" + LEASE,
                      "--nauta.scheduler.leader-election.renew-deadline=" + RENEW_DEADLINE),
                  logs,
                  "https://127.0.0.1:" + schedulerPort + "/readyz"));
      for (int i = 0; i < 2; i++) {
        int controllersPort = freePort();
        controllers.add(
            closing(
                new ComponentProcess(
                    "controllers-" + i,
                    "platform-controllers",
                    List.of(
                        "--server.address=127.0.0.1",
                        "--server.port=" + controllersPort,
                        "--nauta.controllers.kubeconfig="
                            + pki.resolve("controller-manager.kubeconfig"),
                        "--nauta.controllers.root-ca-file=" + pki.resolve("server-ca.crt"),
                        "--server.ssl.certificate=" + pki.resolve("controller-manager-serving.crt"),
                        "--server.ssl.certificate-private-key="
                            + pki.resolve("controller-manager-serving.key"),
                        "--nauta.controllers.leader-election.lease-duration=" + LEASE,
                        "--nauta.controllers.leader-election.renew-deadline=" + RENEW_DEADLINE),
                    logs,
                    "https://127.0.0.1:" + controllersPort + "/readyz")));
      }
      int agentPort = freePort();
      agent =
          closing(
              new ComponentProcess(
                  "agent",
                  "node-agent",
                  List.of(
                      "--server.address=0.0.0.0",
                      "--server.port=" + agentPort,
                      // Several simulated nodes: not one node's identity (see ClusterPki).
                      "--nauta.agent.kubeconfig=" + pki.resolve("node-simulator.kubeconfig"),
                      // As deploy/nauta: HTTPS, callers checked as a kubelet checks them.
                      "--server.ssl.certificate=" + pki.resolve("agent-serving.crt"),
                      "--server.ssl.certificate-private-key=" + pki.resolve("agent-serving.key"),
                      "--server.ssl.client-auth=want",
                      "--server.ssl.trust-certificate=" + pki.resolve("client-ca.crt"),
                      "--nauta.agent.authentication.client-ca-file=" + pki.resolve("client-ca.crt"),
                      "--nauta.agent.nodes=" + nodes,
                      "--nauta.agent.runtime=simulated",
                      "--nauta.agent.root-dir=" + home.resolve("agent")),
                  logs,
                  "https://127.0.0.1:" + agentPort + "/readyz"));
      // The admin's, which the API server writes for its port once it listens.
      kubeconfig = pki.resolve("admin.kubeconfig");
      // A test JVM that is stopped (Ctrl-C, a surefire timeout) still kills what it started.
      Runtime.getRuntime().addShutdownHook(new Thread(this::close, "fault-injection-cleanup"));

      apiserver.start().awaitReady(START_TIMEOUT);
      client = new KubeClient(ClientConfig.fromKubeconfig(kubeconfig));
      List<ComponentProcess> rest = new ArrayList<>(controllers);
      rest.add(0, scheduler);
      rest.add(agent);
      rest.forEach(ComponentProcess::start);
      rest.forEach(c -> c.awaitReady(START_TIMEOUT));
      Awaitility.await("one controller manager leads")
          .atMost(START_TIMEOUT)
          .until(() -> leadingControllers().size() == 1);
    } catch (IOException e) {
      close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  private <T extends AutoCloseable> T closing(T resource) {
    toClose.add(resource);
    return resource;
  }

  /** The controller managers whose leader gauge says they lead now. */
  List<ComponentProcess> leadingControllers() {
    List<ComponentProcess> leading = new ArrayList<>();
    for (ComponentProcess c : controllers) {
      String metrics =
          ComponentProcess.getBody(c.readyUrl().replace("/readyz", "/actuator/prometheus"));
      if (LEADING.matcher(metrics).find()) {
        leading.add(c);
      }
    }
    return leading;
  }

  /** Waits until exactly one controller manager leads, and returns it. */
  ComponentProcess awaitControllerLeader(Duration timeout) {
    List<ComponentProcess> leader = new ArrayList<>();
    Awaitility.await("exactly one controller manager leads")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              List<ComponentProcess> now = leadingControllers();
              leader.clear();
              leader.addAll(now);
              return now.size() == 1;
            });
    return leader.get(0);
  }

  /** How many times each component has so far exited to start afresh (status 75), by name. */
  Map<String, Integer> freshStarts() {
    Map<String, Integer> counts = new TreeMap<>();
    List<ComponentProcess> all = new ArrayList<>(List.of(scheduler, agent));
    all.addAll(controllers);
    for (ComponentProcess c : all) {
      int n = 0;
      for (int code : c.exitCodes()) {
        if (code == ComponentProcess.LEASE_LOST_EXIT) {
          n++;
        }
      }
      counts.put(c.name(), n);
    }
    return counts;
  }

  /** Every component answers {@code /readyz} (after a case restarted some). */
  void awaitAllReady() {
    apiserver.awaitReady(START_TIMEOUT);
    scheduler.awaitReady(START_TIMEOUT);
    controllers.forEach(c -> c.awaitReady(START_TIMEOUT));
    agent.awaitReady(START_TIMEOUT);
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kills every process in reverse order of start; never throws. */
  @Override
  public synchronized void close() {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      try {
        toClose.get(i).close();
      } catch (Exception e) {
        System.out.println("[faults] closing " + toClose.get(i) + " failed: " + e);
      }
    }
    toClose.clear();
    if (home != null) {
      try (var files = Files.walk(home)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a temporary directory left behind
      }
      home = null;
    }
  }
}
