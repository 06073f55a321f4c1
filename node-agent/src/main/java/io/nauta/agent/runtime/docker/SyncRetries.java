package io.nauta.agent.runtime.docker;

import io.nauta.agent.runtime.PodEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Pods to sync again later because something they need is not there yet (a ConfigMap, a Secret, a
 * volume, an image whose pull is backing off): the kubelet retries such a pod's sync, and nothing
 * else would wake it, since the runtime does not watch the objects. One pending wake-up per pod,
 * the earliest asked for.
 */
final class SyncRetries {

  private final Clock clock;
  private final Map<String, Instant> due = new ConcurrentHashMap<>();
  // Buffered, never dropping: a wake-up the runtime is too busy to take at once (each costs a
  // blocking read of the pod) waits; a best-effort sink would overflow and end the stream with an
  // error, and with it every later wake-up of every pod. At most one is pending per pod.
  private final Sinks.Many<PodEvents.PodRef> woken =
      Sinks.many().multicast().onBackpressureBuffer(Integer.MAX_VALUE, false);

  SyncRetries(Clock clock) {
    this.clock = clock;
  }

  void after(PodEvents.PodRef pod, Duration in) {
    String uid = pod.uid();
    Instant at = clock.instant().plus(in);
    Instant[] scheduled = new Instant[1];
    due.compute(
        uid,
        (k, old) -> {
          if (old != null && !old.isAfter(at)) {
            return old;
          }
          scheduled[0] = at;
          return at;
        });
    if (scheduled[0] != null) {
      Mono.delay(in)
          .subscribe(
              t -> {
                if (due.remove(uid, at)) {
                  woken.emitNext(pod, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
                }
              });
    }
  }

  /** The pods to sync again now (by reference: one that waits for volumes has no containers). */
  Flux<PodEvents.PodRef> wakeUps() {
    return woken.asFlux();
  }
}
