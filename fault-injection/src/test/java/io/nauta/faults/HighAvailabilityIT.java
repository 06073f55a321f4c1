package io.nauta.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.it.Kubectl;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layout {@code deploy/README.md} documents as tested, {@code deploy/nauta up --ha}, in a fresh
 * NAUTA_HOME with ports of its own: a redis-server, two API servers on it, two schedulers and two
 * controller managers, one node agent (simulated runtime) and one cluster DNS (no ingress
 * controller: it takes no part in what is shown). The standby controller manager and scheduler wait
 * while the others lead; the leading controller manager and the leading scheduler, found from their
 * Leases' holderIdentity (each instance logs its identity when it campaigns), are killed (SIGKILL:
 * no lease released) and a Deployment scaled after the kill gets its pods, created by the other
 * controller manager and bound by the other scheduler, both having taken the Leases over within the
 * lease duration plus {@link #TAKEOVER_SLACK}. Then the first API server is killed and kubectl
 * through the second (context nauta-2 of the kubeconfig {@code up} wrote) creates, gets and
 * watches. {@code deploy/nauta down} at the end leaves no process of the layout.
 */
class HighAvailabilityIT {

  private static final Duration UP_TIMEOUT = Duration.ofMinutes(4);

  /**
   * How much later than the lease duration after the kill a standby may take over: it saw the last
   * renewal up to one jittered retry period late (client-go's 2 s times 1 + 1.2, 4.4 s) and looks
   * again up to one more after the lease ran out, 8.8 s; plus a little for a loaded machine.
   */
  private static final Duration TAKEOVER_SLACK = Duration.ofSeconds(10);

  private static final String NS = "ha";
  private static final String CONTROLLERS_LEASE = "kube-controller-manager";
  private static final String SCHEDULER_LEASE = "default-scheduler";

  private Path home;
  private Map<String, String> env;

  @Test
  void standbysTakeTheLeasesOverAndTheSecondApiServerServesWhenTheFirstDies() throws IOException {
    long start = System.nanoTime();
    Path root = ExecJars.root();
    ExecJars.of("platform-api"); // fails with how to build it when the jars are missing
    home = Files.createTempDirectory("nauta-ha-");
    int[] ports = QuickStartIT.freePorts(10);
    int api = ports[0];
    env =
        Map.ofEntries(
            Map.entry("NAUTA_HOME", home.toString()),
            Map.entry("NAUTA_NO_BUILD", "1"),
            Map.entry("NAUTA_READY_TIMEOUT", "180"),
            Map.entry("NAUTA_APISERVER_2_PORT", String.valueOf(ports[1])),
            Map.entry("NAUTA_REDIS_PORT", String.valueOf(ports[2])),
            Map.entry("NAUTA_SCHEDULER_PORT", String.valueOf(ports[3])),
            Map.entry("NAUTA_SCHEDULER_2_PORT", String.valueOf(ports[4])),
            Map.entry("NAUTA_CONTROLLERS_PORT", String.valueOf(ports[5])),
            Map.entry("NAUTA_CONTROLLERS_2_PORT", String.valueOf(ports[6])),
            Map.entry("NAUTA_AGENT_PORT", String.valueOf(ports[7])),
            Map.entry("NAUTA_DNS_PORT", String.valueOf(ports[8])),
            Map.entry("NAUTA_DNS_METRICS_PORT", String.valueOf(ports[9])),
            Map.entry("NAUTA_INGRESS", "off"),
            Map.entry(
                "NAUTA_NODE_NAME",
                "ha-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt())),
            // Not those of the quick start's or a federation's Nauta.
            Map.entry("NAUTA_CLUSTER_CIDR", "10.238.0.0/16"),
            Map.entry("NAUTA_SERVICE_CIDR", "10.90.0.0/16"),
            Map.entry("NAUTA_NODE_PORT_RANGE", "32600-32699"),
            Map.entry("NAUTA_JAVA_OPTS", ShortLivedJvms.javaOpts()));
    List<ProcessHandle> started = new ArrayList<>();
    boolean passed = false;
    try {
      long upStart = System.nanoTime();
      String up =
          ok(launcher(UP_TIMEOUT, "up", "--ha", "--runtime", "simulated", "--port", "" + api));
      say(String.format("up --ha ready in %.1f s", seconds(upStart)));
      for (String c :
          List.of(
              "redis",
              "apiserver",
              "apiserver-2",
              "scheduler",
              "scheduler-2",
              "controllers",
              "controllers-2",
              "dns",
              "agent")) {
        assertThat(up).contains("started " + c + " (pid ");
        started.add(process(c));
      }
      assertThat(up)
          .contains(
              "API server   https://127.0.0.1:" + api,
              "API server   https://127.0.0.1:" + ports[1] + " (the second",
              "context nauta",
              "nauta-2 the second");
      assertThat(ok(launcher(Duration.ofSeconds(30), "status")))
          .contains(
              "api server   https://127.0.0.1:" + api + " (readyz: 200)",
              "api server   https://127.0.0.1:" + ports[1] + " (readyz: 200)");

      // The second API server, sharing the PKI directory, left its kubeconfigs naming the first.
      for (String identity : List.of("admin", "scheduler", "controller-manager", "agent")) {
        assertThat(Files.readString(home.resolve("pki/" + identity + ".kubeconfig")))
            .contains("server: https://127.0.0.1:" + api + "\n");
        if (!identity.equals("agent")) {
          assertThat(Files.readString(home.resolve("pki/apiserver-2/" + identity + ".kubeconfig")))
              .contains("server: https://127.0.0.1:" + ports[1] + "\n");
        }
      }
      Kubectl kubectl = new Kubectl(home.resolve("kubeconfig"));
      ok(kubectl.run("create", "namespace", NS));
      ok(
          kubectl.run(
              "-n",
              NS,
              "create",
              "deployment",
              "web",
              "--image=nauta/busybox:local",
              "--replicas=1"));
      await("the first pod Running", Duration.ofSeconds(60), () -> running(kubectl) == 1);

      // One of each leads, the other waits: it campaigns and never became the leader.
      String controllers = leader(kubectl, CONTROLLERS_LEASE, "controllers");
      String scheduler = leader(kubectl, SCHEDULER_LEASE, "scheduler");
      for (String standby : List.of(other(controllers), other(scheduler))) {
        assertThat(log(standby))
            .as("the standby %s campaigns and waits", standby)
            .contains(": campaigning for lease ")
            .doesNotContain(": became the leader of lease ");
      }
      String controllersHolder = holder(kubectl, CONTROLLERS_LEASE);
      String schedulerHolder = holder(kubectl, SCHEDULER_LEASE);
      Duration lease =
          Duration.ofSeconds(Long.parseLong(leaseDuration(kubectl, CONTROLLERS_LEASE)));

      long killed = System.nanoTime();
      kill(controllers);
      kill(scheduler);
      say("killed the leaders " + controllers + " and " + scheduler);
      ok(kubectl.run("-n", NS, "scale", "deployment", "web", "--replicas=3"));
      Duration[] takeover = new Duration[2];
      await(
          "the standbys hold the Leases and the scaled Deployment's 3 pods run",
          lease.plus(Duration.ofSeconds(40)),
          () -> {
            if (takeover[0] == null && tookOver(kubectl, CONTROLLERS_LEASE, controllersHolder)) {
              takeover[0] = Duration.ofNanos(System.nanoTime() - killed);
            }
            if (takeover[1] == null && tookOver(kubectl, SCHEDULER_LEASE, schedulerHolder)) {
              takeover[1] = Duration.ofNanos(System.nanoTime() - killed);
            }
            return takeover[0] != null && takeover[1] != null && running(kubectl) == 3;
          });
      say(
          String.format(
              "take-overs after the kill: controller manager %.1f s, scheduler %.1f s (lease %d s);"
                  + " 3 pods running %.1f s after it",
              takeover[0].toMillis() / 1e3,
              takeover[1].toMillis() / 1e3,
              lease.toSeconds(),
              seconds(killed)));
      for (Duration d : takeover) {
        assertThat(d)
            .as("taken over within the lease and two jittered retries")
            .isLessThan(lease.plus(TAKEOVER_SLACK));
      }
      assertThat(holder(kubectl, CONTROLLERS_LEASE)).isIn(identities(other(controllers)));
      assertThat(holder(kubectl, SCHEDULER_LEASE)).isIn(identities(other(scheduler)));

      // The first API server dies; kubectl through the second creates, gets and watches.
      Process watch =
          kubectl.start(
              "--context", "nauta-2", "-n", NS, "get", "configmaps", "--watch", "-o", "name");
      StringBuffer watched = new StringBuffer();
      reader(watch.getInputStream(), watched);
      await(
          "the watch through the second API server lists kube-root-ca.crt",
          Duration.ofSeconds(20),
          () -> watched.toString().contains("configmap/kube-root-ca.crt"));
      long apiKilled = System.nanoTime();
      kill("apiserver");
      assertThat(kubectl.run("--context", "nauta", "get", "namespaces").exitCode())
          .as("kubectl through the killed API server fails")
          .isNotZero();
      ok(throughSecond(kubectl, "create", "configmap", "after-kill", "--from-literal=k=v"));
      assertThat(
              ok(
                  throughSecond(
                      kubectl, "get", "configmap", "after-kill", "-o", "jsonpath={.data.k}")))
          .isEqualTo("v");
      await(
          "the watch through the second API server sees the new ConfigMap",
          Duration.ofSeconds(20),
          () -> watched.toString().contains("configmap/after-kill"));
      assertThat(watch.isAlive()).as("the watch through the second API server goes on").isTrue();
      watch.destroy();
      say(
          String.format(
              "the second API server served %.1f s after the first died", seconds(apiKilled)));
      passed = true;
    } finally {
      long downStart = System.nanoTime();
      Result down = launcher(Duration.ofMinutes(2), "down");
      say(String.format("down in %.1f s", seconds(downStart)));
      if (passed) {
        ok(down);
        for (ProcessHandle p : started) {
          assertThat(p.isAlive()).as("process %d after down", p.pid()).isFalse();
        }
        try (Stream<Path> pids = Files.list(home.resolve("run"))) {
          assertThat(pids.map(p -> p.getFileName().toString()))
              .as("pid files after down")
              .noneMatch(n -> n.endsWith(".pid"));
        }
        deleteTree(home);
      } else {
        say("failed; NAUTA_HOME with its logs kept in " + home);
      }
      say(String.format("whole test in %.1f s", seconds(start)));
    }
  }

  /** The instance ({@code base} or {@code base-2}) whose log names the Lease's holder. */
  private String leader(Kubectl k, String lease, String base) {
    String holder = holder(k, lease);
    assertThat(holder).as("Lease %s has a holder", lease).isNotEmpty();
    for (String instance : List.of(base, base + "-2")) {
      if (log(instance).contains(holder + ": became the leader of lease ")) {
        return instance;
      }
    }
    throw new AssertionError("no " + base + " log names the holder " + holder + " of " + lease);
  }

  /** kubectl in namespace {@value #NS} through the second API server (context nauta-2). */
  private static Kubectl.Result throughSecond(Kubectl k, String... args) {
    List<String> all = new ArrayList<>(List.of("--context", "nauta-2", "-n", NS));
    all.addAll(List.of(args));
    return k.run(all.toArray(String[]::new));
  }

  private static String other(String instance) {
    return instance.endsWith("-2") ? instance.substring(0, instance.length() - 2) : instance + "-2";
  }

  /** The identities an instance campaigned with (one per start), from its log. */
  private List<String> identities(String instance) {
    return log(instance)
        .lines()
        .filter(l -> l.contains(": campaigning for lease "))
        .map(l -> l.substring(0, l.indexOf(": campaigning for lease ")))
        .map(l -> l.substring(l.lastIndexOf(' ') + 1))
        .toList();
  }

  private static boolean tookOver(Kubectl k, String lease, String killedHolder) {
    String now = holder(k, lease);
    return !now.isEmpty() && !now.equals(killedHolder);
  }

  private static String holder(Kubectl k, String lease) {
    return jsonpath(k, "lease/" + lease, "{.spec.holderIdentity}");
  }

  private static String leaseDuration(Kubectl k, String lease) {
    return jsonpath(k, "lease/" + lease, "{.spec.leaseDurationSeconds}");
  }

  private static String jsonpath(Kubectl k, String object, String path) {
    Kubectl.Result r = k.run("-n", "kube-system", "get", object, "-o", "jsonpath=" + path);
    return r.exitCode() == 0 ? r.stdout().trim() : "";
  }

  /** Pods of the Deployment bound to a node and Running. */
  private static long running(Kubectl k) {
    Kubectl.Result r =
        k.run(
            "-n",
            NS,
            "get",
            "pods",
            "-l",
            "app=web",
            "-o",
            "jsonpath={range .items[*]}{.spec.nodeName} {.status.phase}{\"\\n\"}{end}");
    return r.exitCode() != 0
        ? -1
        : r.stdout().lines().filter(l -> l.matches("\\S+ Running")).count();
  }

  /** SIGKILL to a component's JVM and its supervisor (a crash: nothing released, no restart). */
  private void kill(String component) {
    ProcessHandle supervisor = process(component);
    supervisor.descendants().forEach(ProcessHandle::destroyForcibly);
    supervisor.destroyForcibly();
    supervisor.onExit().join();
  }

  private ProcessHandle process(String component) {
    try {
      long pid = Long.parseLong(Files.readString(home.resolve("run/" + component + ".pid")).trim());
      return ProcessHandle.of(pid)
          .orElseThrow(() -> new AssertionError(component + " not running"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String log(String component) {
    try {
      return Files.readString(home.resolve("logs/" + component + ".log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void await(String what, Duration timeout, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static String ok(Kubectl.Result r) {
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r.stdout();
  }

  private static String ok(Result r) {
    assertThat(r.exitCode()).as(r.output()).isZero();
    return r.output();
  }

  record Result(int exitCode, String output) {}

  private Result launcher(Duration timeout, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ExecJars.root().resolve("deploy/nauta").toString());
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile(home, "launcher-", ".log");
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      pb.redirectOutput(out.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("NAUTA_") || k.equals("KUBECONFIG"));
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        p.destroy();
        return new Result(-1, Files.readString(out) + "\n(timed out)");
      }
      String output = Files.readString(out);
      System.out.print(output.lines().map(l -> "[ha] " + l + "\n").reduce("", String::concat));
      return new Result(p.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void reader(InputStream in, StringBuffer to) {
    Thread t = new Thread(() -> QuickStartIT.copy(in, to), "ha-watch");
    t.setDaemon(true);
    t.start();
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static void say(String line) {
    System.out.println("[ha] " + line);
  }
}
