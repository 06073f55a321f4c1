package io.nauta.api.cache;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * How the server keeps what every server must have (the bootstrap RBAC policy, the system
 * namespaces, the flow control configuration): the repair runs at start until it succeeds, then
 * again every {@code period} and at once when Redis went back in time under a watch cache ({@link
 * WatchCaches#rebuiltAfterRewind}), because Redis can lose everything under a running server. What
 * comes while a repair runs makes one more repair, not one each; a failed periodic repair is logged
 * and tried at the next tick.
 */
public final class RepairLoop {

  private RepairLoop() {}

  /**
   * Starts the loop; {@code started} runs once the first repair succeeded. Disposing the result
   * stops it.
   */
  public static Disposable start(
      Supplier<Mono<Void>> repair,
      Duration period,
      Flux<?> rewinds,
      Runnable started,
      Logger log,
      String what) {
    Disposable.Composite running = Disposables.composite();
    running.add(
        repair
            .get()
            .retryWhen(
                Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200))
                    .maxBackoff(Duration.ofSeconds(5)))
            .subscribe(
                v -> {},
                e -> log.error("could not {}", what, e),
                () -> {
                  started.run();
                  running.add(
                      Flux.merge(Flux.interval(period), rewinds)
                          .onBackpressureLatest()
                          .concatMap(
                              tick ->
                                  repair
                                      .get()
                                      .onErrorResume(
                                          e -> {
                                            log.warn("could not {}: {}", what, e.toString());
                                            return Mono.empty();
                                          }),
                              1)
                          .subscribe());
                }));
    return running;
  }
}
