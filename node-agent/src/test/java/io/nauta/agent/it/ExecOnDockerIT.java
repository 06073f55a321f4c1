package io.nauta.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import io.nauta.agent.runtime.docker.DockerClients;
import io.nauta.agent.runtime.docker.EgressGuard;
import io.nauta.agent.runtime.docker.TestDockerNode;
import io.nauta.api.it.Kubectl;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The acceptance of issue 22's streaming subresources on the Docker runtime, with the real kubectl
 * 1.33 (WebSocket, {@code v5.channel.k8s.io}) through the API server and the node agent (mutual
 * TLS, {@code nodes/proxy}): exit codes, stdin, separate stderr, an interactive TTY under tmux with
 * its size, {@code kubectl cp} of 10 MiB both ways, {@code kubectl attach} (and {@code -i} to a
 * container with {@code stdin}), {@code kubectl port-forward} to a pod and a service (SPDY in a
 * WebSocket), and SPDY-only kubectl refused with a clear error.
 */
class ExecOnDockerIT {

  private static final String IMAGE = "nauta/busybox:local";
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dir;

  private static TestDockerNode node;
  private static DockerClient docker;
  private static ControlPlane plane;
  private static ConfigurableApplicationContext agent;
  private static Kubectl kubectl;
  private static Path kubeconfig;

