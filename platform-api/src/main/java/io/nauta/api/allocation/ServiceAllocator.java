package io.nauta.api.allocation;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.nauta.api.config.NautaProperties;
import io.nauta.api.storage.RedisScript;
import io.nauta.api.storage.StorageKeys;
import io.nauta.core.registry.BuiltInResources;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The service cluster IPs and node ports handed out, kept in Redis so that allocations stay unique
 * across API server restarts and between API servers on one Redis. Each pool is a hash in the
 * services' hash slot ({@code nauta:{core/services}:clusterips}, {@code …:nodeports}) from member
 * to {@code <namespace>/<name> <claim time>}; members are claimed with {@code HSETNX} in one Lua
 * script, and released only while their service does not refer to them.
 */
@Component
public class ServiceAllocator {

  /** The two pools. */
  public enum Pool {
    CLUSTER_IP("clusterips", "ip"),
    NODE_PORT("nodeports", "port");

    final String suffix;
    final String jsonKind;

    Pool(String suffix, String jsonKind) {
      this.suffix = suffix;
      this.jsonKind = jsonKind;
    }
  }

  /** Why a claim failed. */
  public enum Failure {
    TAKEN,
    OUT_OF_RANGE,
    FULL
  }

  /** A claim that could not be made. */
  public static final class ClaimFailedException extends RuntimeException {
    private final Pool pool;
    private final Failure failure;
    private final String member;

    ClaimFailedException(Pool pool, Failure failure, String member) {
      super(pool + " " + failure + (member == null ? "" : " " + member), null, false, false);
      this.pool = pool;
      this.failure = failure;
      this.member = member;
    }

    public Pool pool() {
      return pool;
    }

    public Failure failure() {
      return failure;
    }

    public String member() {
      return member;
    }
  }

  private final RedisReactiveCommands<String, String> redis;
  private final RedisScript allocate = new RedisScript("/nauta/allocate.lua");
  private final RedisScript release = new RedisScript("/nauta/release.lua");
  private final AllocationRange ips;
  private final AllocationRange ports;
  private final String objects = StorageKeys.of(BuiltInResources.SERVICES).objects();
  private final String prefix;
  private final SecureRandom random = new SecureRandom();

  public ServiceAllocator(
      StatefulRedisConnection<String, String> connection, NautaProperties props) {
    this.redis = connection.reactive();
    this.ips = AllocationRange.cidr(props.services().clusterIpRange());
    this.ports = AllocationRange.ports(props.services().nodePortRange());
    String objectsKey = objects;
    this.prefix = objectsKey.substring(0, objectsKey.length() - "objects".length());
  }

  public AllocationRange range(Pool pool) {
    return pool == Pool.CLUSTER_IP ? ips : ports;
  }

  String key(Pool pool) {
    return prefix + pool.suffix;
  }

  /**
   * Claims {@code requested} for {@code owner}, or any free member when it is null; fails with
   * {@link ClaimFailedException}. Claiming a member the owner already holds succeeds.
   */
  public Mono<String> claim(Pool pool, String owner, String requested) {
    AllocationRange range = range(pool);
    String now = Long.toString(System.currentTimeMillis());
    String[] keys = {key(pool)};
    Mono<List<Object>> call;
    if (requested != null) {
      if (!range.contains(requested)) {
        return Mono.error(new ClaimFailedException(pool, Failure.OUT_OF_RANGE, requested));
      }
      call = allocate.call(redis, keys, owner, now, "member", requested);
    } else {
      // The first cluster IP is the kubernetes Service's: never handed out to another one.
      long reserved = pool == Pool.CLUSTER_IP ? 1 : 0;
      long size = range.size() - reserved;
      long start = (long) (random.nextDouble() * size);
      call =
          allocate.call(
              redis,
              keys,
              owner,
              now,
              "any",
              range.kind() == AllocationRange.Kind.IPV4 ? "ipv4" : "port",
              Long.toString(range.base() + reserved),
              Long.toString(size),
              Long.toString(start));
    }
    return call.map(
        reply ->
            switch ((String) reply.get(0)) {
              case "ok" -> (String) reply.get(1);
              case "taken" -> throw new ClaimFailedException(pool, Failure.TAKEN, requested);
              case "full" -> throw new ClaimFailedException(pool, Failure.FULL, null);
              default -> throw new IllegalStateException("allocate script said " + reply);
            });
  }

  /**
   * Releases {@code members} held by {@code owner}, except those its stored service still refers
   * to; returns how many were released.
   */
  public Mono<Long> release(Pool pool, String owner, Collection<String> members) {
    if (members.isEmpty()) {
      return Mono.just(0L);
    }
    List<String> args = new ArrayList<>();
    args.add(owner);
    args.add(pool.jsonKind);
    args.addAll(members);
    return release
        .call(redis, new String[] {key(pool), objects}, args.toArray(String[]::new))
        .map(reply -> ((Number) reply.get(0)).longValue());
  }

  /** Marks {@code member} as held by {@code owner} if nobody holds it; false if someone does. */
  public Mono<Boolean> mark(Pool pool, String owner, String member) {
    return redis.hsetnx(key(pool), member, owner + " " + System.currentTimeMillis());
  }

  /** Every allocation of the pool: member to {@code <owner> <claim millis>}. */
  public Mono<Map<String, String>> allocations(Pool pool) {
    return redis.hgetall(key(pool)).collectMap(kv -> kv.getKey(), kv -> kv.getValue());
  }

  /** Every stored service: {@code namespace/name} to {@code "<rv> <json>"}. */
  Mono<Map<String, String>> storedServices() {
    return redis.hgetall(objects).collectMap(kv -> kv.getKey(), kv -> kv.getValue());
  }
}
