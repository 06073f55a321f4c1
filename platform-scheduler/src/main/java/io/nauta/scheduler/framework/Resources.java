package io.nauta.scheduler.framework;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * An amount of compute resources: cpu in millicores, memory in bytes, and any other named resource
 * (ephemeral-storage, extended resources such as {@code nvidia.com/gpu}) as an integer. Mutable, so
 * a node's running total can be kept without allocation; a pod's requests are never changed after
 * {@link PodInfo} computed them.
 */
public final class Resources {

  public static final String CPU = "cpu";
  public static final String MEMORY = "memory";
  public static final String PODS = "pods";

  private long milliCpu;
  private long memory;
  private final Map<String, Long> scalars = new HashMap<>();

  public static Resources of(Map<String, Quantity> quantities) {
    Resources r = new Resources();
    if (quantities != null) {
      quantities.forEach((name, q) -> r.set(name, amount(name, q)));
    }
    return r;
  }

  /** Millicores for cpu, otherwise the value rounded up to an integer (bytes, devices). */
  public static long amount(String name, Quantity quantity) {
    BigDecimal value = Quantity.getAmountInBytes(quantity);
    if (CPU.equals(name)) {
      value = value.multiply(BigDecimal.valueOf(1000));
    }
    return value.setScale(0, RoundingMode.CEILING).longValue();
  }

  public long milliCpu() {
    return milliCpu;
  }

  public long memory() {
    return memory;
  }

  /** Resources other than cpu and memory (and pods, which a node counts from its pods). */
  public Map<String, Long> scalars() {
    return Collections.unmodifiableMap(scalars);
  }

  public long get(String name) {
    return switch (name) {
      case CPU -> milliCpu;
      case MEMORY -> memory;
      default -> scalars.getOrDefault(name, 0L);
    };
  }

  public Resources set(String name, long value) {
    switch (name) {
      case CPU -> milliCpu = value;
      case MEMORY -> memory = value;
      default -> scalars.put(name, value);
    }
    return this;
  }

  public Resources add(Resources other) {
    milliCpu += other.milliCpu;
    memory += other.memory;
    other.scalars.forEach((k, v) -> scalars.merge(k, v, Long::sum));
    return this;
  }

  public Resources subtract(Resources other) {
    milliCpu -= other.milliCpu;
    memory -= other.memory;
    other.scalars.forEach((k, v) -> scalars.merge(k, -v, Long::sum));
    return this;
  }

  /** Sets each resource to the larger of this and {@code other}. */
  public Resources max(Resources other) {
    milliCpu = Math.max(milliCpu, other.milliCpu);
    memory = Math.max(memory, other.memory);
    other.scalars.forEach((k, v) -> scalars.merge(k, v, Math::max));
    return this;
  }

  public boolean isZero() {
    return milliCpu == 0 && memory == 0 && scalars.values().stream().allMatch(v -> v == 0);
  }

  public Resources copy() {
    Resources r = new Resources();
    return r.add(this);
  }

  @Override
  public String toString() {
    return "cpu=" + milliCpu + "m memory=" + memory + (scalars.isEmpty() ? "" : " " + scalars);
  }
}