  @BeforeAll
  static void startCluster() throws Exception {
    EgressGuard.install();
    docker = DockerClients.connect("", System.getProperty("api.version", ""));
    node = TestDockerNode.reserve(docker, "it-exec");
    // No scheduler or controllers: the pod names its node and mounts no token.
    plane = ControlPlane.apiOnly();
    agent =
        plane.startDockerAgent(
            "--nauta.agent.node-name=" + node.name(),
            "--nauta.agent.first-node-index=" + node.index(),
            "--nauta.agent.status-check-interval=1s",
            "--nauta.agent.root-dir=" + Files.createDirectories(dir.resolve("agent")));
    kubeconfig = plane.api.kubeconfig(dir);
    kubectl = new Kubectl(kubeconfig, Kubectl.versioned("1.33").toString());
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(ok("get", "nodes", "-o", "name").stdout()).isNotBlank());
    Kubectl.Result r =
        kubectl.runWithInput(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: box, labels: {app: box}}
            spec:
              nodeName: %1$s
              automountServiceAccountToken: false
              terminationGracePeriodSeconds: 0
              containers:
              - name: app
                image: %2$s
                ports: [{name: http, containerPort: 8080}]
                command:
                - sh
                - -c
                - >-
                  mkdir -p /tmp/www && echo hello > /tmp/www/index.html && httpd -p 8080 -h /tmp/www;
                  i=0; while true; do echo tick $i; i=$((i+1)); sleep 1; done
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: cat}
            spec:
              nodeName: %1$s
              automountServiceAccountToken: false
              terminationGracePeriodSeconds: 0
              restartPolicy: Never
              containers:
              - name: app
                image: %2$s
                command: [cat]
                stdin: true
                stdinOnce: true
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              selector: {app: box}
              ports: [{port: 80, targetPort: http}]
            """
                .formatted(node.name(), IMAGE),
            "apply",
            "-f",
            "-");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    ok("wait", "--for=condition=Ready", "pod/box", "pod/cat", "--timeout=60s");
  }

  @AfterAll
  static void stopCluster() {
    if (kubectl != null) {
      kubectl.run("delete", "pods", "--all", "--grace-period=0", "--wait=false");
    }
    if (agent != null) {
      agent.close();
    }
    if (plane != null) {
      plane.close();
    }
    if (node != null) {
      node.cleanUp(docker);
    }
  }

  @Test
  void execReturnsTheCommandsExitCodeAndKeepsStderrApart() {
    Kubectl.Result r =
        kubectl.run("exec", "box", "--", "sh", "-c", "echo out; echo err >&2; exit 3");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
    assertThat(r.stdout()).isEqualTo("out\n");
    assertThat(r.stderr()).startsWith("err\n").contains("command terminated with exit code 3");
    assertThat(ok("exec", "box", "--", "echo", "fine").stdout()).isEqualTo("fine\n");
  }

  @Test
  void stdinIsPipedAndItsEndReachesTheProcess() {
    Kubectl.Result r = kubectl.runWithInput("hi\nthere\n", "exec", "-i", "box", "--", "cat");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).isEqualTo("hi\nthere\n");
  }

  @Test
  void aMissingCommandOrContainerIsRefusedAsKubernetesDoes() {
    Kubectl.Result r = kubectl.run("exec", "box", "-c", "nope", "--", "true");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("container nope is not valid for pod box");
    r = kubectl.run("exec", "box", "--", "/no/such/binary");
    assertThat(r.exitCode()).as(r.toString()).isNotZero();
  }

  @Test
  void cpCopiesTenMebibytesInAndOutUnchanged() throws Exception {
    byte[] data = new byte[10 * 1024 * 1024];
    new Random(22).nextBytes(data);
    Path in = Files.write(dir.resolve("in.bin"), data);
    ok("cp", in.toString(), "box:/tmp/in.bin");
    String inside = ok("exec", "box", "--", "sha256sum", "/tmp/in.bin").stdout();
    assertThat(inside).startsWith(sha256(data) + " ");
    Path out = dir.resolve("out.bin");
    ok("cp", "box:/tmp/in.bin", out.toString());
    assertThat(sha256(Files.readAllBytes(out))).isEqualTo(sha256(data));
  }

  @Test
  void anInteractiveTtyUnderTmuxHasTheTerminalsSize() throws Exception {
    String socket = "nauta-exec-it-" + ProcessHandle.current().pid();
    String session = "exec";
    try {
      run(
          "tmux",
          "-L",
          socket,
          "new-session",
          "-d",
          "-s",
          session,
          "-x",
          "101",
          "-y",
          "41",
          "env KUBECACHEDIR="
              + dir.resolve("cache")
              + " "
              + Kubectl.versioned("1.33")
              + " --kubeconfig="
              + kubeconfig
              + " exec -it box -- sh 2>"
              + dir.resolve("tty.err")
              + "; sleep 30");
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () -> {
                run("tmux", "-L", socket, "send-keys", "-t", session, "stty size; tty", "Enter");
                String screen = run("tmux", "-L", socket, "capture-pane", "-p", "-t", session);
                assertThat(screen)
                    .as(screen + Files.readString(dir.resolve("tty.err")))
                    .contains("41 101")
                    .contains("/dev/pts/");
              });
      run("tmux", "-L", socket, "send-keys", "-t", session, "exit", "Enter");
    } finally {
      new ProcessBuilder("tmux", "-L", socket, "kill-server").start().waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void attachFollowsTheContainersOutput() throws Exception {
    Process p = kubectl.start("attach", "box");
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String first = out.readLine();
      if (first == null) {
        p.waitFor(5, TimeUnit.SECONDS);
        throw new AssertionError(new String(p.getErrorStream().readAllBytes()));
      }
      String second = out.readLine();
      assertThat(first).startsWith("tick ");
      assertThat(second).startsWith("tick ");
      int a = Integer.parseInt(first.substring(5));
      assertThat(second).isEqualTo("tick " + (a + 1));
    } finally {
      p.destroy();
      p.waitFor(5, TimeUnit.SECONDS);
    }
  }

  /**
   * {@code stdin: true, stdinOnce: true} make an open standard input: {@code kubectl attach -i}
   * writes to it, and its end closes it, so {@code cat} echoes and exits.
   */
  @Test
  void attachWritesToAContainerWithStdinOpen() {
    Kubectl.Result r = kubectl.runWithInput("hi\n", "attach", "-i", "cat");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).isEqualTo("hi\n");
  }

  /**
   * {@code kubectl port-forward} (1.33: SPDY tunnelled in a WebSocket) to a pod serves 50 HTTP
   * requests from 4 parallel clients, each on a connection of its own.
   */
  @Test
  void portForwardToAPodServesParallelRequests() throws Exception {
    try (Forward f = Forward.start("pod/box", ":8080")) {
      ExecutorService clients = Executors.newFixedThreadPool(4);
      try {
        List<Future<Integer>> done = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
          int requests = c < 2 ? 13 : 12;
          done.add(
              clients.submit(
                  () -> {
                    for (int i = 0; i < requests; i++) {
                      f.get();
                    }
                    return requests;
                  }));
        }
        int total = 0;
        for (Future<Integer> d : done) {
          total += d.get(60, TimeUnit.SECONDS);
        }
        assertThat(total).isEqualTo(50);
      } finally {
        clients.shutdownNow();
      }
    }
  }

  /**
   * {@code kubectl port-forward svc/web} picks the service's pod and its target port (a named one
   * here) client-side; a port nothing listens on is reported on the error stream as the kubelet
   * reports it.
   */
  @Test
  void portForwardToAServiceAndToAClosedPort() throws Exception {
    try (Forward f = Forward.start("svc/web", ":80")) {
      f.get();
    }
    try (Forward f = Forward.start("pod/box", ":9999")) {
      try (Socket s = new Socket("127.0.0.1", f.port)) {
        s.setSoTimeout(10_000);
        // The pod's side refused: the forwarded connection ends without a byte.
        assertThat(s.getInputStream().read()).isEqualTo(-1);
      } catch (java.net.SocketException reset) {
        // kubectl may have gone first
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(
              () ->
                  assertThat(f.stderr.toString())
                      .contains("error forwarding port 9999 to pod box")
                      .contains("refused"));
    }
  }

  /** A running {@code kubectl port-forward}: its local port (kubectl's pick) and its stderr. */
  private static final class Forward implements AutoCloseable {

    final Process process;
    final StringBuffer stderr = new StringBuffer();
    final int port;

    private Forward(Process process) throws Exception {
      this.process = process;
      Thread reader =
          new Thread(
              () -> {
                try (var err =
                    new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)) {
                  for (int c = err.read(); c >= 0; c = err.read()) {
                    stderr.append((char) c);
                  }
                } catch (java.io.IOException e) {
                  // the process ended
                }
              });
      reader.setDaemon(true);
      reader.start();
      // "Forwarding from 127.0.0.1:N -> M" first; stdout is drained so it never fills.
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      String prefix = "Forwarding from 127.0.0.1:";
      if (line == null || !line.startsWith(prefix)) {
        process.waitFor(5, TimeUnit.SECONDS);
        close();
        throw new AssertionError(line + " (kubectl port-forward did not start) " + stderr);
      }
      port = Integer.parseInt(line.substring(prefix.length()).split(" ")[0]);
      Thread drain =
          new Thread(
              () -> {
                try {
                  while (out.readLine() != null) {}
                } catch (java.io.IOException e) {
                  // the process ended
                }
              });
      drain.setDaemon(true);
      drain.start();
    }

    static Forward start(String... target) throws Exception {
      List<String> args = new ArrayList<>(List.of("port-forward"));
      args.addAll(List.of(target));
      return new Forward(kubectl.start(args.toArray(String[]::new)));
    }

    /** GET /index.html through the forward, on a connection of its own: busybox httpd's "hello". */
    void get() throws Exception {
      String response;
      try (Socket socket = new Socket("127.0.0.1", port)) {
        socket.setSoTimeout(10_000);
        socket
            .getOutputStream()
            .write("GET /index.html HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (java.io.IOException e) {
        throw new AssertionError("kubectl: " + stderr, e);
      }
      assertThat(response).as(stderr.toString()).startsWith("HTTP/1.").contains(" 200 ");
      assertThat(response).endsWith("\r\n\r\nhello\n");
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }

  /**
   * A process writing as fast as it can to a kubectl whose output nobody reads is held back: the
   * bytes it got out stop growing well below what it would write, so no hop (API server, agent,
   * Docker) buffers without bound.
   */
  @Test
  void aFastProducerIntoAReaderThatReadsNothingIsHeldBack() throws Exception {
    Process p =
        kubectl.start(
            "exec",
            "box",
            "--",
            "sh",
            "-c",
            "i=0; while head -c 65536 /dev/zero; do i=$((i+1)); echo $i > /tmp/progress; done");
    try {
      long[] last = {-1};
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(700))
          .until(
              () -> {
                long now = progress();
                boolean stalled = now > 0 && now == last[0];
                last[0] = now;
                return stalled;
              });
      long written = last[0] * 64 * 1024;
      System.out.println("backpressure: the producer stalled after " + written + " bytes");
      // Socket buffers on three hops hold some MiB; without backpressure it would never stall.
      assertThat(written).isLessThan(96L * 1024 * 1024);
      assertThat(p.isAlive()).isTrue();
    } finally {
      p.destroy();
      p.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private static long progress() {
    String out = kubectl.run("exec", "box", "--", "cat", "/tmp/progress").stdout().trim();
    return out.isEmpty() ? 0 : Long.parseLong(out);
  }

  @Test
  void kubectlSpeakingOnlySpdyIsToldWhatToUse() throws Exception {
    Kubectl old = new Kubectl(kubeconfig, Kubectl.versioned("1.28").toString());
    Kubectl.Result r = old.run("exec", "box", "--", "true");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("SPDY/3.1 is not supported").contains("kubectl 1.30");
    r = old.run("port-forward", "pod/box", ":8080");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("port-forward needs kubectl 1.31");
    // kubectl 1.29 speaks WebSocket when told to (1.30 does by default).
    ProcessBuilder pb =
        new ProcessBuilder(
            Kubectl.versioned("1.29").toString(),
            "--kubeconfig=" + kubeconfig,
            "exec",
            "box",
            "--",
            "echo",
            "ok");
    pb.environment().put("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "true");
    pb.environment().put("KUBECACHEDIR", dir.resolve("cache").toString());
    Process proc = pb.start();
    assertThat(proc.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("ok\n");
    assertThat(proc.exitValue()).isZero();
  }

  @Test
  void theEditRoleMayExecAndTheViewRoleMayNot() {
    ok("create", "rolebinding", "dev-edit", "--clusterrole=edit", "--user=dev");
    ok("create", "rolebinding", "ro-view", "--clusterrole=view", "--user=ro");
    String rules = ok("auth", "can-i", "--list", "--as=dev").stdout();
    for (String sub : List.of("pods/exec", "pods/attach", "pods/portforward")) {
      // One line with the writes (create among them), one with the reads (get).
      String granted =
          String.join(" ", rules.lines().filter(l -> l.startsWith(sub + " ")).toList());
      assertThat(granted).as(rules).contains("create").contains("get");
    }
    Kubectl.Result r = kubectl.run("exec", "box", "--as=ro", "--", "true");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("cannot").contains("pods/exec");
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    return out;
  }

  private static Kubectl.Result ok(String... args) {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }
}
