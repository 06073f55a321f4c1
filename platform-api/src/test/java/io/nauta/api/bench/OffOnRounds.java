package io.nauta.api.bench;

import io.nauta.core.client.KubeClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The side-by-side loop of the cost benchmarks (a feature off beside on, in one run): rounds 0 to
 * {@code rounds}, each server measured once per round and the order reversed every other round,
 * round 0 a warm-up not kept; then a table of each server's median rate and its ratio to the first
 * server's (the "off" one).
 */
final class OffOnRounds {

  /** One measurement: the rate reached by {@code client} creating into namespace {@code ns}. */
  interface Measure {
    double rate(KubeClient client, String ns);
  }

  private OffOnRounds() {}

  /**
   * Runs the rounds; {@code servers} in table order, the first being "off" (its namespaces end in
   * {@code -off}, the others' in {@code -on}). Prints each round to stderr as {@code round N
   * <server>: <rate> <unit>}.
   */
  static Map<String, List<Double>> run(
      Map<String, KubeClient> servers, int rounds, String unit, Measure measure) {
    String off = servers.keySet().iterator().next();
    Map<String, List<Double>> results = new LinkedHashMap<>();
    servers.keySet().forEach(k -> results.put(k, new ArrayList<>()));
    for (int round = 0; round <= rounds; round++) {
      List<String> order = new ArrayList<>(servers.keySet());
      if (round % 2 == 1) {
        Collections.reverse(order);
      }
      for (String which : order) {
        String ns = "bench-" + round + "-" + (which.equals(off) ? "off" : "on");
        double rate = measure.rate(servers.get(which), ns);
        System.err.printf(Locale.ROOT, "round %d %s: %.0f %s%n", round, which, rate, unit);
        if (round > 0) {
          results.get(which).add(rate);
        }
      }
    }
    return results;
  }

  /** The Markdown table of {@link #run}'s results; {@code figure} names the rate's column. */
  static void printTable(Map<String, List<Double>> results, int rounds, String figure) {
    double offRate = median(results.values().iterator().next());
    System.out.printf(
        Locale.ROOT,
        "| API server | %s (median of %d) | vs off | rounds |%n|---|---|---|---|%n",
        figure,
        rounds);
    for (Map.Entry<String, List<Double>> e : results.entrySet()) {
      double m = median(e.getValue());
      System.out.printf(
          Locale.ROOT,
          "| %s | %.0f | %.2f | %s |%n",
          e.getKey(),
          m,
          m / offRate,
          e.getValue().stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList());
    }
  }

  static double median(List<Double> runs) {
    double[] v = runs.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
