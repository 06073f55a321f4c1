package io.nauta.agent.runtime.docker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Kubernetes' crash-loop back-off: a container that exited for the first time is restarted at once
 * (the kubelet's back-off entry only starts with that restart), then 10 s after its next exit,
 * doubling with every restart up to 5 min. When a back-off is not over yet, the pod is woken up
 * (emitted on {@link #wakeUps()}) when it is, so it gets synced again.
 */
final class CrashLoopBackOff {

  static final Duration INITIAL = Duration.ofSeconds(10);
  static final Duration MAX = Duration.ofMinutes(5);

  /** A container that ran this long before exiting is restarted at once again (entry expired). */
  private static final Duration RESET = MAX.multipliedBy(2);

  private final Clock clock;

  /** Wake-ups scheduled, per pod uid and container name. */
  private final Set<String> scheduled = ConcurrentHashMap.newKeySet();

  // Buffered, never dropping: a wake-up the runtime is too busy to take at once (each costs a
  // blocking read of the pod) waits; a best-effort sink would overflow and end the stream with an
  // error, and with it every later wake-up of every pod. At most one is pending per container.
  private final Sinks.Many<String> woken =
      Sinks.many().multicast().onBackpressureBuffer(Integer.MAX_VALUE, false);

  CrashLoopBackOff(Clock clock) {
    this.clock = clock;
  }

  /** The back-off after restart {@code restartCount} of a container that ran {@code ran}. */
  static Duration backOff(int restartCount, Duration ran) {
    if (restartCount == 0 || ran.compareTo(RESET) >= 0) {
      return Duration.ZERO;
    }
    Duration d = INITIAL;
    for (int i = 1; i < restartCount && d.compareTo(MAX) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(MAX) > 0 ? MAX : d;
  }

  /** The back-off before the exited container {@code c} runs again. */
  static Duration backOff(PodContainer c) {
    Instant started = c.startedAt();
    Instant finished = c.finishedAt();
    Duration ran =
        started == null || finished == null ? Duration.ZERO : Duration.between(started, finished);
    return backOff(c.restartCount(), ran.isNegative() ? Duration.ZERO : ran);
  }

  /**
   * Whether the exited container {@code c} may be restarted now; if not, its pod is woken up when
   * it may.
   */
  boolean over(String uid, PodContainer c) {
    Instant finished = c.finishedAt();
    Instant due = (finished == null ? clock.instant() : finished).plus(backOff(c));
    Instant now = clock.instant();
    if (now.isBefore(due)) {
      wakeUpAt(uid, c.name(), Duration.between(now, due));
      return false;
    }
    return true;
  }

  /** The uids of pods whose back-off is over. */
  Flux<String> wakeUps() {
    return woken.asFlux();
  }

  private void wakeUpAt(String uid, String container, Duration in) {
    String key = uid + "/" + container;
    if (scheduled.add(key)) {
      Mono.delay(in)
          .subscribe(
              t -> {
                scheduled.remove(key);
                woken.emitNext(uid, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
              });
    }
  }
}
