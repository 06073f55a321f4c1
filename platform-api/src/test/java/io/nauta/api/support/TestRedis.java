package io.nauta.api.support;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * One real Redis for the whole test run, in a container of the locally built {@code
 * nauta/redis:local} image (deploy/images/build.sh; no registry is reachable here). Tests that need
 * a clean slate call {@link #flush()}.
 */
public final class TestRedis {

  private static GenericContainer<?> container;

  private TestRedis() {}

  @SuppressWarnings("resource")
  public static synchronized String url() {
    // A machine without Docker may point the tests at a Redis of its own (loopback only).
    String external = System.getenv("NAUTA_TEST_REDIS_URL");
    if (external != null && !external.isEmpty()) {
      return external;
    }
    if (container == null) {
      container =
          new GenericContainer<>(DockerImageName.parse("nauta/redis:local")).withExposedPorts(6379);
      container.start();
      // Ryuk is disabled in this environment, so nothing else would remove the container.
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
    }
    return "redis://" + container.getHost() + ":" + container.getMappedPort(6379);
  }

  /** Empties Redis: every test class starts its API servers on a clean store. */
  public static void flush() {
    RedisClient client = RedisClient.create(url());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      c.sync().flushall();
    } finally {
      client.shutdown();
    }
  }
}
