package io.nauta.scheduler.plugins.interpodaffinity;

import java.util.HashMap;
import java.util.Map;

/**
 * Numbers per topology pair ({@code key=value} of a node label, e.g. {@code
 * topology.kubernetes.io/zone=a}), kept as a map of maps so a per-node look-up allocates nothing.
 */
final class TopologyCounts {

  private final Map<String, Map<String, long[]>> counts = new HashMap<>();

  /** Adds {@code delta} to the pair for {@code key} on a node with these labels, if it has it. */
  void add(Map<String, String> nodeLabels, String key, long delta) {
    String value = nodeLabels.get(key);
    if (value != null) {
      counts.computeIfAbsent(key, k -> new HashMap<>())
              .computeIfAbsent(value, v -> new long[1])[0] +=
          delta;
    }
  }

  long get(String key, String value) {
    Map<String, long[]> values = counts.get(key);
    if (values == null) {
      return 0;
    }
    long[] c = values.get(value);
    return c == null ? 0 : c[0];
  }

  boolean isEmpty() {
    return counts.isEmpty();
  }

  /** The sum over topology keys of the value for the node's label under that key. */
  long sumFor(Map<String, String> nodeLabels) {
    long sum = 0;
    for (Map.Entry<String, Map<String, long[]>> e : counts.entrySet()) {
      String value = nodeLabels.get(e.getKey());
      if (value != null) {
        long[] c = e.getValue().get(value);
        if (c != null) {
          sum += c[0];
        }
      }
    }
    return sum;
  }

  /** Whether the node shares a topology pair whose count is positive. */
  boolean anyPositiveFor(Map<String, String> nodeLabels) {
    for (Map.Entry<String, Map<String, long[]>> e : counts.entrySet()) {
      String value = nodeLabels.get(e.getKey());
      if (value != null) {
        long[] c = e.getValue().get(value);
        if (c != null && c[0] > 0) {
          return true;
        }
      }
    }
    return false;
  }
}
