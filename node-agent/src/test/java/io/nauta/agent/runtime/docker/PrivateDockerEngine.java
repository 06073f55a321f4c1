package io.nauta.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Docker engine of a test's own: a {@code dockerd} process with its socket, data root, exec root
 * (where it runs its own containerd) and pid file in one temporary directory, its default bridge an
 * interface of its own, and no iptables rules or sysctls touched, so the test may stop and start it
 * under running pods while the machine's shared engine, which other tests use at the same time, is
 * left alone. Needs root and {@code dockerd}; {@link #start} fails saying so when either is
 * missing.
 *
 * <p>Not {@code --bridge=none}: a dockerd started so deletes the host's {@code docker0} (moby's
 * {@code removeDefaultBridgeInterface}), the shared engine's default bridge, and every container
 * the shared engine starts afterwards fails with "could not find bridge docker0".
 *
 * <p>{@link #close} removes everything it made: its containers and networks, its dockerd,
 * containerd and shim processes, the mounts under its directory, its default bridge and the bridge
 * interfaces of its networks (which dockerd leaves behind when it stops) and the directory.
 */
public final class PrivateDockerEngine implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final Path log;
  private final String dockerd;
  private final String defaultBridge;
  private final Set<String> bridges = new LinkedHashSet<>();
  private Process process;
  private DockerClient client;

  private PrivateDockerEngine(Path dir, Path log, String dockerd, String defaultBridge) {
    this.dir = dir;
    this.log = log;
    this.dockerd = dockerd;
    this.defaultBridge = defaultBridge;
    bridges.add(defaultBridge);
  }

  /**
   * Starts an engine and waits until it answers.
   *
   * @param log where dockerd's output goes (appended across restarts)
   * @param bridgeAddress the address of the engine's default bridge with its prefix, e.g. {@code
   *     10.244.201.1/24}, in a range nothing else on this host uses
   */
  public static PrivateDockerEngine start(Path log, String bridgeAddress) {
    String uid = processUid();
    if (!"0".equals(uid)) {
      throw new IllegalStateException(
          "a private Docker engine needs root (this JVM runs as uid " + uid + ")");
    }
    String dockerd = findDockerd();
    PrivateDockerEngine engine;
    try {
      // Short: the engine's and its containerd's unix sockets live under it (108-byte limit).
      Path dir = Files.createTempDirectory(Path.of("/tmp"), "nauta-dockerd-");
      Files.writeString(dir.resolve("daemon.json"), "{}");
      Files.createDirectories(log.toAbsolutePath().getParent());
      // An interface name has at most 15 characters.
      String bridge = String.format("nauta-pd%04x", dir.toString().hashCode() & 0xffff);
      engine = new PrivateDockerEngine(dir, log.toAbsolutePath(), dockerd, bridge);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      engine.createDefaultBridge(bridgeAddress);
      engine.startDaemon();
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
    return engine;
  }

  /** The engine's address, for {@code nauta.agent.docker.host} or {@code docker -H}. */
  public String host() {
    return "unix://" + dir.resolve("docker.sock");
  }

  /** A client of this engine (valid across restarts). */
  public DockerClient client() {
    return client;
  }

  /** Copies images from another engine (e.g. the shared one) into this one. */
  public void loadImages(DockerClient from, String... images) {
    for (String image : images) {
      try (InputStream saved = from.saveImageCmd(image).exec()) {
        client.loadImageCmd(saved).exec();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Stops dockerd as {@code systemctl stop docker} does (SIGTERM) and waits for it and its
   * containerd to exit. Without live-restore, every container stops with it.
   */
  public void stop() {
    if (process == null) {
      return;
    }
    rememberBridges();
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      Instant deadline = Instant.now().plusSeconds(20);
      for (ProcessHandle child : children) {
        while (child.isAlive() && Instant.now().isBefore(deadline)) {
          Thread.sleep(100);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    process = null;
  }

  /** Starts dockerd again on the same directories (after {@link #stop}). */
  public void restart() {
    stop();
    startDaemon();
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      try {
        removeEverything();
      } catch (RuntimeException e) {
        System.err.println("PrivateDockerEngine: could not empty " + host() + ": " + e);
      }
    }
    try {
      stop();
    } catch (RuntimeException e) {
      System.err.println("PrivateDockerEngine: could not stop dockerd: " + e);
    }
    if (client != null) {
      try {
        client.close();
      } catch (IOException e) {
        // Nothing is left to read from it.
      }
    }
    killLeftoverProcesses();
    unmountUnder();
    for (String bridge : bridges) {
      if (Files.exists(Path.of("/sys/class/net", bridge))) {
        run("ip", "link", "delete", bridge);
      }
    }
    deleteRecursively(dir);
  }

  /** dockerd takes a bridge given by name as it is, its address included. */
  private void createDefaultBridge(String address) {
    for (List<String> command :
        List.of(
            List.of("ip", "link", "add", defaultBridge, "type", "bridge"),
            List.of("ip", "addr", "add", address, "dev", defaultBridge),
            List.of("ip", "link", "set", defaultBridge, "up"))) {
      if (!run(command.toArray(String[]::new))) {
        throw new IllegalStateException("could not set up bridge " + defaultBridge);
      }
    }
  }

  private void startDaemon() {
    List<String> command =
        List.of(
            dockerd,
            "--config-file=" + dir.resolve("daemon.json"),
            "--host=" + host(),
            "--data-root=" + dir.resolve("data"),
            "--exec-root=" + dir.resolve("exec"),
            "--pidfile=" + dir.resolve("docker.pid"),
            "--bridge=" + defaultBridge,
            "--iptables=false",
            "--ip-forward=false",
            "--ip-masq=false",
            "--userland-proxy=false",
            "--shutdown-timeout=5");
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("could not start " + dockerd, e);
    }
    if (client == null) {
      client = DockerClients.connect(host(), System.getProperty("api.version", ""));
    }
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "private dockerd exited with " + process.exitValue() + "; its log: " + log);
      }
      try {
        client.pingCmd().exec();
        return;
      } catch (RuntimeException e) {
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException(
              "private dockerd did not answer on " + host() + " within " + START_TIMEOUT, e);
        }
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Containers first, then the networks they were on; their bridges go after dockerd stops. */
  private void removeEverything() {
    for (Container c : client.listContainersCmd().withShowAll(true).exec()) {
      client.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
    }
    rememberBridges();
    for (Network n : client.listNetworksCmd().exec()) {
      if (!List.of("host", "none", "bridge").contains(n.getName())) {
        try {
          client.removeNetworkCmd(n.getId()).exec();
        } catch (RuntimeException e) {
          System.err.println("PrivateDockerEngine: network " + n.getName() + " stays: " + e);
        }
      }
    }
  }

  /** A user-defined bridge network's Linux bridge is {@code br-<first 12 digits of its id>}. */
  private void rememberBridges() {
    if (client == null) {
      return;
    }
    try {
      for (Network n : client.listNetworksCmd().exec()) {
        if ("bridge".equals(n.getDriver()) && !"bridge".equals(n.getName())) {
          bridges.add("br-" + n.getId().substring(0, 12));
        }
      }
    } catch (RuntimeException e) {
      // Not answering: the bridges known from earlier calls are all there is to remove.
    }
  }

  /** Shims outlive a dockerd killed hard; they name this directory on their command line. */
  private void killLeftoverProcesses() {
    String mark = dir.toString();
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(mark)).orElse(false))
        .forEach(ProcessHandle::destroyForcibly);
  }

  /** Overlay and network-namespace mounts left by a dockerd that did not stop cleanly. */
  private void unmountUnder() {
    List<String> mounts = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        String point = line.split(" ")[4];
        if (point.startsWith(dir + "/")) {
          mounts.add(point);
        }
      }
    } catch (IOException e) {
      return;
    }
    mounts.sort(Comparator.reverseOrder());
    for (String point : mounts) {
      run("umount", "-l", point);
    }
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  System.err.println("PrivateDockerEngine: could not delete " + p + ": " + e);
                }
              });
    } catch (IOException e) {
      System.err.println("PrivateDockerEngine: could not delete " + root + ": " + e);
    }
  }

  /** Runs a command, saying on stderr why when it fails; true when it succeeded. */
  private static boolean run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        System.err.println("PrivateDockerEngine: " + String.join(" ", command) + ": " + out);
        return false;
      }
      return true;
    } catch (IOException e) {
      System.err.println("PrivateDockerEngine: " + String.join(" ", command) + ": " + e);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String processUid() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("Uid:"))
          .map(l -> l.split("\\s+")[1])
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String findDockerd() {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(":")));
    }
    dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/usr/local/bin", "/sbin"));
    for (String d : dirs) {
      Path candidate = Path.of(d, "dockerd");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException(
        "a private Docker engine needs dockerd (apt-get install docker.io); not found in " + dirs);
  }
}
