package io.nauta.scheduler.framework;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What plugins compute once per scheduling cycle and read for every node (pre-filter results,
 * counts). One instance per pod per cycle; used by one thread.
 */
public final class CycleState {

  private final Map<Class<?>, Object> values = new HashMap<>();

  public <T> void put(Class<T> type, T value) {
    values.put(type, value);
  }

  /** The value stored under {@code type}, or {@code null}. */
  public <T> T get(Class<T> type) {
    return type.cast(values.get(type));
  }

  public <T> T computeIfAbsent(Class<T> type, Supplier<T> supplier) {
    return type.cast(values.computeIfAbsent(type, t -> supplier.get()));
  }
}
