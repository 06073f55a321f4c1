package io.nauta.agent.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A map whose entries expire, for review answers. Expired entries are dropped when met and swept
 * when the map grows past {@link #SWEEP_AT}, so a stream of distinct keys cannot grow it unbounded.
 */
final class TtlCache<K, V> {

  static final int SWEEP_AT = 4096;

  private record Entry<V>(V value, Instant expires) {}

  private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
  private final Clock clock;

  TtlCache(Clock clock) {
    this.clock = clock;
  }

  /** The live value, or null when absent or expired. */
  V get(K key) {
    Entry<V> e = entries.get(key);
    if (e == null) {
      return null;
    }
    if (!e.expires().isAfter(clock.instant())) {
      entries.remove(key, e);
      return null;
    }
    return e.value();
  }

  void put(K key, V value, Duration ttl) {
    Instant now = clock.instant();
    if (entries.size() >= SWEEP_AT) {
      entries.values().removeIf(e -> !e.expires().isAfter(now));
    }
    entries.put(key, new Entry<>(value, now.plus(ttl)));
  }
}
