package io.nauta.api.storage;

import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nauta.api.config.NautaProperties;
import io.nauta.api.storage.encryption.EncryptionConfig;
import io.nauta.api.storage.encryption.UnreadableValueException;
import io.nauta.core.client.LeaseFence;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Desired state in Redis. Every write is one Lua script that checks its precondition, bumps the
 * type's resourceVersion counter, stores the object and appends the watch event, atomically. Reads
 * of single objects go to Redis directly; lists and watches are served by the watch cache.
 */
@Component
public class RedisObjectStore {

  /**
   * Stands for the resourceVersion in the JSON handed to the write script, which puts the new
   * counter value in its place. Random per process so no user-supplied text can collide with it.
   */
  public static final String RV_PLACEHOLDER =
      "nauta-rv-" + HexFormat.of().formatHex(SecureRandom.getSeed(16));

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final JsonMapper LEASE_READER = JsonMapper.builder().build();

  private final RedisReactiveCommands<String, String> redis;
  private final RedisScript write = new RedisScript("/nauta/write.lua");
  private final RedisScript trim = new RedisScript("/nauta/trim.lua");
  private final RedisScript read = new RedisScript("/nauta/read.lua");
  private final Map<ResourceType, CounterSamples> counterSamples = new ConcurrentHashMap<>();
  private final NautaProperties.Watch watch;
  private final long writeMemorySeconds;
  private final MeterRegistry meters;
  private final StoredValues values;
  private final List<BiConsumer<ResourceType, Long>> acknowledgements =
      new CopyOnWriteArrayList<>();

  /**
   * Where a write or read goes on once Redis has answered. Lettuce delivers every reply of a
   * connection on its one I/O thread; what the caller does next (admission, validation, encoding,
   * the reply) would otherwise all run there, capping the API server's writes at one core.
   * Reactor's parallel scheduler is bounded: one worker per core.
   */
  private final Scheduler continuation = Schedulers.parallel();

  public RedisObjectStore(
      StatefulRedisConnection<String, String> connection,
      NautaProperties props,
      MeterRegistry meters,
      EncryptionConfig encryption) {
    this.redis = connection.reactive();
    this.values = new StoredValues(encryption);
    this.watch = props.watch();
    // A write is sent again only while it waits for its answer, which is at most the command
    // timeout; its outcome is remembered well beyond that.
    this.writeMemorySeconds = Math.max(60, 2 * props.redis().commandTimeout().toSeconds());
    this.meters = meters;
  }

  /**
   * Hears every write Redis acknowledged through this server (its type and new resourceVersion),
   * before the writer goes on: the watch caches learn which versions this server's own clients may
   * already have seen.
   */
  public void onAcknowledged(BiConsumer<ResourceType, Long> listener) {
    acknowledgements.add(listener);
  }

  /** Stores a new object; its JSON carries {@link #RV_PLACEHOLDER} as resourceVersion. */
  public Mono<Long> create(ResourceType type, String namespace, String name, String json) {
    return run(type, "create", namespace, name, json, "");
  }

  /** Replaces an object if its stored resourceVersion still is {@code expectedRv}. */
  public Mono<Long> update(
      ResourceType type, String namespace, String name, String json, long expectedRv) {
    return run(type, "update", namespace, name, json, Long.toString(expectedRv));
  }

  /**
   * Removes an object if its stored resourceVersion still is {@code expectedRv}; {@code json} is
   * its last state, sent to watchers with the deletion's resourceVersion.
   */
  public Mono<Long> delete(
      ResourceType type, String namespace, String name, String json, long expectedRv) {
    return run(type, "delete", namespace, name, json, Long.toString(expectedRv));
  }

