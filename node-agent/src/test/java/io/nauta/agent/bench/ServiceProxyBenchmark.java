package io.nauta.agent.bench;

import com.github.dockerjava.api.DockerClient;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.nauta.agent.NautaAgent;
import io.nauta.agent.runtime.docker.DockerClients;
import io.nauta.agent.runtime.docker.EgressGuard;
import io.nauta.agent.runtime.docker.TestDockerNode;
import io.nauta.agent.services.ChainNames;
import io.nauta.agent.services.Iptables;
import io.nauta.agent.services.RuleSet;
import io.nauta.agent.services.ServiceRules;
import io.nauta.api.support.TestApiServer;
import io.nauta.controllers.NautaControllers;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.scheduler.NautaScheduler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The cost of the iptables service proxy (docs/benchmarks.md): (a) the same pod from the same
 * client on the node, directly by pod IP and through its cluster IP, side by side; (b) Service
 * created → first successful connection through it; (c) iptables-restore of the whole rule set for
 * synthetic services (rendered by the agent's renderer, never hooked, so no traffic sees them).
 * Usage: deploy/bench/service-proxy.sh [rounds] (default 5; one warm-up round is not reported).
 */
public final class ServiceProxyBenchmark {

  private static final Duration T = Duration.ofSeconds(10);
  private static final int SEQUENTIAL = 200;
  private static final int CONNECTS = 300;
  private static final int CONCURRENCY = 4;
  private static final int CONCURRENT_REQUESTS = 400;
  private static final int BULK_MIB = 32;

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    EgressGuard.install();
    DockerClient docker = DockerClients.connect("", System.getProperty("api.version", ""));
    TestDockerNode node = TestDockerNode.reserve(docker, "bench-svc");
    ThreadLocalRandom random = ThreadLocalRandom.current();
    TestApiServer api =
        TestApiServer.startOnEmptyRedis(
            "server.shutdown=immediate",
            "nauta.services.cluster-ip-range=10.97." + random.nextInt(256) + ".0/24");
    List<ConfigurableApplicationContext> apps = new ArrayList<>();
    try {
      // Each component with its own identity, as deploy/nauta starts them.
      List<String> scheduler = new ArrayList<>(api.schedulerArgs());
      scheduler.addAll(
          List.of(
              "--server.port=0",
              "--nauta.scheduler.leader-election.enabled=false",
              "--logging.level.root=WARN"));
      apps.add(NautaScheduler.application().run(scheduler.toArray(String[]::new)));
      List<String> controllers = new ArrayList<>(api.controllerManagerArgs());
      controllers.addAll(
          List.of(
              "--server.port=0",
              "--nauta.controllers.leader-election.enabled=false",
              "--logging.level.root=WARN"));
      apps.add(NautaControllers.application().run(controllers.toArray(String[]::new)));
      apps.add(
          NautaAgent.application()
              .run(
                  "--server.port=0",
                  api.agentArg(node.name()),
                  "--nauta.agent.runtime=docker",
                  "--nauta.agent.docker.api-version=" + System.getProperty("api.version", ""),
                  "--nauta.agent.node-name=" + node.name(),
                  "--nauta.agent.first-node-index=" + node.index(),
                  "--logging.level.root=WARN"));
      KubeClient client = api.kubeClient();
      String podIp = startWebPod(client, node.name());
      ResourceClient<Service> services = client.resource(BuiltInResources.SERVICES, Service.class);
      String clusterIp = services.create(service("web", "web")).block(T).getSpec().getClusterIP();
      awaitAnswer(clusterIp, 80, Duration.ofSeconds(30));

      System.out.println(
          "\n(a) same pod, same client (the node), direct vs through the cluster IP");
      Map<String, List<Double>> a = new HashMap<>();
      for (int r = 0; r <= rounds; r++) {
        // Which goes first alternates, so a drift in the machine's load favours neither.
        String[][] both = {{"direct", podIp, "8080"}, {"service", clusterIp, "80"}};
        if (r % 2 == 1) {
          both = new String[][] {both[1], both[0]};
        }
        for (String[] target : both) {
          String ip = target[1];
          int port = Integer.parseInt(target[2]);
          Map<String, Double> m = new HashMap<>();
          m.put("connect µs", connectMicros(ip, port, m));
          m.put("GET µs", getMicros(ip, port));
          m.put("GET/s x" + CONCURRENCY, concurrentRate(ip, port));
          m.put("MiB/s", bulkMibPerSecond(ip, port));
          System.err.printf(Locale.ROOT, "round %d %s %s%n", r, target[0], m);
          if (r > 0) {
            m.forEach(
                (k, v) -> a.computeIfAbsent(target[0] + " " + k, x -> new ArrayList<>()).add(v));
          }
        }
      }
      System.out.println(
          "| measure | direct (pod IP) | through cluster IP | service / direct, median of the"
              + " rounds' ratios |");
      System.out.println("|---|---|---|---|");
      for (String k :
          List.of(
              "connect µs", "connects over 0.9 s", "GET µs", "GET/s x" + CONCURRENCY, "MiB/s")) {
        List<Double> d = a.get("direct " + k);
        List<Double> s = a.get("service " + k);
        if (k.startsWith("connects over")) {
          System.out.printf(Locale.ROOT, "| %s, all rounds | %.0f | %.0f | |%n", k, sum(d), sum(s));
          continue;
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
          ratios.add(s.get(i) / d.get(i));
        }
        System.out.printf(
            Locale.ROOT, "| %s | %.0f | %.0f | %.2f |%n", k, median(d), median(s), median(ratios));
      }
      System.out.println("rounds: " + a);

      System.out.println(
          "\n(b) Service created → first successful connection through its cluster IP");
      List<Double> b = new ArrayList<>();
      for (int r = 0; r <= rounds; r++) {
        long start = System.nanoTime();
        String ip = services.create(service("probe-" + r, "web")).block(T).getSpec().getClusterIP();
        awaitFirstConnection(ip, 80, Duration.ofSeconds(30));
        double ms = (System.nanoTime() - start) / 1e6;
        if (r > 0) {
          b.add(ms);
        }
        services.delete("default", "probe-" + r).block(T);
      }
      System.out.printf(Locale.ROOT, "median %.0f ms, rounds %s%n", median(b), b);

      System.out.println(
          "\n(c) one iptables-restore of the whole rule set (synthetic, not hooked)");
      System.out.println(
          "| services | endpoints each | rules | iptables-restore ms | iptables-save ms | delete ms |");
      System.out.println("|---|---|---|---|---|---|");
      for (int n : new int[] {100, 1000}) {
        restoreCost(n, 3, rounds);
      }
    } finally {
      for (int i = apps.size() - 1; i >= 0; i--) {
        apps.get(i).close();
      }
      api.close();
      node.cleanUp(docker);
    }
  }

  private static void restoreCost(int services, int endpoints, int rounds) {
    ChainNames names =
        new ChainNames(String.format("NAUTA-%06x", ThreadLocalRandom.current().nextInt(0x1000000)));
    ServiceRules rules = new ServiceRules(names, "10.244.0.0/16");
    List<Service> list = new ArrayList<>();
    Map<String, Endpoints> eps = new HashMap<>();
    for (int i = 0; i < services; i++) {
      Service s = service("s" + i, "s" + i);
      s.getSpec().setClusterIP("10.98." + (i / 250) + "." + (i % 250 + 1));
      list.add(s);
      int host = i % 250 + 2;
      EndpointsBuilder e =
          new EndpointsBuilder()
              .withNewMetadata()
              .withNamespace("default")
              .withName("s" + i)
              .endMetadata();
      e.addNewSubset()
          .addAllToAddresses(
              java.util.stream.IntStream.range(0, endpoints)
                  .mapToObj(
                      k -> new EndpointAddressBuilder().withIp("10.244." + k + "." + host).build())
                  .toList())
          .addNewPort()
          .withName("http")
          .withPort(8080)
          .withProtocol("TCP")
          .endPort()
          .endSubset();
      eps.put("default/s" + i, e.build());
    }
    Iptables iptables = new Iptables();
    List<Double> restore = new ArrayList<>();
    List<Double> save = new ArrayList<>();
    List<Double> delete = new ArrayList<>();
    RuleSet set = rules.render(list, k -> Optional.ofNullable(eps.get(k)));
    for (int r = 0; r <= rounds; r++) {
      long t0 = System.nanoTime();
      iptables.save();
      long t1 = System.nanoTime();
      // As a sync does: all chains declared (first time: created; later: flushed and refilled).
      iptables.restore(set.restoreScript(Set.of(), Set.of()));
      long t2 = System.nanoTime();
      if (r > 0) {
        save.add((t1 - t0) / 1e6);
        restore.add((t2 - t1) / 1e6);
      }
    }
    long t3 = System.nanoTime();
    iptables.restore(RuleSet.deleteScript(set.nat().chains(), set.filter().chains()));
    delete.add((System.nanoTime() - t3) / 1e6);
    System.out.printf(
        Locale.ROOT,
        "| %d | %d | %d | %.0f | %.0f | %.0f |%n",
        services,
        endpoints,
        set.ruleCount(),
        median(restore),
        median(save),
        median(delete));
    System.out.println("  restore rounds " + restore);
  }

  private static String startWebPod(KubeClient client, String nodeName) {
    ResourceClient<Pod> pods = client.resource(BuiltInResources.PODS, Pod.class);
    pods.create(
            new PodBuilder()
                .withNewMetadata()
                .withNamespace("default")
                .withName("web")
                .addToLabels("app", "web")
                .endMetadata()
                .withNewSpec()
                .withNodeName(nodeName)
                .withTerminationGracePeriodSeconds(0L)
                .addNewContainer()
                .withName("httpd")
                .withImage("nauta/busybox:local")
                .withImagePullPolicy("IfNotPresent")
                .withCommand(
                    "sh",
                    "-c",
                    "hostname > /tmp/index.html; dd if=/dev/zero of=/tmp/bulk bs=1M count="
                        + BULK_MIB
                        + " 2>/dev/null; exec httpd -f -p 8080 -h /tmp")
                .addNewPort()
                .withName("web")
                .withContainerPort(8080)
                .endPort()
                .endContainer()
                .endSpec()
                .build())
        .block(T);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      Pod p = pods.get("default", "web").block(T);
      if (p.getStatus() != null
          && p.getStatus().getPodIP() != null
          && "Running".equals(p.getStatus().getPhase())) {
        awaitAnswer(p.getStatus().getPodIP(), 8080, Duration.ofSeconds(30));
        return p.getStatus().getPodIP();
      }
      sleep(100);
    }
    throw new IllegalStateException("web pod did not start");
  }

  private static Service service(String name, String app) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .addToSelector("app", app)
        .addNewPort()
        .withName("http")
        .withPort(80)
        .withTargetPort(new IntOrString("web"))
        .endPort()
        .endSpec()
        .build();
  }

  private static void awaitAnswer(String ip, int port, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      try {
        get(ip, port, "/");
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(ip + ":" + port + " did not answer", e);
        }
        sleep(2);
      }
    }
  }

  /**
   * Tries to connect every millisecond with a 50 ms timeout: a SYN sent before the rules exist is
   * dropped, and waiting for TCP to resend it (after 1 s) would measure TCP, not the proxy.
   */
  private static void awaitFirstConnection(String ip, int port, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      try (Socket socket = new Socket()) {
        socket.setSoLinger(true, 0);
        socket.connect(new InetSocketAddress(ip, port), 50);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(ip + ":" + port + " did not answer", e);
        }
        sleep(1);
      }
    }
  }

  /**
   * The median time to set up a connection. busybox httpd listens with a backlog of 9 and forks per
   * connection, so on a loaded machine a SYN is now and then dropped and resent after 1 s (or given
   * up after 3 s): such slow connections count with their time, and are reported.
   */
  private static double connectMicros(String ip, int port, Map<String, Double> m) {
    double[] t = new double[CONNECTS];
    int slow = 0;
    for (int i = 0; i < CONNECTS; i++) {
      long s = System.nanoTime();
      try (Socket socket = new Socket()) {
        // Closed with a reset: no TIME_WAIT on the client, so thousands of rounds do not run
        // out of ephemeral ports.
        socket.setSoLinger(true, 0);
        socket.connect(new InetSocketAddress(ip, port), 3000);
      } catch (IOException e) {
        // counted below by its time
      }
      t[i] = (System.nanoTime() - s) / 1e3;
      if (t[i] > 900_000) {
        slow++;
      }
    }
    m.put("connects over 0.9 s", (double) slow);
    return median(t);
  }

  private static double getMicros(String ip, int port) throws IOException {
    double[] t = new double[SEQUENTIAL];
    for (int i = 0; i < SEQUENTIAL; i++) {
      long s = System.nanoTime();
      get(ip, port, "/");
      t[i] = (System.nanoTime() - s) / 1e3;
    }
    return median(t);
  }

  private static double concurrentRate(String ip, int port) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
    try {
      long s = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < CONCURRENCY; c++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < CONCURRENT_REQUESTS / CONCURRENCY; i++) {
                    get(ip, port, "/");
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      return CONCURRENT_REQUESTS / ((System.nanoTime() - s) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  /** The median of five transfers of a {@value #BULK_MIB} MiB file. */
  private static double bulkMibPerSecond(String ip, int port) throws IOException {
    double[] rates = new double[5];
    for (int i = 0; i < rates.length; i++) {
      long s = System.nanoTime();
      long bytes = get(ip, port, "/bulk");
      if (bytes < BULK_MIB * 1024L * 1024L) {
        throw new IOException("short bulk read: " + bytes);
      }
      rates[i] = BULK_MIB / ((System.nanoTime() - s) / 1e9);
    }
    return median(rates);
  }

  /** HTTP/1.0 GET on a fresh connection; the bytes read. */
  private static long get(String ip, int port, String path) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(ip, port), 3000);
      socket.setSoTimeout(10000);
      socket
          .getOutputStream()
          .write(("GET " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[1 << 16];
      long total = 0;
      for (int n; (n = in.read(buf)) > 0; ) {
        total += n;
      }
      if (total == 0) {
        throw new IOException("empty answer");
      }
      return total;
    }
  }

  private static double sum(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).sum();
  }

  private static double median(List<Double> xs) {
    return median(xs.stream().mapToDouble(Double::doubleValue).toArray());
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
