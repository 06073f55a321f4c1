package io.nauta.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 23's "nodes on other hosts", on one machine: {@code deploy/nauta up} (Docker runtime) on
 * this host, and a second node that joins with the command {@code token create
 * --print-join-command} prints from a network namespace of its own, with a Docker engine of its own
 * inside it and a veth pair to this host as its only link (a /30 in 10.250.x; traffic stays on this
 * machine). The agents route each other's pod range via the other node's InternalIP (host-gw),
 * marked {@code proto 197}: a pod on each node reaches the other by pod IP, and a Service whose
 * only endpoint is on the other node by its cluster IP, both ways, through both agents' service
 * proxies, Docker's FORWARD rules and both egress guards. When the joined node is gone, this host's
 * agent removes its route.
 *
 * <p>Needs root, a Docker engine and {@code ip netns} (CI has them); the packaged jars ({@code mvn
 * -DskipTests package}). Namespaces, engines and directories of an earlier run that was killed are
 * removed first (their owner, this test's JVM, is gone).
 */
class CrossNodeIT {

  private static final String PREFIX = "nauta-xn-";
  private static final String CLUSTER_CIDR = "10.236.0.0/16";
  private static final String PROTO = "197";
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(4);

  private final Path root = ExecJars.root();
  private final Path logs =
      Path.of(System.getProperty("nauta.faults.logs", "target/fault-injection"));
  private final String id =
      HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
  private final String ns = PREFIX + id;
  private final Path dir = Path.of("/tmp", ns);
  private final Path socket = dir.resolve("docker.sock");
  private final List<String> cleanups = new ArrayList<>();
  private Map<String, String> env;
  private Process dockerd;
  private boolean passed;

  @Test
  void podsAndServicesReachEachOtherAcrossNodesOverTheRoutesTheAgentsKeep() throws Exception {
    assumeTrue(
        sh("id -u").output().strip().equals("0") && sh("docker info").exitCode() == 0,
        "needs root and a Docker engine (CI has both)");
    ExecJars.of("node-agent"); // fails with how to build it when the jars are missing
    removeStale();
    long start = System.nanoTime();
    Files.createDirectories(dir);
    Files.createDirectories(logs);
    Files.writeString(dir.resolve("owner"), String.valueOf(ProcessHandle.current().pid()));
    String net = freeSubnet();
    String hostIp = net + ".1";
    String nsIp = net + ".2";
    String a = "xn-" + id + "-a";
    String b = "xn-" + id + "-b";

    // The other "host": a namespace, a veth to this one, a default route through it.
    cleanups.add("ip netns del " + ns);
    ok("ip netns add " + ns);
    ok(
        String.join(
            " && ",
            "ip link add xnh" + id + " type veth peer name xnn" + id,
            "ip link set xnn" + id + " netns " + ns,
            "ip addr add " + hostIp + "/30 dev xnh" + id,
            "ip link set xnh" + id + " up"));
    ok(
        inNs(
            String.join(
                " && ",
                "ip link set lo up",
                "ip addr add " + nsIp + "/30 dev xnn" + id,
                "ip link set xnn" + id + " up",
                "ip route add default via " + hostIp,
                "sysctl -qw net.ipv4.ip_forward=1")));
    startDockerd();
    // What Docker does where it turned forwarding on itself, as on this host: routed traffic that
    // no rule accepts is dropped. (Here forwarding was on before it started, so it left ACCEPT.)
    ok(inNs("iptables -P FORWARD DROP"));
    // The images the join's launcher checks for (the pod sandbox and the test pods are busybox):
    // no registry is reachable from there either.
    ok(
        "docker save nauta/busybox:local nauta/redis:local nauta/curl:local | docker -H unix://"
            + socket
            + " load");
    say(String.format("namespace, engine and images in %.1f s", (System.nanoTime() - start) / 1e9));

    env = new HashMap<>(System.getenv());
    env.keySet().removeIf(k -> k.startsWith("NAUTA_") || k.equals("KUBECONFIG"));
    int[] ports = QuickStartIT.freePorts(8);
    Path home = dir.resolve("home");
    env.put("NAUTA_HOME", home.toString());
    env.put("KUBECONFIG", home.resolve("kubeconfig").toString());
    env.put("NAUTA_NO_BUILD", "1");
    env.put("NAUTA_READY_TIMEOUT", "180");
    env.put("NAUTA_SCHEDULER_PORT", String.valueOf(ports[1]));
    env.put("NAUTA_CONTROLLERS_PORT", String.valueOf(ports[2]));
    env.put("NAUTA_AGENT_PORT", String.valueOf(ports[3]));
    env.put("NAUTA_DNS_PORT", String.valueOf(ports[4]));
    env.put("NAUTA_DNS_METRICS_PORT", String.valueOf(ports[5]));
    env.put("NAUTA_INGRESS", "off");
    env.put("NAUTA_NODE_NAME", a);
    env.put("NAUTA_NODE_IP", hostIp);
    // Not the ranges another test or a federation's member takes on this machine.
    env.put("NAUTA_CLUSTER_CIDR", CLUSTER_CIDR);
    env.put("NAUTA_SERVICE_CIDR", "10.89.0.0/16");
    env.put("NAUTA_NODE_PORT_RANGE", "32600-32699");
    env.put(
        "NAUTA_JAVA_OPTS",
        (System.getenv().getOrDefault("NAUTA_JAVA_OPTS", "") + " -XX:TieredStopAtLevel=1").trim());
    cleanups.add(0, "deploy/nauta down");
    ok("deploy/nauta up --runtime docker --port " + ports[0]);

    String join =
        ok("deploy/nauta token create --ttl 10m --print-join-command 2>/dev/null").strip();
    assertThat(join).startsWith("deploy/nauta join --server https://");
    // The joined node's launcher installs the egress guard in its namespace, whose default route
    // is the veth: the pod network and the other host (its replies to the API server's calls,
    // e.g. kubectl logs) are reached that way, so they are let through.
    String asJoined =
        "env DOCKER_HOST=unix://"
            + socket
            + " NAUTA_HOME="
            + dir.resolve("joined")
            + " NAUTA_AGENT_PORT="
            + ports[6]
            + " NAUTA_EGRESS_ALLOW=\""
            + CLUSTER_CIDR
            + " "
            + hostIp
            + "\" ";
    cleanups.add(0, inNs(asJoined + "deploy/nauta down"));
    String joined =
        ok(
            inNs(
                asJoined
                    + join
                    + " --node-name "
                    + b
                    + " --node-ip "
                    + nsIp
                    + " --runtime docker"));
    assertThat(joined).contains("joined: ");
    ok("kubectl wait --for=condition=Ready node/" + a + " node/" + b + " --timeout=90s");
    assertThat(ok("kubectl get node " + b + " -o jsonpath={.spec.podCIDR}"))
        .isEqualTo("10.236.1.0/24");

    // Each agent routes the other's pod range via the other's InternalIP, and marks it.
    await("the routes on both nodes")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(sh("ip -4 route show proto " + PROTO).output())
                  .contains("10.236.1.0/24 via " + nsIp + " dev xnh" + id);
              assertThat(sh(inNs("ip -4 route show proto " + PROTO)).output())
                  .contains("10.236.0.0/24 via " + hostIp + " dev xnn" + id);
            });

    ok("kubectl apply -f " + writeManifest(a, b));
    ok("kubectl wait --for=condition=Ready pod/web-a pod/web-b --timeout=120s");
    String ipA = ok("kubectl get pod web-a -o jsonpath={.status.podIP}").strip();
    String ipB = ok("kubectl get pod web-b -o jsonpath={.status.podIP}").strip();
    assertThat(ipA).startsWith("10.236.0.");
    assertThat(ipB).startsWith("10.236.1.");
    String svcA = ok("kubectl get service web-a -o jsonpath={.spec.clusterIP}").strip();
    String svcB = ok("kubectl get service web-b -o jsonpath={.spec.clusterIP}").strip();

    // Pod to pod by pod IP, both ways; the server sees the client's own pod IP (no NAT).
    assertThat(fetch("web-a", ipB + ":8080")).isEqualTo("hello from " + b);
    assertThat(fetch("web-b", ipA + ":8080")).isEqualTo("hello from " + a);
    // A Service whose only endpoint is on the other node, by cluster IP, both ways.
    assertThat(fetch("web-a", svcB)).isEqualTo("hello from " + b);
    assertThat(fetch("web-b", svcA)).isEqualTo("hello from " + a);

    // Both requests each server got (by pod IP, then through the Service) came from the client
    // pod's own address, neither from a node's (no NAT between pods, also through a Service).
    // Both logs through the API server and each node's agent at its InternalIP: up's agent
    // serves with a certificate that names NAUTA_NODE_IP.
    assertClients("web-b", ok("kubectl logs web-b"), ipA, hostIp, nsIp);
    assertClients("web-a", ok("kubectl logs web-a"), ipB, hostIp, nsIp);

    // The joined node goes away: this host's agent removes its route, and only that one.
    ok("kubectl delete pod web-b --wait=false");
    ok(inNs(asJoined + "deploy/nauta down"));
    ok("kubectl delete node " + b);
    await("this host's route to the deleted node's pod range removed")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> !sh("ip -4 route show proto " + PROTO).output().contains("10.236.1.0/24"));
    say(String.format("whole test in %.1f s", (System.nanoTime() - start) / 1e9));
    passed = true;
  }

  /**
   * {@code wget} in {@code pod}'s container of {@code http://<where>/}: its body, retried (a new
   * Service's rules reach both proxies within a sync or two) until it answers. The command runs
   * through the engine of the pod's node ({@code docker exec}, in the pod's network namespace).
   */
  private String fetch(String pod, String where) {
    String docker = pod.equals("web-b") ? "docker -H unix://" + socket : "docker";
    String command =
        docker
            + " exec $("
            + docker
            + " ps -q --filter label=io.nauta.pod.name="
            + pod
            + " --filter label=io.nauta.container.name=web) wget -q -O - -T 3 http://"
            + where
            + "/";
    String[] body = new String[1];
    await(pod + " fetches http://" + where + "/")
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              Result r = sh(command);
              body[0] = r.output().strip();
              return r.exitCode() == 0;
            });
    say(pod + " -> " + where + ": " + body[0]);
    return body[0];
  }

  /**
   * {@code pod}'s httpd {@code log} ({@code -vv}): two requests from {@code client}, none from a
   * node.
   */
  private void assertClients(String pod, String log, String client, String... nodes) {
    assertThat(log.lines().filter(l -> l.matches("\\[::ffff:" + client + "]:\\d+: url:/")))
        .as("requests from %s in %s's log:%n%s", client, pod, log)
        .hasSize(2);
    for (String node : nodes) {
      assertThat(log).doesNotContain("[::ffff:" + node + "]");
    }
  }

  private Path writeManifest(String a, String b) throws IOException {
    StringBuilder yaml = new StringBuilder();
    for (String[] p : List.of(new String[] {"web-a", a}, new String[] {"web-b", b})) {
      yaml.append(
          """
          apiVersion: v1
          kind: Pod
          metadata: {name: %1$s, labels: {app: %1$s}}
          spec:
            nodeName: %2$s
            terminationGracePeriodSeconds: 1
            containers:
            - name: web
              image: nauta/busybox:local
              command: [sh, -c, 'mkdir -p /www && echo "hello from %2$s" > /www/index.html && exec httpd -f -vv -p 8080 -h /www']
              readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
          ---
          apiVersion: v1
          kind: Service
          metadata: {name: %1$s}
          spec:
            selector: {app: %1$s}
            ports: [{port: 80, targetPort: 8080}]
          ---
          """
              .formatted(p[0], p[1]));
    }
    Path file = dir.resolve("web.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  /** A dockerd of its own in the namespace (its own containerd comes with it), ready. */
  private void startDockerd() throws IOException {
    Files.writeString(dir.resolve("daemon.json"), "{}\n");
    cleanups.add(0, "rm -rf " + dir);
    dockerd =
        new ProcessBuilder(
                "nsenter",
                "--net=/run/netns/" + ns,
                "dockerd",
                "--config-file",
                dir.resolve("daemon.json").toString(),
                "--data-root",
                dir.resolve("data").toString(),
                "--exec-root",
                dir.resolve("exec").toString(),
                "--pidfile",
                dir.resolve("dockerd.pid").toString(),
                "-H",
                "unix://" + socket,
                "--bridge=none")
            .redirectErrorStream(true)
            .redirectOutput(logs.resolve(ns + "-dockerd.log").toFile())
            .start();
    await("the namespace's dockerd answers")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> !dockerd.isAlive() || sh("docker -H unix://" + socket + " info").exitCode() == 0);
    assertThat(dockerd.isAlive())
        .as("dockerd in %s (log: %s)", ns, logs.resolve(ns + "-dockerd.log"))
        .isTrue();
  }

  @AfterEach
  void tearDown() throws Exception {
    List<String> after = new ArrayList<>(cleanups);
    // The engine stops after the joined node's down removed its containers, before the
    // namespace goes.
    for (String c : after) {
      if (c.startsWith("ip netns del")) {
        stopDockerd();
      }
      if (c.startsWith("rm -rf")) {
        stopDockerd();
        unmountUnder(dir);
        if (!passed) {
          say("failed; the logs are kept in " + dir + " (the next run removes them)");
          continue;
        }
      }
      Result r = sh(c);
      if (r.exitCode() != 0) {
        say("cleanup `" + c + "` failed (" + r.exitCode() + "): " + r.output());
      }
    }
    stopDockerd();
  }

  private void stopDockerd() throws InterruptedException {
    if (dockerd == null || !dockerd.isAlive()) {
      return;
    }
    dockerd.destroy(); // SIGTERM: it stops its containers and containerd, and unmounts
    if (!dockerd.waitFor(60, TimeUnit.SECONDS)) {
      dockerd.destroyForcibly().waitFor();
    }
  }

  /**
   * Namespaces of an earlier run whose JVM is gone: their processes (its dockerd, containerd,
   * shims, agent and pods, all of that run) are ended by pid, their mounts and directories removed.
   */
  private void removeStale() throws IOException {
    Set<String> names = new TreeSet<>();
    sh("ip netns list").output().lines().forEach(l -> names.add(l.split("\\s+")[0]));
    try (Stream<Path> dirs = Files.list(Path.of("/tmp"))) {
      dirs.forEach(d -> names.add(d.getFileName().toString()));
    }
    for (String name : names) {
      if (!name.startsWith(PREFIX) || name.equals(ns)) {
        continue;
      }
      Path stale = Path.of("/tmp", name);
      Path owner = stale.resolve("owner");
      if (Files.exists(owner)) {
        long pid = Long.parseLong(Files.readString(owner).strip());
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          continue; // another run, still going
        }
      }
      say("removing the namespace of an earlier run: " + name);
      sh("NAUTA_HOME=" + stale.resolve("home") + " deploy/nauta down");
      for (String pid : sh("ip netns pids " + name).output().lines().toList()) {
        sh("kill -KILL " + pid.strip());
      }
      unmountUnder(stale);
      sh("ip netns del " + name + " 2>/dev/null; rm -rf " + stale);
    }
  }

  private void unmountUnder(Path path) {
    sh(
        "grep -o ' "
            + path
            + "/[^ ]*' /proc/self/mounts | sort -r | while read -r m; do umount -l \"$m\"; done");
  }

  /** {@code 10.250.x} of a 10.250.x.0/30 no address or route of this host uses. */
  private String freeSubnet() {
    String used = sh("ip -4 addr; ip -4 route").output();
    for (int attempt = 0; attempt < 100; attempt++) {
      String net = "10.250." + ThreadLocalRandom.current().nextInt(256);
      if (!used.contains(net + ".")) {
        return net;
      }
    }
    throw new IllegalStateException("no free 10.250.x.0/30");
  }

  /**
   * {@code command} (a bash command line) run in the namespace: nsenter enters its network only,
   * where {@code ip netns exec} would also remount /sys and hide the cgroups dockerd needs.
   */
  private String inNs(String command) {
    return "nsenter --net=/run/netns/" + ns + " bash -c '" + command.replace("'", "'\\''") + "'";
  }

  record Result(int exitCode, String output) {}

  private String ok(String command) {
    Result r = sh(command);
    assertThat(r.exitCode())
        .as("`%s` failed (exit %d):%n%s", command, r.exitCode(), r.output())
        .isZero();
    return r.output();
  }

  /** Runs {@code command} with bash in the reactor's root, with the cluster's environment. */
  private Result sh(String command) {
    long start = System.nanoTime();
    try {
      ProcessBuilder pb =
          new ProcessBuilder("bash", "-c", command)
              .directory(root.toFile())
              .redirectErrorStream(true);
      if (env != null) {
        pb.environment().clear();
        pb.environment().putAll(env);
      }
      Process p = pb.start();
      p.getOutputStream().close();
      StringBuffer output = new StringBuffer();
      Thread reader = new Thread(() -> QuickStartIT.copy(p.getInputStream(), output), "xn-output");
      reader.setDaemon(true);
      reader.start();
      if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor();
        output.append("\n(timed out after ").append(COMMAND_TIMEOUT).append(')');
      }
      reader.join(5_000);
      double seconds = (System.nanoTime() - start) / 1e9;
      if (seconds > 2) {
        say(String.format("%5.1f s  exit %-3d %s", seconds, p.exitValue(), command));
      }
      log("$ " + command + "\n" + output + "(exit " + p.exitValue() + ")\n\n");
      return new Result(p.exitValue(), output.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void say(String line) {
    System.out.println("[crossnode] " + line);
  }

  private void log(String text) {
    try {
      Files.createDirectories(logs);
      Files.writeString(
          logs.resolve("crossnode.log"),
          text,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      say("could not write the log: " + e);
    }
  }
}
