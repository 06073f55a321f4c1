package io.nauta.api.config;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import redis.embedded.RedisServer;

/**
 * Connects to Redis: the configured URL, or an embedded redis-server (the quick start's default)
 * started with append-only persistence in {@code nauta.redis.embedded-dir}.
 */
@Configuration(proxyBeanMethods = false)
public class RedisConfig {

  private static final Logger log = LoggerFactory.getLogger(RedisConfig.class);

  /** Where Redis is; starting the embedded server first when no URL is configured. */
  public record RedisEndpoint(RedisURI uri, RedisServer embedded) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      if (embedded != null) {
        embedded.stop();
      }
    }
  }

  @Bean(destroyMethod = "close")
  RedisEndpoint redisEndpoint(NautaProperties props) throws IOException {
    NautaProperties.Redis redis = props.redis();
    RedisURI configured = configuredUri(redis);
    if (configured != null) {
      if (!configured.getSentinels().isEmpty()) {
        log.info(
            "Redis through Sentinel: master '{}' as the Sentinels {} name it",
            configured.getSentinelMasterId(),
            configured.getSentinels().stream().map(s -> s.getHost() + ":" + s.getPort()).toList());
      }
      return new RedisEndpoint(configured, null);
    }
    Path dir = Path.of(redis.embeddedDir()).toAbsolutePath();
    Files.createDirectories(dir);
    int port = redis.embeddedPort() > 0 ? redis.embeddedPort() : freePort();
    RedisServer server =
        RedisServer.newRedisServer()
            .bind("127.0.0.1")
            .port(port)
            .setting("dir " + dir)
            .setting("appendonly yes")
            .setting("appendfsync everysec")
            .setting("save \"\"")
            // Nauta's scripts must never lose a key to eviction (see RedisConfig#checkEviction).
            .setting("maxmemory-policy noeviction")
            // embedded-redis learns that the server is up from its stdout, so Redis logs there;
            // the listeners keep reading it, or a full pipe would stall the server.
            .soutListener(line -> log.debug("redis: {}", line))
            .serrListener(line -> log.warn("redis: {}", line))
            // Stopped by this endpoint's close, after the beans that use it: the library's own
            // JVM shutdown hook would kill it while the graceful shutdown still writes (the
            // kubernetes Endpoints update then waits out its timeout on every stop).
            .onShutdownForceStop(false)
            .build();
    server.start();
    log.info("Started embedded redis-server on 127.0.0.1:{} with data in {}", port, dir);
    return new RedisEndpoint(RedisURI.create("127.0.0.1", port), server);
  }

  /**
   * The Redis the settings name: {@code nauta.redis.url} (which may itself be a {@code
   * redis-sentinel://} URL) or {@code nauta.redis.sentinel.*}; null when neither is set (embedded).
   *
   * <p>With Sentinels in the URI, Lettuce asks them for the master's address on every connect and
   * reconnect; Sentinel closes the clients of a demoted master, so after a failover every
   * connection, the blocking readers' too, comes back on the new master.
   */
  static RedisURI configuredUri(NautaProperties.Redis redis) {
    NautaProperties.Sentinel sentinel = redis.sentinel();
    boolean hasUrl = !redis.url().isBlank();
    // An empty setting binds as one empty entry.
    List<String> nodes =
        sentinel.nodes().stream().map(String::trim).filter(n -> !n.isEmpty()).toList();
    if (sentinel.master().isBlank()) {
      if (!nodes.isEmpty()) {
        throw new IllegalStateException(
            "nauta.redis.sentinel.nodes is set but nauta.redis.sentinel.master is not: name the"
                + " master the Sentinels monitor");
      }
      return hasUrl ? RedisURI.create(redis.url()) : null;
    }
    if (hasUrl) {
      throw new IllegalStateException(
          "Both nauta.redis.url and nauta.redis.sentinel.master are set: use one of them");
    }
    if (nodes.isEmpty()) {
      throw new IllegalStateException(
          "nauta.redis.sentinel.master is set but nauta.redis.sentinel.nodes is empty: list the"
              + " Sentinels as host:port");
    }
    RedisURI.Builder builder = null;
    for (String hostPort : nodes) {
      int colon = hostPort.lastIndexOf(':');
      String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
      int port =
          colon < 0
              ? RedisURI.DEFAULT_SENTINEL_PORT
              : Integer.parseInt(hostPort.substring(colon + 1));
      if (builder == null) {
        builder = RedisURI.Builder.sentinel(host, port, sentinel.master());
      } else {
        builder.withSentinel(host, port);
      }
    }
    builder.withDatabase(sentinel.database());
    if (!sentinel.password().isEmpty()) {
      builder.withPassword(sentinel.password().toCharArray());
    }
    return builder.build();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * Lettuce's threads and its reconnect delay: after a failed reconnect it waits twice as long as
   * before, but at most a second (Lettuce's default grows to 30 s), so a Redis that is back, or a
   * new master after a failover, is found within a second.
   */
  @Bean(destroyMethod = "shutdown")
  ClientResources redisClientResources() {
    return ClientResources.builder()
        .reconnectDelay(
            Delay.exponential(
                Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
        .build();
  }

  /**
   * The client, with the failure behaviour storage needs: every command times out (a lost reply
   * must not hold a request forever), commands wait for a lost connection only in a bounded queue,
   * and TCP keepalive notices a peer that vanished without closing the connection.
   *
   * <p>Lettuce reconnects on its own and sends again the commands that were not answered, so a
   * write may reach Redis twice; the write script recognises its own write id and answers the first
   * outcome (see write.lua), so each write still runs once.
   */
  @Bean(destroyMethod = "shutdown")
  RedisClient redisClient(
      ClientResources resources, RedisEndpoint endpoint, NautaProperties props) {
    NautaProperties.Redis redis = props.redis();
    // Set on the URI itself: RedisURI.builder(uri) would drop its Sentinels.
    RedisURI uri = endpoint.uri();
    uri.setTimeout(redis.commandTimeout());
    RedisClient client = RedisClient.create(resources, uri);
    client.setOptions(clientOptions(redis));
    return client;
  }

  static ClientOptions clientOptions(NautaProperties.Redis redis) {
    Duration idle = redis.keepAliveIdle();
    return ClientOptions.builder()
        .autoReconnect(true)
        .requestQueueSize(redis.requestQueueSize())
        // Applies each connection's timeout (the URI's, or a longer one a blocking reader sets).
        .timeoutOptions(TimeoutOptions.enabled())
        .socketOptions(
            SocketOptions.builder()
                .connectTimeout(redis.commandTimeout())
                .keepAlive(
                    SocketOptions.KeepAliveOptions.builder()
                        .enable()
                        .idle(idle)
                        .interval(Duration.ofSeconds(Math.max(1, idle.toSeconds() / 3)))
                        .count(3)
                        .build())
                .build())
        .build();
  }

  /**
   * With Sentinel: moves the shared connection to the new master as soon as the Sentinels name it
   * (see {@link SentinelMasterFollower}); without Sentinel nothing to follow.
   */
  @Bean(destroyMethod = "close")
  AutoCloseable sentinelMasterFollower(
      RedisClient client,
      RedisEndpoint endpoint,
      StatefulRedisConnection<String, String> connection,
      NautaProperties props) {
    if (endpoint.uri().getSentinels().isEmpty()) {
      return () -> {};
    }
    return new SentinelMasterFollower(
        client, endpoint.uri(), connection, props.redis().sentinel().checkInterval());
  }

  /** The shared, multiplexed connection for non-blocking commands. */
  @Bean(destroyMethod = "close")
  StatefulRedisConnection<String, String> redisConnection(RedisClient client) {
    StatefulRedisConnection<String, String> connection = client.connect();
    checkEviction(connection);
    return connection;
  }

  /**
   * Nauta needs {@code maxmemory-policy noeviction}: a Redis that evicts keys when full drops
   * objects, counters or stream entries silently, and the store no longer matches its history. With
   * noeviction a full Redis refuses writes instead, and the write fails cleanly.
   */
  static void checkEviction(StatefulRedisConnection<String, String> connection) {
    String policy;
    try {
      policy = connection.sync().configGet("maxmemory-policy").get("maxmemory-policy");
    } catch (RuntimeException e) {
      log.warn(
          "Could not read Redis' maxmemory-policy ({}); Nauta needs 'noeviction': make sure it is"
              + " set, or Redis may silently drop objects when its memory is full",
          e.toString());
      return;
    }
    if (!"noeviction".equals(policy)) {
      log.error(
          "\n*** Redis runs with maxmemory-policy '{}'. Nauta needs 'noeviction': with any other"
              + " policy a full Redis silently drops objects, resource version counters and watch"
              + " events. Set 'maxmemory-policy noeviction' in redis.conf (or CONFIG SET). ***",
          policy);
    }
  }
}