  private Mono<Long> run(
      ResourceType type, String op, String namespace, String name, String json, String expected) {
    StorageKeys keys = StorageKeys.of(type);
    ResourceRef ref = new ResourceRef(type.group(), type.plural(), name);
    // One id per write, fixed before the first attempt: if the command reaches Redis twice, the
    // script recognises the second as the same write.
    String writeId = randomId();
    Timer.Sample sample = Timer.start(meters);
    StoredValues.Outgoing value;
    try {
      value = values.encode(type, namespace, name, json);
    } catch (RuntimeException e) {
      return Mono.error(e);
    }
    return leaseFence(type)
        .then(
            write
                .call(
                    redis,
                    StoredValues.WIRE,
                    new String[] {
                      keys.objects(),
                      keys.resourceVersion(),
                      keys.events(),
                      keys.epoch(),
                      keys.lastWrite(),
                      keys.write(writeId),
                      keys.sealedVersions()
                    },
                    op,
                    StorageKeys.field(namespace, name),
                    value.wire(),
                    value.placeholder(),
                    expected,
                    Integer.toString(watch.historyMaxEvents()),
                    Long.toString(System.currentTimeMillis()),
                    writeId,
                    newEpoch(),
                    Long.toString(writeMemorySeconds))
                .onErrorMap(e -> StorageErrors.translate(e, ref)))
        .map(
            reply -> {
              String outcome = (String) reply.get(0);
              return switch (outcome) {
                case "ok" -> {
                  long rv = Long.parseLong((String) reply.get(1));
                  acknowledgements.forEach(l -> l.accept(type, rv));
                  yield rv;
                }
                case "exists" -> throw new AlreadyExistsException(ref);
                case "notfound" -> throw NotFoundException.of(ref);
                case "conflict" -> throw ConflictException.staleResourceVersion(ref);
                default -> throw new IllegalStateException("write script said " + outcome);
              };
            })
        .publishOn(continuation)
        .doFinally(
            signal ->
                sample.stop(
                    Timer.builder("nauta.storage.script")
                        .description("Latency of storage write scripts in Redis")
                        .tag("operation", op)
                        .tag("resource", type.groupResource())
                        .publishPercentileHistogram()
                        .register(meters)));
  }

  /**
   * Refuses the write with 409 when the request named a {@link LeaseFence} (a leader-elected
   * component's write) and the lease is no longer held by the holder it names: the sender lost its
   * lease, perhaps frozen after its own client-side check, and a standby leads now. Read from Redis
   * itself, not the watch cache, just before the script runs, so a takeover is seen the moment it
   * is stored. Writes to Leases are never fenced: they are the election itself.
   */
  private Mono<Void> leaseFence(ResourceType type) {
    if (type.groupResource().equals(BuiltInResources.LEASES.groupResource())) {
      return Mono.empty();
    }
    return Mono.deferContextual(
        ctx -> ctx.<LeaseFence>getOrEmpty(LeaseFence.class).map(this::holds).orElse(Mono.empty()));
  }

  private Mono<Void> holds(LeaseFence fence) {
    return get(BuiltInResources.LEASES, fence.namespace(), fence.name())
        .map(lease -> holderOf(lease.json()))
        .defaultIfEmpty("")
        .flatMap(
            holder ->
                holder.equals(fence.holder())
                    ? Mono.<Void>empty()
                    : Mono.error(
                        new FencedWriteException(
                            "the write was fenced: lease "
                                + fence.namespace()
                                + "/"
                                + fence.name()
                                + (holder.isEmpty()
                                    ? " has no holder"
                                    : " is held by \"" + holder + "\"")
                                + ", not by \""
                                + fence.holder()
                                + "\" who sent it",
                            new ResourceRef(
                                BuiltInResources.LEASES.group(),
                                BuiltInResources.LEASES.plural(),
                                fence.name()))));
  }

  private static String holderOf(String leaseJson) {
    return LEASE_READER.readTree(leaseJson).path("spec").path("holderIdentity").asString("");
  }

