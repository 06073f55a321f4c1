package io.nauta.api.support;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A {@code redis-server} process of the test's own (not the shared container), for tests that must
 * kill it and start it again on the same port and data directory: persistence with an append-only
 * file, no RDB snapshots, and {@code noeviction}, as Nauta runs it.
 */
public final class RedisProcess implements AutoCloseable {

  private static final String BINARY = "/usr/bin/redis-server";

  private final Path dir;
  private final int port;
  private final List<String> extraOptions = new ArrayList<>();
  private Process process;

  private RedisProcess(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Starts a Redis in a new temporary directory on a free loopback port. */
  public static RedisProcess start(String appendfsync) {
    return start(appendfsync, List.of());
  }

  /**
   * As {@link #start(String)}, with more command-line arguments, e.g. {@code "--replicaof",
   * "127.0.0.1", "6379"} for a replica of another one.
   */
  public static RedisProcess start(String appendfsync, List<String> options) {
    try {
      RedisProcess redis = new RedisProcess(Files.createTempDirectory("nauta-redis-"), freePort());
      redis.extraOptions.addAll(options);
      redis.startProcess(appendfsync);
      return redis;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Starts the process again on the same port and directory (it reads its AOF back). */
  public void restart(String appendfsync) {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("redis-server still runs");
    }
    startProcess(appendfsync);
  }

  private void startProcess(String appendfsync) {
    List<String> command = new ArrayList<>();
    command.add(BINARY);
    addOption(command, "bind", "127.0.0.1");
    addOption(command, "port", Integer.toString(port));
    addOption(command, "dir", dir.toString());
    addOption(command, "appendonly", "yes");
    addOption(command, "appendfsync", appendfsync);
    addOption(command, "save", "");
    addOption(command, "maxmemory-policy", "noeviction");
    addOption(command, "daemonize", "no");
    addOption(command, "logfile", dir.resolve("redis.log").toString());
    command.addAll(extraOptions);
    try {
      process =
          new ProcessBuilder(command)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Answers PING once it listens and has loaded its AOF (before that: LOADING or refused).
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .ignoreExceptions()
        .until(this::answersPing);
  }

  private static void addOption(List<String> command, String name, String value) {
    command.add("--" + name);
    command.add(value);
  }

  private boolean answersPing() {
    return "PONG".equals(command(c -> c.ping()));
  }

  /** Runs commands on a connection of its own, e.g. to read {@code INFO replication}. */
  public <T> T command(
      java.util.function.Function<io.lettuce.core.api.sync.RedisCommands<String, String>, T> f) {
    RedisClient client = RedisClient.create(url());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      return f.apply(c.sync());
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
  }

  /** The {@code role} field of {@code INFO replication}: {@code master} or {@code slave}. */
  public String role() {
    String info = command(c -> c.info("replication"));
    return info.lines()
        .filter(l -> l.startsWith("role:"))
        .map(l -> l.substring(5).trim())
        .findFirst()
        .orElseThrow();
  }

  /** {@code kill -STOP}: the process stays, frozen, until {@link #resume()}. */
  public void pause() {
    signal("STOP");
  }

  /** {@code kill -CONT} after {@link #pause()}. */
  public void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
              .redirectErrorStream(true)
              .start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -" + name + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /**
   * A copy of the append-only files as they are on disk now (taken while Redis writes on): what a
   * machine that crashes a moment later would find after its restart.
   */
  public Path copyData() {
    try {
      Path copy = Files.createTempDirectory("nauta-redis-copy-");
      Path aof = dir.resolve("appendonlydir");
      try (var files = Files.list(aof)) {
        for (Path f : files.toList()) {
          Files.copy(f, copy.resolve(f.getFileName()));
        }
      }
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Puts back the append-only files of {@link #copyData()}; Redis must not run. */
  public void restoreData(Path copy) {
    if (process.isAlive()) {
      throw new IllegalStateException("redis-server still runs");
    }
    try {
      Path aof = dir.resolve("appendonlydir");
      deleteTree(aof);
      Files.createDirectories(aof);
      try (var files = Files.list(copy)) {
        for (Path f : files.toList()) {
          Files.copy(f, aof.resolve(f.getFileName()));
        }
      }
      deleteTree(copy);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path root) {
    try (var files = Files.walk(root)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind
    }
  }

  /** {@code kill -9}: the process ends at once, without writing anything more. */
  public void kill9() {
    process.destroyForcibly(); // SIGKILL on Unix
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("redis-server did not end after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      kill9();
    }
    deleteTree(dir);
  }
}
