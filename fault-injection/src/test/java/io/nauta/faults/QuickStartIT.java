package io.nauta.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.faults.ReadmeCommands.Command;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's "Quick start" and "Using it with kubectl", run as a new user would type them: the
 * shell blocks are read out of README.md itself (so the README cannot drift from what works) and
 * run one command at a time, in order, in a fresh checkout (a directory linking the reactor's
 * modules and deploy/, with no {@code .nauta} of its own, so {@code deploy/nauta up} makes a fresh
 * NAUTA_HOME exactly where the README's {@code export KUBECONFIG=$PWD/.nauta/kubeconfig} expects
 * it). The first command that fails fails the test with the command and its output. Then, as the
 * README promises of the embedded Redis's AOF, {@code deploy/nauta up} again finds every object the
 * blocks left (same uid); on it the "Scheduling" section's block runs (a Node of one's own, a pod
 * bound to it); with the Docker runtime every manifest of {@code deploy/examples} is applied and
 * held to what its README promises ({@link Examples}); the launcher's own promises are checked on
 * the way: where everything is when {@code up} is ready, {@code up} twice ("already running"),
 * {@code down} of another NAUTA_HOME leaving this one alone, a node joined with the command {@code
 * token create --print-join-command} prints (and a wrong {@code --ca-cert-hash} refused), a taken
 * port reported before anything starts; and {@code deploy/nauta down} leaves no container or
 * network behind.
 *
 * <p>What the test changes, and only so that it can run beside other tests on one machine: {@code
 * deploy/nauta up} gets {@code --port} (the API server's; the README allows it) and the other
 * components' ports, the node's name, its pod and service ranges and node-port range come from the
 * launcher's environment variables ({@code deploy/nauta up --help}); the jars are run as packaged
 * ({@code NAUTA_NO_BUILD=1}). The runtime is what {@code up} picks, as the README says: Docker with
 * a Docker engine and root (CI), else simulated. The quick start's {@code deploy/nauta test} is
 * skipped (the suite that runs this test); a command the README ends with Ctrl-C ({@code kubectl
 * get pods --watch}) runs until it shows a pod Running and then gets SIGINT.
 */
class QuickStartIT {

  static final List<String> SECTIONS = List.of("Quick start", "Using it with kubectl");

  /** Run on the restarted Nauta, after the objects were checked: needs a running one. */
  static final List<String> ON_THE_RESTARTED = List.of("Scheduling");

  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(4);
  private static final Duration WATCH_TIMEOUT = Duration.ofSeconds(90);
  private static final Pattern UP = Pattern.compile("(^|[\\s;&|(])(deploy/nauta\\s+up)(?=\\s|$)");

  /** The kinds whose objects must all come back, with their uids, after down and up. */
  private static final String KINDS =
      "namespaces,nodes,serviceaccounts,configmaps,secrets,services,pods,deployments,"
          + "clusterroles,clusterrolebindings,roles,rolebindings";

  private final Path logs =
      Path.of(System.getProperty("nauta.faults.logs", "target/fault-injection"));
  private final List<String> exports = new ArrayList<>();
  private Path checkout;
  private Map<String, String> env;
  private int apiPort;
  private int joinAgentPort;
  private String node;

  @Test
  void theReadmesQuickStartAndKubectlBlocksRunAsWrittenAndTheObjectsOutliveARestart()
      throws IOException {
    long start = System.nanoTime();
    Path root = ExecJars.root();
    String readme = Files.readString(root.resolve("README.md"));
    List<Command> commands = ReadmeCommands.of(readme, SECTIONS);
    List<Command> later = ReadmeCommands.of(readme, ON_THE_RESTARTED);
    for (String section : Stream.concat(SECTIONS.stream(), ON_THE_RESTARTED.stream()).toList()) {
      assertThat(Stream.concat(commands.stream(), later.stream()))
          .as("README.md has shell blocks under \"" + section + "\"")
          .anyMatch(c -> c.section().equals(section));
    }
    Examples.assertAllCovered(root.resolve("deploy/examples"));
    ExecJars.of("platform-api"); // fails with how to build it when the jars are missing
    checkout = freshCheckout(root);
    prepareEnvironment();
    Files.createDirectories(logs);
    Files.writeString(logs.resolve("quickstart.log"), "");
    boolean passed = false;
    try {
      List<String> before = null;
      for (Command c : commands) {
        String line = c.line();
        if (line.startsWith("deploy/nauta test")) {
          say("skipped (it runs the suite this test is part of): " + line);
        } else if (c.comment().contains("Ctrl-C")) {
          watchUntilRunning(c);
        } else {
          if (line.startsWith("deploy/nauta down")) {
            before = objects();
          }
          ok(c);
          if (line.startsWith("export ")) {
            exports.add(c.text());
          }
        }
      }
      assertThat(before)
          .as("the README's kubectl block ends with deploy/nauta down, whose objects are checked")
          .isNotNull()
          .anyMatch(o -> o.matches("Namespace\\s+<none>\\s+demo\\s+.*"));

      assertSaysWhereEverythingIs(ok("deploy/nauta up"));
      List<String> after = objects();
      assertThat(after)
          .as("after down and up (the embedded Redis's AOF) every object is there, same uid")
          .containsAll(before);
      for (Command c : later) {
        ok(c);
      }
      upTwiceSaysAlreadyRunning();
      boolean docker =
          Files.readString(checkout.resolve(".nauta/run/where")).contains("runtime      docker");
      Examples examples = new Examples((command, timeout) -> run(command, null, timeout));
      IngressAcceptance shop =
          new IngressAcceptance((command, timeout) -> run(command, null, timeout), checkout, env);
      long examplesStart = System.nanoTime();
      if (docker) {
        shop.apply(); // its pods start while the examples are checked
        examples.applyAndCheck();
        shop.check();
      } else {
        say("deploy/examples skipped: they need the Docker runtime (a Docker engine and root)");
      }
      // With the examples' pods running, another NAUTA_HOME's down must leave them alone.
      downFromAnotherHomeStopsNothingOfThis(docker);
      if (docker) {
        shop.delete();
        examples.deleteAndCheckGone();
        say(String.format("deploy/examples in %.1f s", (System.nanoTime() - examplesStart) / 1e9));
      }
      aNodeJoinsWithTheCommandTokenCreatePrints();
      ok("deploy/nauta down");
      assertNothingLeftOnDocker();
      takenPortIsReportedBeforeAnythingStarts();
      buildSaysItsProgressAndWhyItFailed(root);
      passed = true;
    } finally {
      if (!passed) {
        run("deploy/nauta down", null, COMMAND_TIMEOUT);
        say("failed; the checkout and its .nauta (logs) are kept in " + checkout);
      }
      say(String.format("whole test in %.1f s", (System.nanoTime() - start) / 1e9));
    }
    deleteCheckout();
  }

  /**
   * A directory that looks like a fresh clone: a link to every top-level entry of the reactor
   * (deploy/, the modules with their packaged jars, README.md) but none of its hidden ones, so no
   * {@code .nauta}. {@code deploy/nauta} takes its ROOT from its own path as called, this
   * directory.
   */
  private static Path freshCheckout(Path root) throws IOException {
    Path dir = Files.createTempDirectory("nauta-quickstart-");
    try (Stream<Path> entries = Files.list(root)) {
      for (Path entry : entries.toList()) {
        String name = entry.getFileName().toString();
        if (!name.startsWith(".")) {
          Files.createSymbolicLink(dir.resolve(name), entry);
        }
      }
    }
    return dir;
  }

  private void prepareEnvironment() {
    env = new HashMap<>(System.getenv());
    env.keySet().removeIf(k -> k.startsWith("NAUTA_") || k.equals("KUBECONFIG"));
    int[] ports = freePorts(10);
    joinAgentPort = ports[9];
    apiPort = ports[0];
    node =
        "quickstart-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    env.put("NAUTA_NO_BUILD", "1");
    env.put("NAUTA_READY_TIMEOUT", "180");
    env.put("NAUTA_SCHEDULER_PORT", String.valueOf(ports[1]));
    env.put("NAUTA_CONTROLLERS_PORT", String.valueOf(ports[2]));
    env.put("NAUTA_AGENT_PORT", String.valueOf(ports[3]));
    env.put("NAUTA_DNS_PORT", String.valueOf(ports[4]));
    env.put("NAUTA_DNS_METRICS_PORT", String.valueOf(ports[5]));
    env.put("NAUTA_INGRESS_HTTP_PORT", String.valueOf(ports[6]));
    env.put("NAUTA_INGRESS_HTTPS_PORT", String.valueOf(ports[7]));
    env.put("NAUTA_INGRESS_METRICS_PORT", String.valueOf(ports[8]));
    env.put("NAUTA_NODE_NAME", node);
    // Not the defaults (10.244/16, 10.96/16, 30000-32767) a federation's first member takes.
    env.put("NAUTA_CLUSTER_CIDR", "10.239.0.0/16");
    env.put("NAUTA_SERVICE_CIDR", "10.91.0.0/16");
    env.put("NAUTA_NODE_PORT_RANGE", "32700-32767");
    env.put("NAUTA_JAVA_OPTS", ShortLivedJvms.javaOpts());
  }

  /** Runs the command; fails with it and its output unless it exits with 0. */
  private String ok(String command) {
    return ok(command, "");
  }

  /** A README command: as {@link #ok(String)}, the failure naming the README's section. */
  private String ok(Command c) {
    return ok(c.text(), "README.md, \"" + c.section() + "\": ");
  }

  private String ok(String command, String where) {
    Result r = run(command, null, COMMAND_TIMEOUT);
    assertThat(r.exitCode())
        .as("%s`%s` failed (exit %d):%n%s", where, r.command(), r.exitCode(), r.output())
        .isZero();
    return r.output();
  }

  /**
   * A command the README ends with Ctrl-C: it must show a pod Running within {@link
   * #WATCH_TIMEOUT}, and not end by itself with an error before; then it gets Ctrl-C's SIGINT.
   */
  private void watchUntilRunning(Command c) {
    Pattern running = Pattern.compile("(?m)^\\S+\\s+\\d+/\\d+\\s+Running\\s");
    Result r = run(c.text(), out -> running.matcher(out).find(), WATCH_TIMEOUT);
    assertThat(r.interrupted())
        .as(
            "README.md, \"%s\": `%s` shows a pod Running within %s, then Ctrl-C ends it (exit"
                + " %d):%n%s",
            c.section(), r.command(), WATCH_TIMEOUT, r.exitCode(), r.output())
        .isTrue();
  }

  /** What {@code up} prints when ready: each component started, then where everything is. */
  private void assertSaysWhereEverythingIs(String out) {
    String api = "https://127.0.0.1:" + apiPort;
    for (String component : List.of("apiserver", "scheduler", "controllers", "dns", "agent")) {
      assertThat(out).contains("started " + component + " (pid ", component + " ready (");
    }
    assertThat(out)
        .as("what deploy/nauta up says when ready")
        .containsPattern("nauta: ready in \\d+ s:")
        .contains(
            "API server   " + api,
            "kubeconfig   " + checkout.resolve(".nauta/kubeconfig"),
            "Swagger UI   " + api + "/swagger-ui.html",
            "API server " + api + "/actuator/prometheus",
            "scheduler https://127.0.0.1:"
                + env.get("NAUTA_SCHEDULER_PORT")
                + "/actuator/prometheus",
            "logs         " + checkout.resolve(".nauta/logs"),
            "runtime      ",
            "export KUBECONFIG=" + checkout.resolve(".nauta/kubeconfig"));
  }

  /**
   * {@code up} while it runs says so with the API server's pid and where it is, exit 0 (what was
   * asked for holds); asked for another port it cannot hold that: exit 1, nothing started.
   */
  private void upTwiceSaysAlreadyRunning() throws IOException {
    String pid = Files.readString(checkout.resolve(".nauta/run/apiserver.pid")).strip();
    String again = ok("deploy/nauta up");
    assertThat(again)
        .contains(
            "already running (pid " + pid + ", https://127.0.0.1:" + apiPort + ")",
            "API server   https://127.0.0.1:" + apiPort,
            "export KUBECONFIG=");
    Result otherPort = run("deploy/nauta up --port " + (apiPort + 1), null, COMMAND_TIMEOUT);
    assertThat(otherPort.exitCode()).as(otherPort.output()).isEqualTo(1);
    assertThat(otherPort.output()).contains("already running (pid " + pid + ")");
    assertThat(Files.readString(checkout.resolve(".nauta/run/apiserver.pid")).strip())
        .isEqualTo(pid);
  }

  /** {@code down} with another NAUTA_HOME leaves this Nauta, its pods included, running. */
  private void downFromAnotherHomeStopsNothingOfThis(boolean docker) {
    String pods = "docker ps -q --filter label=io.nauta.node=" + node;
    String before = docker ? ok(pods) : "";
    if (docker) {
      assertThat(before).as("the examples' containers, running").isNotBlank();
    }
    String out = ok("NAUTA_HOME=" + checkout.resolve("another-home") + " deploy/nauta down");
    assertThat(out).contains("nothing of " + checkout.resolve("another-home") + " runs");
    assertThat(ok("kubectl get --raw /readyz")).isEqualTo("ok");
    assertThat(docker ? ok(pods) : "")
        .as("this Nauta's pod containers after another NAUTA_HOME's down")
        .isEqualTo(before);
  }

  /**
   * kubeadm's way to add a node: {@code token create --print-join-command} prints the whole join
   * command, whose {@code --ca-cert-hash} is the SHA-256 of the server CA's SubjectPublicKeyInfo
   * and whose server is the one {@code kube-public/cluster-info} names. A wrong hash is refused
   * before anything starts; the printed command, run from another NAUTA_HOME (as on another host;
   * here on the simulated runtime, with a port and node name of its own) reads the CA from the
   * server, joins, and its node turns Ready. Its {@code down} and a delete of its Node leave the
   * cluster as it was.
   */
  private void aNodeJoinsWithTheCommandTokenCreatePrints() throws IOException {
    String line =
        ok("deploy/nauta token create --ttl 10m --print-join-command 2>/dev/null").strip();
    String hash;
    try (InputStream in = Files.newInputStream(checkout.resolve(".nauta/pki/server-ca.crt"))) {
      java.security.cert.Certificate ca =
          java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
      hash =
          HexFormat.of()
              .formatHex(
                  java.security.MessageDigest.getInstance("SHA-256")
                      .digest(ca.getPublicKey().getEncoded()));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    assertThat(line)
        .as("the one line token create --print-join-command prints")
        .matches(
            "deploy/nauta join --server https://[0-9.]+:"
                + apiPort
                + " --token [a-z0-9]{6}\\.[a-z0-9]{16} --ca-cert-hash sha256:"
                + hash);
    String joined = node + "-joined";
    String options = " --node-name " + joined + " --node-ip 127.0.0.1 --runtime simulated";
    Path home = checkout.resolve("joined-home");
    String as = "NAUTA_HOME=" + home + " NAUTA_AGENT_PORT=" + joinAgentPort + " ";
    String zeros = "sha256:" + "0".repeat(64);
    Result wrong = run(as + line.replace("sha256:" + hash, zeros) + options, null, COMMAND_TIMEOUT);
    assertThat(wrong.exitCode()).as(wrong.output()).isEqualTo(1);
    assertThat(wrong.output())
        .contains(
            "join: refusing the CA of https://",
            "its public key's hash is sha256:" + hash + ", not " + zeros);
    assertThat(home.resolve("run/agent.pid")).as("nothing started").doesNotExist();
    assertThat(home.resolve("pki/server-ca.crt")).as("nothing trusted").doesNotExist();

    String out = ok(as + line + options);
    assertThat(out).contains("matches --ca-cert-hash sha256:" + hash, "joined: ");
    ok("kubectl wait --for=condition=Ready node/" + joined + " --timeout=60s");
    // NAUTA_CLUSTER_CIDR (10.239.0.0/16) reaches the joining agent too: the first /24 is this
    // host's node's, so it takes the next.
    assertThat(ok("kubectl get nodes -o jsonpath={.items[*].spec.podCIDR}").split(" "))
        .containsExactlyInAnyOrder("10.239.0.0/24", "10.239.1.0/24");
    ok(as + "deploy/nauta down");
    ok("kubectl delete node " + joined);
  }

  /**
   * {@code up} on a port this JVM holds fails at once naming the holder and the option, before
   * anything starts (no run directory, no egress guard, no JVM).
   */
  private void takenPortIsReportedBeforeAnythingStarts() throws IOException {
    int port = freePorts(1)[0];
    Path home = checkout.resolve("taken-port-home");
    try (ServerSocket held = new ServerSocket()) {
      held.bind(new InetSocketAddress(port));
      Result r =
          run("NAUTA_HOME=" + home + " deploy/nauta up --port " + port, null, COMMAND_TIMEOUT);
      assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
      assertThat(r.output())
          .contains(
              "port "
                  + port
                  + " (the API server's) is in use by java (pid "
                  + ProcessHandle.current().pid()
                  + "); set --port");
    }
    assertThat(home.resolve("run")).as("nothing started").doesNotExist();
  }

  /**
   * A build is not silent: in a checkout whose pom.xml is newer than the jars, {@code up} builds,
   * saying every second ({@code NAUTA_PROGRESS_EVERY=1}) that it still does; a build that fails (a
   * stand-in {@code mvn} on PATH, failing after 3 s) ends {@code up} with its log's last lines.
   */
  private void buildSaysItsProgressAndWhyItFailed(Path root) throws IOException {
    Path stale = checkout.resolve("stale-checkout");
    Files.createDirectories(stale);
    try (Stream<Path> entries = Files.list(root)) {
      for (Path entry : entries.toList()) {
        String name = entry.getFileName().toString();
        if (!name.startsWith(".") && !name.equals("pom.xml")) {
          Files.createSymbolicLink(stale.resolve(name), entry);
        }
      }
    }
    Files.copy(root.resolve("pom.xml"), stale.resolve("pom.xml")); // newer than every jar
    Path bin = Files.createDirectories(checkout.resolve("fake-bin"));
    Files.writeString(
        bin.resolve("mvn"),
        "#!/bin/sh\necho '[ERROR] the stand-in build fails'\nsleep 3\nexit 1\n");
    bin.resolve("mvn").toFile().setExecutable(true);
    Result r =
        run(
            "NAUTA_NO_BUILD= NAUTA_PROGRESS_EVERY=1 PATH="
                + bin
                + ":$PATH "
                + stale.resolve("deploy/nauta")
                + " up --runtime simulated --port "
                + apiPort,
            null,
            COMMAND_TIMEOUT);
    assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
    Matcher progress =
        Pattern.compile(
                "building \\.\\.\\. \\d+ s \\(log: "
                    + Pattern.quote(stale.resolve(".nauta/logs/build.log").toString()))
            .matcher(r.output());
    assertThat(progress.results().count())
        .as("progress lines in:%n%s", r.output())
        .isGreaterThan(1);
    assertThat(r.output())
        .contains(
            "building the jars", "building failed after ", "[ERROR] the stand-in build fails");
    assertThat(stale.resolve(".nauta/run")).as("nothing started").doesNotExist();
  }

  /** Every object of {@link #KINDS}: kind, namespace, name and uid, one line each. */
  private List<String> objects() {
    String out =
        ok(
            "kubectl get "
                + KINDS
                + " -A --no-headers -o custom-columns="
                + "KIND:.kind,NAMESPACE:.metadata.namespace,NAME:.metadata.name,UID:.metadata.uid");
    return out.lines().map(String::strip).filter(l -> !l.isEmpty()).sorted().toList();
  }

  private void assertNothingLeftOnDocker() {
    if (run("docker info", null, Duration.ofSeconds(30)).exitCode() != 0) {
      return;
    }
    for (String what : List.of("ps -a", "network ls", "volume ls")) {
      String left = ok("docker " + what + " -q --filter label=io.nauta.node=" + node).strip();
      assertThat(left).as("docker %s of node %s after deploy/nauta down", what, node).isEmpty();
    }
  }

  record Result(String command, int exitCode, String output, boolean interrupted) {}

  /**
   * Runs one command with bash in the checkout, after the README's exports so far; {@code deploy/
   * nauta up} gets {@code --port}. With {@code until}, the command is interrupted (SIGINT, as
   * Ctrl-C) once its output satisfies it.
   */
  private Result run(String command, Predicate<String> until, Duration timeout) {
    String text = withPort(command);
    List<String> script = new ArrayList<>(exports);
    script.add(text);
    long start = System.nanoTime();
    StringBuffer output = new StringBuffer();
    int exit;
    boolean interrupted = false;
    try {
      ProcessBuilder pb =
          new ProcessBuilder("bash", "-c", String.join("\n", script))
              .directory(checkout.toFile())
              .redirectErrorStream(true);
      pb.environment().clear();
      pb.environment().putAll(env);
      Process p = pb.start();
      p.getOutputStream().close();
      Thread reader = new Thread(() -> copy(p.getInputStream(), output), "quickstart-output");
      reader.setDaemon(true);
      reader.start();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (p.isAlive() && System.nanoTime() < deadline) {
        if (until != null && until.test(output.toString())) {
          interrupted = true;
          break;
        }
        p.waitFor(100, TimeUnit.MILLISECONDS);
      }
      if (p.isAlive()) {
        // Ctrl-C reaches the foreground process group: the command and bash around it.
        p.descendants().forEach(d -> signal("INT", d.pid()));
        signal("INT", p.pid());
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly().waitFor();
        }
        if (!interrupted) {
          output.append("\n(timed out after ").append(timeout).append(')');
        }
      }
      exit = p.exitValue();
      reader.join(5_000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    String end = interrupted ? "Ctrl-C  " : String.format("exit %-3d", exit);
    say(String.format("%5.1f s  %s %s", (System.nanoTime() - start) / 1e9, end, text));
    log("$ " + text + "\n" + output + "(exit " + exit + ")\n\n");
    return new Result(text, exit, output.toString(), interrupted);
  }

  /** {@code deploy/nauta up} on this test's API server port, unless the command names one. */
  private String withPort(String command) {
    if (command.contains("--port")) {
      return command;
    }
    return UP.matcher(command)
        .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + " --port " + apiPort));
  }

  static void copy(InputStream in, StringBuffer to) {
    byte[] buf = new byte[8192];
    try (in) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        to.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  private static void signal(String signal, long pid) {
    Federation.signal(signal, pid);
  }

  private void say(String line) {
    System.out.println("[quickstart] " + line);
  }

  private void log(String text) {
    try {
      Files.writeString(
          logs.resolve("quickstart.log"),
          text,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      say("could not write the log: " + e);
    }
  }

  /**
   * {@code count} consecutive ports free on every address (TCP, and UDP for the cluster DNS), from
   * 29100 on: above the ports a federation test takes (20000 to about 29020), below the node ports
   * (30000) and the kernel's ephemeral range (32768).
   */
  static int[] freePorts(int count) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = 29100 + ThreadLocalRandom.current().nextInt(800);
      int[] ports = new int[count];
      boolean free = true;
      for (int i = 0; i < count && free; i++) {
        ports[i] = base + i;
        free = free(ports[i]);
      }
      if (free) {
        return ports;
      }
    }
    throw new IllegalStateException("no " + count + " free consecutive ports from 29100 to 29900");
  }

  private static boolean free(int port) {
    try (ServerSocket tcp = new ServerSocket();
        DatagramSocket udp = new DatagramSocket(null)) {
      tcp.bind(new InetSocketAddress(port));
      udp.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  /** Removes the checkout's own files; the links into the reactor are removed, never followed. */
  private void deleteCheckout() throws IOException {
    try (Stream<Path> files = Files.walk(checkout)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