  /**
   * The object as stored, or empty; fails with {@link
   * io.nauta.api.storage.encryption.UnreadableValueException} (500) when it is encrypted with a key
   * the configuration does not hold, or was tampered with.
   */
  public Mono<StoredObject> get(ResourceType type, String namespace, String name) {
    String field = StorageKeys.field(namespace, name);
    StorageKeys keys = StorageKeys.of(type);
    Mono<StoredObject> stored;
    if (values.readsSealed(type)) {
      // A sealed value's resourceVersion is kept in a second hash: one script reads both at once.
      stored =
          read.call(
                  redis,
                  StoredValues.WIRE,
                  new String[] {keys.objects(), keys.sealedVersions()},
                  field)
              .filter(reply -> !reply.isEmpty())
              .map(
                  reply ->
                      StoredObject.parse(
                          (String) reply.get(0), (String) reply.get(1), field, type, values));
    } else {
      CommandArgs<String, String> args =
          new CommandArgs<>(StoredValues.WIRE).addKey(keys.objects()).addKey(field);
      stored =
          redis
              .<String>dispatch(CommandType.HGET, new ValueOutput<>(StoredValues.WIRE), args)
              .next()
              .map(value -> StoredObject.parse(value, null, field, type, values));
    }
    return stored
        .onErrorMap(
            e -> StorageErrors.translate(e, new ResourceRef(type.group(), type.plural(), name)))
        .publishOn(continuation);
  }

  /** How object values are encoded and decoded (encryption at rest). */
  public StoredValues values() {
    return values;
  }

  /** The type's current resourceVersion: the value a consistent list must reflect. */
  public Mono<Long> currentResourceVersion(ResourceType type) {
    return redis
        .get(StorageKeys.of(type).resourceVersion())
        .map(Long::parseLong)
        .defaultIfEmpty(0L)
        .onErrorMap(e -> StorageErrors.translate(e, null))
        .publishOn(continuation);
  }

  /**
   * Drops stream entries written before {@code cutoffMillis}: the time bound of watch history. No
   * event is read: each call reads the type's counter and remembers when it had which value, and
   * drops ({@code XTRIM MINID}) every event up to the value it had at the last reading at or before
   * the cutoff, so history is cut at most one trim period late. The script trims nothing if the
   * counter went back below that value (Redis went back in time: those are new events).
   */
  public Mono<Long> trimBefore(ResourceType type, long cutoffMillis) {
    StorageKeys keys = StorageKeys.of(type);
    CounterSamples samples = counterSamples.computeIfAbsent(type, t -> new CounterSamples());
    return currentResourceVersion(type)
        .flatMap(
            rv -> {
              samples.record(System.currentTimeMillis(), rv);
              OptionalLong upTo = samples.writtenBefore(cutoffMillis);
              if (upTo.isEmpty()) {
                return Mono.just(0L);
              }
              return trim.call(
                      redis,
                      new String[] {keys.resourceVersion(), keys.events()},
                      Long.toString(upTo.getAsLong()))
                  .map(reply -> (Long) reply.get(0));
            });
  }

  /** A fresh epoch for a type whose data has none (see {@link StorageKeys#epoch()}). */
  static String newEpoch() {
    return randomId();
  }

  private static String randomId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * A stream entry, its object decoded; one that cannot be decrypted becomes an event that carries
   * the error instead of the object (see {@link StreamEvent#unreadable()}).
   */
  static StreamEvent toEvent(
      StreamMessage<String, String> m, ResourceType type, StoredValues values) {
    Map<String, String> body = m.getBody();
    String id = m.getId();
    long rv = Long.parseLong(id.substring(0, id.indexOf('-')));
    String field = body.get("k");
    String json;
    UnreadableValueException unreadable = null;
    try {
      json = values.decode(type, field == null ? "" : field, rv, body.get("o"));
    } catch (UnreadableValueException e) {
      json = null;
      unreadable = e;
    }
    return new StreamEvent(
        body.get("t"),
        rv,
        json,
        timestamp(m),
        body.get("e"),
        body.get("w"),
        body.get("p"),
        field,
        unreadable);
  }

  private static long timestamp(StreamMessage<String, String> m) {
    return Optional.ofNullable(m.getBody().get("ts")).map(Long::parseLong).orElse(0L);
  }
}
