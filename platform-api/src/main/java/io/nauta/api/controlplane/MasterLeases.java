package io.nauta.api.controlplane;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.nauta.api.storage.RedisScript;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Which API servers are alive, for the {@code kubernetes} Service's endpoints: each server holds a
 * lease on its address that it renews while it runs and that ends by itself when it stops renewing
 * (kube-apiserver's {@code lease} endpoint reconciler keeps these as etcd keys with a TTL). Kept in
 * Redis in one sorted set scored by Redis's own clock, so the servers' clocks need not agree.
 */
public final class MasterLeases {

  static final String KEY = "nauta:{masterleases}:leases";

  private final RedisReactiveCommands<String, String> redis;
  private final RedisScript script = new RedisScript("/nauta/master-leases.lua");
  private final Duration ttl;

  public MasterLeases(StatefulRedisConnection<String, String> connection, Duration ttl) {
    this.redis = connection.reactive();
    this.ttl = ttl;
  }

  /** Renews the lease of {@code address}; answers every address whose lease runs, sorted. */
  public Mono<List<String>> renew(String address) {
    return call("renew", address);
  }

  /** Gives up the lease of {@code address}; answers the addresses whose lease still runs. */
  public Mono<List<String>> remove(String address) {
    return call("remove", address);
  }

  private Mono<List<String>> call(String op, String address) {
    return script
        .call(redis, new String[] {KEY}, op, address, Long.toString(ttl.toMillis()))
        .map(reply -> reply.stream().map(Object::toString).sorted().toList())
        .defaultIfEmpty(List.of());
  }
}
