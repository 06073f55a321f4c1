package io.nauta.api.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The few random choices a fuzz test needs, all drawn from one seeded {@link Random}: the same seed
 * gives the same sequence of values, so a failure can be replayed.
 */
public final class RandomChoices {

  private final Random random;

  public RandomChoices(long seed) {
    this.random = new Random(seed);
  }

  /** A choice that {@link #weighted} takes {@code weight} times as often as a weight of 1. */
  public record Weighted<T>(int weight, Supplier<? extends T> value) {
    public Weighted {
      if (weight <= 0) {
        throw new IllegalArgumentException("weight must be positive: " + weight);
      }
    }
  }

  public static <T> Weighted<T> weight(int weight, Supplier<? extends T> value) {
    return new Weighted<>(weight, value);
  }

  /** One of the choices, each with probability weight / sum of weights; only it is computed. */
  @SafeVarargs
  public final <T> T weighted(Weighted<? extends T>... choices) {
    int total = 0;
    for (Weighted<? extends T> c : choices) {
      total += c.weight();
    }
    int pick = random.nextInt(total);
    for (Weighted<? extends T> c : choices) {
      pick -= c.weight();
      if (pick < 0) {
        return c.value().get();
      }
    }
    throw new AssertionError("unreachable");
  }

  /** One of the values, all equally likely (repeat a value to make it likelier). */
  @SafeVarargs
  public final <T> T of(T... values) {
    return values[random.nextInt(values.length)];
  }

  public <T> T of(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  public boolean nextBoolean() {
    return random.nextBoolean();
  }

  /** Any int from {@code min} to {@code max}, both included, all equally likely. */
  public int between(int min, int max) {
    return min + random.nextInt(max - min + 1);
  }

  public long anyLong() {
    return random.nextLong();
  }

  /** Any finite double: small ones, fractions, and huge magnitudes from random bits. */
  public double anyFiniteDouble() {
    return switch (random.nextInt(3)) {
      case 0 -> random.nextInt(2001) - 1000;
      case 1 -> (random.nextDouble() - 0.5) * 1e6;
      default -> {
        double d = Double.longBitsToDouble(random.nextLong());
        yield Double.isFinite(d) ? d : -Double.MAX_VALUE;
      }
    };
  }

  /**
   * A size from {@code min} to {@code max}: half the time within the first few (small sizes and the
   * minimum find most bugs), otherwise anywhere in the range.
   */
  public int size(int min, int max) {
    return random.nextBoolean() ? between(min, Math.min(max, min + 3)) : between(min, max);
  }

  /** A string of {@code min} to {@code max} characters taken from {@code alphabet}. */
  public String string(String alphabet, int min, int max) {
    int length = size(min, max);
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }

  /**
   * A string of {@code min} to {@code max} of any characters: printable ASCII, control characters,
   * and any other UTF-16 unit, lone surrogates included.
   */
  public String anyString(int min, int max) {
    int length = size(min, max);
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(
          switch (random.nextInt(4)) {
            case 0, 1 -> (char) between(0x20, 0x7e);
            case 2 -> (char) between(0, 0x1f);
            default -> (char) random.nextInt(Character.MAX_VALUE + 1);
          });
    }
    return s.toString();
  }

  public <T> List<T> list(int min, int max, Supplier<? extends T> element) {
    int n = size(min, max);
    List<T> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(element.get());
    }
    return list;
  }

  /** A map of at most {@code maxSize} entries (fewer when a key is drawn twice). */
  public <K, V> Map<K, V> map(int maxSize, Supplier<? extends K> key, Supplier<? extends V> value) {
    int n = size(0, maxSize);
    Map<K, V> map = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      map.put(key.get(), value.get());
    }
    return map;
  }
}
