package io.nauta.api.config;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
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
    if (!redis.url().isBlank()) {
      return new RedisEndpoint(RedisURI.create(redis.url()), null);
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
            // embedded-redis learns that the server is up from its stdout, so Redis logs there;
            // the listeners keep reading it, or a full pipe would stall the server.
            .soutListener(line -> log.debug("redis: {}", line))
            .serrListener(line -> log.warn("redis: {}", line))
            .build();
    server.start();
    log.info("Started embedded redis-server on 127.0.0.1:{} with data in {}", port, dir);
    return new RedisEndpoint(RedisURI.create("127.0.0.1", port), server);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Bean(destroyMethod = "shutdown")
  RedisClient redisClient(RedisEndpoint endpoint) {
    return RedisClient.create(endpoint.uri());
  }

  /** The shared, multiplexed connection for non-blocking commands. */
  @Bean(destroyMethod = "close")
  StatefulRedisConnection<String, String> redisConnection(RedisClient client) {
    return client.connect();
  }
}
