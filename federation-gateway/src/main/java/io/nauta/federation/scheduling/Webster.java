package io.nauta.federation.scheduling;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Karmada's replica dispenser ({@code helper.Dispenser} on {@code AllocateWebsterSeats}): seats
 * (replicas) go one at a time to the party (cluster) with the highest {@code votes / (2 * seats +
 * 1)}, the Webster/Sainte-Laguë method. Ties go to the party with fewer seats, then by name: in
 * ascending order, or descending when the FNV-32a hash of the binding's resource uid is odd, so
 * that different workloads do not all favour the same cluster while each one stays deterministic.
 */
final class Webster {

  private Webster() {}

  /**
   * Distributes {@code seats} on top of {@code initial} (parties there without votes keep their
   * seats and take part with priority 0). The result is sorted by name.
   */
  static Map<String, Integer> allocate(
      int seats, Map<String, Long> votes, Map<String, Integer> initial, String uid) {
    Map<String, long[]> parties = new HashMap<>(); // name -> {votes, seats}
    initial.forEach((name, s) -> parties.put(name, new long[] {0, s}));
    votes.forEach((name, v) -> parties.computeIfAbsent(name, n -> new long[] {0, 0})[0] = v);
    if (parties.isEmpty()) {
      return Map.of();
    }
    Comparator<String> tieBreak = tieBreaker(uid, parties);
    List<String> names = new ArrayList<>(parties.keySet());
    for (int remaining = seats; remaining > 0; remaining--) {
      String best = null;
      for (String name : names) {
        if (best == null || better(name, best, parties, tieBreak)) {
          best = name;
        }
      }
      parties.get(best)[1]++;
    }
    Map<String, Integer> result = new TreeMap<>();
    parties.forEach((name, p) -> result.put(name, (int) p[1]));
    return result;
  }

  private static boolean better(
      String a, String b, Map<String, long[]> parties, Comparator<String> tieBreak) {
    long[] pa = parties.get(a);
    long[] pb = parties.get(b);
    double priorityA = (double) pa[0] / (2 * pa[1] + 1);
    double priorityB = (double) pb[0] / (2 * pb[1] + 1);
    if (priorityA != priorityB) {
      return priorityA > priorityB;
    }
    return tieBreak.compare(a, b) < 0;
  }

  private static Comparator<String> tieBreaker(String uid, Map<String, long[]> parties) {
    Comparator<String> fewerSeats = Comparator.comparingLong(name -> parties.get(name)[1]);
    boolean descending = uid != null && !uid.isEmpty() && (fnv32a(uid) & 1) == 1;
    return fewerSeats.thenComparing(
        descending ? Comparator.<String>reverseOrder() : Comparator.<String>naturalOrder());
  }

  static int fnv32a(String s) {
    int hash = 0x811c9dc5;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x01000193;
    }
    return hash;
  }
}
