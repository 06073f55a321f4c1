package io.nauta.api.support;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.awaitility.Awaitility;

/**
 * A Redis Sentinel process ({@code redis-server <conf> --sentinel}) monitoring one master under the
 * name {@link #MASTER}, with short timeouts so that a test sees a failover within seconds: the
 * master counts as down after {@code downAfter} without an answer.
 */
public final class SentinelProcess implements AutoCloseable {

  public static final String MASTER = "mymaster";

  private final Path dir;
  private final int port;
  private final Process process;

  private SentinelProcess(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /** Starts a Sentinel that watches the master with this quorum (1 for a single Sentinel). */
  public static SentinelProcess start(RedisProcess master, int quorum, Duration downAfter) {
    try {
      Path dir = Files.createTempDirectory("nauta-sentinel-");
      int port = RedisProcess.freePort();
      // Sentinel rewrites its configuration file as it learns the topology: it must be writable.
      Path conf = dir.resolve("sentinel.conf");
      Files.writeString(
          conf,
          String.join(
              "\n",
              "bind 127.0.0.1",
              "port " + port,
              "dir " + dir,
              "logfile " + dir.resolve("sentinel.log"),
              "sentinel monitor " + MASTER + " 127.0.0.1 " + master.port() + " " + quorum,
              "sentinel down-after-milliseconds " + MASTER + " " + downAfter.toMillis(),
              "sentinel failover-timeout " + MASTER + " 10000",
              "sentinel parallel-syncs " + MASTER + " 1",
              ""));
      Process process =
          new ProcessBuilder("/usr/bin/redis-server", conf.toString(), "--sentinel")
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      SentinelProcess sentinel = new SentinelProcess(dir, port, process);
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(50))
          .ignoreExceptions()
          .until(() -> sentinel.masterPort() == master.port());
      return sentinel;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  /** Runs Sentinel commands on a connection of its own. */
  public <T> T command(Function<RedisSentinelCommands<String, String>, T> f) {
    RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
    try (StatefulRedisSentinelConnection<String, String> c = client.connectSentinel()) {
      return f.apply(c.sync());
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
  }

  /** The port of the master this Sentinel names now ({@code SENTINEL GET-MASTER-ADDR-BY-NAME}). */
  public int masterPort() {
    SocketAddress address = command(c -> c.getMasterAddrByName(MASTER));
    return ((InetSocketAddress) address).getPort();
  }

  /** How many replicas of the master this Sentinel knows. */
  public int knownReplicas() {
    return command(c -> c.replicas(MASTER)).size();
  }

  /** {@code SENTINEL FAILOVER}: promotes a replica without waiting for the master to fail. */
  public void failover() {
    command(c -> c.failover(MASTER));
  }

  /** The lines of the Sentinel's log, for a failing test's message. */
  public List<String> log() {
    try {
      return Files.readAllLines(dir.resolve("sentinel.log"));
    } catch (IOException e) {
      return List.of(e.toString());
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind
    }
  }
}
