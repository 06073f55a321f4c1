package io.nauta.agent.services;

import java.time.Duration;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The loop of the agent's iptables writers (service proxy, network policy), as kube-proxy's: every
 * change only asks for a sync; syncs run one at a time on the writer's thread, at most one per
 * {@code minSyncPeriod} (changes in between are coalesced into the next), at least one per {@code
 * syncPeriod}, and none before the informers have synced.
 */
public final class SyncLoop {

  private SyncLoop() {}

  /**
   * @param sync one sync, told whether it is the periodic one ({@code true}) or asked for by a
   *     change; it must not throw
   */
  public static Disposable start(
      String name,
      Mono<Void> synced,
      Flux<?> changes,
      Duration minSyncPeriod,
      Duration syncPeriod,
      Scheduler scheduler,
      Consumer<Boolean> sync,
      Log log) {
    Flux<Boolean> triggers =
        Flux.merge(
            changes.map(c -> false), Flux.interval(Duration.ZERO, syncPeriod).map(t -> true));
    return synced
        .thenMany(triggers)
        .onBackpressureLatest()
        .concatMap(
            full ->
                Mono.fromRunnable(() -> sync.accept(full))
                    .subscribeOn(scheduler)
                    .then(Mono.delay(minSyncPeriod)),
            1)
        .subscribe(null, e -> log.error(name + " stopped", e));
  }
}
