package io.nauta.agent.runtime.docker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kubelet's image pull back-off (per pod and image): after a failed pull no pull is tried for
 * 10 s, doubling with every further failure up to 5 min; a success forgets it.
 */
final class ImagePullBackOff {

  static final Duration INITIAL = Duration.ofSeconds(10);
  static final Duration MAX = Duration.ofMinutes(5);

  private record Entry(Duration backOff, Instant lastFailure) {}

  private final Clock clock;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  ImagePullBackOff(Clock clock) {
    this.clock = clock;
  }

  /** How long pulls of this key still back off; zero if a pull may be tried now. */
  Duration remaining(String key) {
    Entry e = entries.get(key);
    if (e == null) {
      return Duration.ZERO;
    }
    Duration left = Duration.between(clock.instant(), e.lastFailure().plus(e.backOff()));
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Records a failed pull; answers the back-off that starts now. */
  Duration failed(String key) {
    Entry e =
        entries.compute(
            key,
            (k, old) ->
                new Entry(
                    old == null
                        ? INITIAL
                        : old.backOff().multipliedBy(2).compareTo(MAX) > 0
                            ? MAX
                            : old.backOff().multipliedBy(2),
                    clock.instant()));
    return e.backOff();
  }

  void succeeded(String key) {
    entries.remove(key);
  }

  void forgetPod(String uid) {
    entries.keySet().removeIf(k -> k.startsWith(uid + "_"));
  }
}
