package io.nauta.api.config;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Keeps the shared connection on the master the Sentinels name.
 *
 * <p>Lettuce asks the Sentinels for the master only when it (re)connects. After a failover the old
 * master, if it still runs, goes on answering until the Sentinels turn it into a replica, which can
 * take seconds: it refuses writes ({@code NOREPLICAS} with {@code min-replicas-to-write}, or {@code
 * READONLY} once demoted), and every write in that time fails. So this compares, every {@code
 * interval}, the run id of the server the connection is on with the run id of the master the
 * Sentinels name, and when they differ closes the connection ({@code CLIENT KILL} of itself):
 * Lettuce reconnects at once, asking the Sentinels again. Commands waiting on the connection are
 * sent again after the reconnect; writes recognise their own write id (see write.lua), so none runs
 * twice.
 */
final class SentinelMasterFollower implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SentinelMasterFollower.class);

  private final StatefulRedisSentinelConnection<String, String> sentinel;
  private final RedisReactiveCommands<String, String> redis;
  private final String masterId;
  private final Disposable checks;

  /** The master's address the Sentinels named at the last check; only the check thread uses it. */
  private volatile String lastNamedAddress;

  SentinelMasterFollower(
      RedisClient client,
      RedisURI uri,
      StatefulRedisConnection<String, String> connection,
      Duration interval) {
    this.sentinel = client.connectSentinel(uri);
    this.redis = connection.reactive();
    this.masterId = uri.getSentinelMasterId();
    this.checks =
        Flux.interval(interval)
            .onBackpressureDrop()
            .concatMap(
                tick ->
                    check()
                        .timeout(interval.multipliedBy(5))
                        .onErrorResume(
                            e -> {
                              log.debug("Checking the Redis master failed: {}", e.toString());
                              return Mono.empty();
                            }))
            .subscribe();
  }

  /**
   * Two signs that the connection is not on the master: the address the Sentinels name changed
   * since the last check (a failover; right after it the Sentinels do not know the new master's run
   * id yet), or the Sentinels know the master's run id and it is not the connected server's.
   */
  private Mono<Void> check() {
    Mono<String> namedAddress =
        sentinel.reactive().getMasterAddrByName(masterId).map(Object::toString);
    Mono<String> namedRunId =
        sentinel.reactive().master(masterId).map(m -> m.getOrDefault("runid", ""));
    Mono<String> connectedRunId = redis.info("server").map(SentinelMasterFollower::runId);
    return Mono.zip(namedAddress, namedRunId, connectedRunId)
        .flatMap(
            t -> {
              String previous = lastNamedAddress;
              lastNamedAddress = t.getT1();
              boolean failedOver = previous != null && !previous.equals(t.getT1());
              boolean elsewhere = !t.getT2().isEmpty() && !t.getT2().equals(t.getT3());
              if (!failedOver && !elsewhere) {
                return Mono.empty();
              }
              log.warn(
                  "The Sentinels name {} (run id {}) as master '{}'{}, Nauta is connected to run id"
                      + " {}; reconnecting",
                  t.getT1(),
                  t.getT2().isEmpty() ? "not known yet" : t.getT2(),
                  masterId,
                  failedOver ? " instead of " + previous : "",
                  t.getT3());
              return reconnect();
            })
        .then();
  }

  /** Closes the connection from the server's side; Lettuce reconnects, asking the Sentinels. */
  private Mono<Void> reconnect() {
    return redis
        .clientId()
        // SKIPME defaults to yes: without "no" Redis would not close its own caller.
        .flatMap(id -> redis.clientKill(KillArgs.Builder.id(id).skipme(false)))
        // The server closes the connection as it answers: no answer is fine.
        .onErrorResume(e -> Mono.empty())
        .then();
  }

  static String runId(String info) {
    return info.lines()
        .filter(l -> l.startsWith("run_id:"))
        .map(l -> l.substring("run_id:".length()).trim())
        .findFirst()
        .orElse("");
  }

  @Override
  public void close() {
    checks.dispose();
    sentinel.close();
  }
}
