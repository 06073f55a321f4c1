package io.nauta.controllers.replicaset;

import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Kubernetes' slowStartBatch: runs {@code count} calls in batches of 1, 2, 4, … (each batch in
 * parallel) and stops after the first batch with a failure, so a create that the API server refuses
 * (quota, admission) fails once instead of {@code count} times.
 */
public final class SlowStart {

  /** How many calls succeeded, and the first error if a batch failed. */
  public record Outcome(int successes, Throwable error) {}

  private SlowStart() {}

  public static Mono<Outcome> run(int count, int initialBatch, Supplier<Mono<Void>> call) {
    return batch(count, Math.min(count, initialBatch), 0, call);
  }

  private static Mono<Outcome> batch(
      int remaining, int size, int successes, Supplier<Mono<Void>> call) {
    if (size <= 0) {
      return Mono.just(new Outcome(successes, null));
    }
    return Flux.range(0, size)
        .flatMap(
            i ->
                Mono.defer(call)
                    .then(Mono.<Throwable>empty())
                    .onErrorResume(Mono::just)
                    .map(e -> new Failure(e))
                    .defaultIfEmpty(Failure.NONE),
            size)
        .collectList()
        .flatMap(
            results -> {
              int ok = (int) results.stream().filter(r -> r.error == null).count();
              Throwable first =
                  results.stream()
                      .filter(r -> r.error != null)
                      .map(r -> r.error)
                      .findFirst()
                      .orElse(null);
              int total = successes + ok;
              if (first != null) {
                return Mono.just(new Outcome(total, first));
              }
              int left = remaining - size;
              return batch(left, Math.min(2 * size, left), total, call);
            });
  }

  private record Failure(Throwable error) {
    static final Failure NONE = new Failure(null);
  }
}
