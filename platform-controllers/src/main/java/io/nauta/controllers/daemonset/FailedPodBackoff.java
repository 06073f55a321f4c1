package io.nauta.controllers.daemonset;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's failedPodsBackoff ({@code flowcontrol.NewBackOff(1s, 15m)}): a daemon pod that failed
 * on a node is replaced at once the first time, then only after a delay doubling up to 15 minutes,
 * so a node whose agent keeps rejecting the pod is not hammered with creates and deletes.
 */
final class FailedPodBackoff {

  static final Duration INITIAL = Duration.ofSeconds(1);
  static final Duration MAX = Duration.ofMinutes(15);

  private record Entry(Duration delay, Instant updated) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  /** How long {@code key} must still wait, if it is backing off. */
  Optional<Duration> remaining(String key, Instant now) {
    Entry e = entries.get(key);
    if (e == null) {
      return Optional.empty();
    }
    Duration left = Duration.between(now, e.updated().plus(e.delay()));
    return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
  }

  /** Records a replacement now: the next one waits twice as long as the last (at most MAX). */
  void next(String key, Instant now) {
    // entries idle for longer than twice the longest delay are forgotten, as flowcontrol's GC does
    entries.values().removeIf(e -> e.updated().plus(MAX.multipliedBy(2)).isBefore(now));
    entries.compute(
        key,
        (k, e) -> {
          Duration delay = e == null ? INITIAL : e.delay().multipliedBy(2);
          return new Entry(delay.compareTo(MAX) > 0 ? MAX : delay, now);
        });
  }

  /** Upstream's failedPodsBackoffKey: per DaemonSet, generation and node. */
  static String key(io.fabric8.kubernetes.api.model.apps.DaemonSet ds, String node) {
    Long generation = ds.getStatus() == null ? null : ds.getStatus().getObservedGeneration();
    return ds.getMetadata().getUid() + "/" + (generation == null ? 0 : generation) + "/" + node;
  }
}
