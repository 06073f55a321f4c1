package io.nauta.federation.propagation;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What the last propagation of each binding into each member came to: Karmada keeps it in its Work
 * objects' {@code Applied} condition; Nauta propagates without Works and keeps it here, in memory,
 * for the status controller to report in the binding's {@code aggregatedStatus}. A new leader
 * starts empty and fills it again on its first pass over every binding.
 */
public final class AppliedState {

  /** The outcome for one cluster: applied, or why not. */
  public record Outcome(boolean applied, String message) {

    public static Outcome ok() {
      return new Outcome(true, null);
    }

    public static Outcome failed(String message) {
      return new Outcome(false, message);
    }
  }

  private final Map<String, Map<String, Outcome>> byBinding = new ConcurrentHashMap<>();
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

  /** Called with the binding key after every change. */
  public void onChange(Consumer<String> listener) {
    listeners.add(listener);
  }

  public void record(String bindingKey, String cluster, Outcome outcome) {
    Outcome before =
        byBinding.computeIfAbsent(bindingKey, k -> new ConcurrentHashMap<>()).put(cluster, outcome);
    if (!outcome.equals(before)) {
      listeners.forEach(l -> l.accept(bindingKey));
    }
  }

  /** The outcomes by cluster of one binding (a snapshot). */
  public Map<String, Outcome> of(String bindingKey) {
    Map<String, Outcome> m = byBinding.get(bindingKey);
    return m == null ? Map.of() : Map.copyOf(m);
  }

  /** Forgets the clusters of a binding that are not in {@code keep}. */
  public void retain(String bindingKey, java.util.Set<String> keep) {
    Map<String, Outcome> m = byBinding.get(bindingKey);
    if (m != null && m.keySet().retainAll(keep)) {
      listeners.forEach(l -> l.accept(bindingKey));
    }
  }

  public void forget(String bindingKey) {
    if (byBinding.remove(bindingKey) != null) {
      listeners.forEach(l -> l.accept(bindingKey));
    }
  }
}
