package io.nauta.api.storage;

import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.nauta.api.storage.encryption.UnreadableValueException;
import io.nauta.core.registry.ResourceType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The blocking side of storage, for one type's watch-cache reader thread: a snapshot to start from,
 * the stream's history, and a blocking {@code XREAD} for what comes next. It owns a dedicated
 * connection, because a blocking {@code XREAD} holds its connection while it waits.
 */
public final class RedisEventSource implements AutoCloseable {

  private static final String SNAPSHOT = RedisScript.load("/nauta/snapshot.lua");
  private static final int BATCH = 10_000;

  private final StorageKeys keys;
  private final ResourceType type;
  private final StoredValues values;
  private final RedisClient client;
  private StatefulRedisConnection<String, String> connection;

  public RedisEventSource(RedisClient client, ResourceType type, StoredValues values) {
    this.client = client;
    this.type = type;
    this.values = values;
    this.keys = StorageKeys.of(type);
  }

  private RedisCommands<String, String> redis() {
    if (connection == null || !connection.isOpen()) {
      // Object values are bytes (encrypted ones are binary): one char per byte.
      connection = client.connect(StoredValues.WIRE);
      // A blocking XREAD may wait longer than the default command timeout.
      connection.setTimeout(Duration.ofSeconds(30));
    }
    return connection.sync();
  }

  /** Every object and the resourceVersion they were read at, atomically. */
  public Snapshot snapshot() {
    List<Object> reply =
        redis()
            .eval(
                SNAPSHOT,
                ScriptOutputType.MULTI,
                new String[] {
                  keys.objects(),
                  keys.resourceVersion(),
                  keys.epoch(),
                  keys.lastWrite(),
                  keys.sealedVersions()
                },
                RedisObjectStore.newEpoch());
    long rv = Long.parseLong((String) reply.get(0));
    @SuppressWarnings("unchecked")
    List<Object> fieldsAndValues = (List<Object>) reply.get(3);
    Map<String, String> sealedVersions = pairs(reply.get(4));
    List<StoredObject> objects = new ArrayList<>(fieldsAndValues.size() / 2);
    Map<String, UnreadableValueException> unreadable = new LinkedHashMap<>();
    for (int i = 0; i + 1 < fieldsAndValues.size(); i += 2) {
      String field = (String) fieldsAndValues.get(i);
      try {
        objects.add(
            StoredObject.parse(
                (String) fieldsAndValues.get(i + 1),
                sealedVersions.get(field),
                field,
                type,
                values));
      } catch (UnreadableValueException e) {
        unreadable.put(field, e);
      }
    }
    return new Snapshot(rv, objects, (String) reply.get(1), (String) reply.get(2), unreadable);
  }

  /** An {@code HGETALL} reply as a map. */
  private static Map<String, String> pairs(Object reply) {
    @SuppressWarnings("unchecked")
    List<Object> flat = (List<Object>) reply;
    Map<String, String> out = new HashMap<>(flat.size());
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      out.put((String) flat.get(i), (String) flat.get(i + 1));
    }
    return out;
  }

  /** Every event the stream still holds, oldest first. */
  public List<StreamEvent> history() {
    List<StreamEvent> out = new ArrayList<>();
    String from = "-";
    while (true) {
      List<StreamMessage<String, String>> batch =
          redis().xrange(keys.events(), Range.create(from, "+"), Limit.from(BATCH));
      batch.forEach(m -> out.add(RedisObjectStore.toEvent(m, type, values)));
      if (batch.size() < BATCH) {
        return out;
      }
      from = "(" + batch.get(batch.size() - 1).getId();
    }
  }

  /** Waits up to {@code block} for events after {@code afterRv}. */
  public List<StreamEvent> readAfter(long afterRv, Duration block) {
    List<StreamMessage<String, String>> messages =
        redis()
            .xread(
                XReadArgs.Builder.block(block).count(1000),
                XReadArgs.StreamOffset.from(keys.events(), afterRv + "-0"));
    List<StreamEvent> out = new ArrayList<>(messages == null ? 0 : messages.size());
    if (messages != null) {
      messages.forEach(m -> out.add(RedisObjectStore.toEvent(m, type, values)));
    }
    return out;
  }

  /** The type's counter, epoch and newest write id, to notice a Redis that lost or rewound data. */
  public StoreState state() {
    List<KeyValue<String, String>> values =
        redis().mget(keys.resourceVersion(), keys.epoch(), keys.lastWrite());
    String rv = values.get(0).getValueOrElse(null);
    return new StoreState(
        rv == null ? 0 : Long.parseLong(rv),
        values.get(1).getValueOrElse(null),
        values.get(2).getValueOrElse(""));
  }

  /**
   * What a type's data in Redis is at one moment.
   *
   * @param epoch null when the type has none: its data is gone (flushed, or a Redis that started
   *     empty)
   */
  public record StoreState(long resourceVersion, String epoch, String lastWriteId) {}

  @Override
  public void close() {
    if (connection != null) {
      connection.close();
    }
  }
}
