package io.nauta.core.workqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class WorkersTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final WorkQueue<String> queue =
      WorkQueue.<String>builder("pods").meterRegistry(registry).build();
  private Workers<String> workers;

  @AfterEach
  void shutDown() {
    queue.shutDown();
  }

  private Workers<String> run(int n, Function<String, Mono<Result>> reconcile) {
    workers = queue.run(n, reconcile);
    return workers;
  }

  @Test
  void neverHandsOneKeyToTwoWorkersAtOnce() {
    Map<String, AtomicInteger> holders = new ConcurrentHashMap<>();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger maxParallel = new AtomicInteger();
    AtomicInteger running = new AtomicInteger();
    Map<String, AtomicInteger> reconciles = new ConcurrentHashMap<>();
    run(
        8,
        key ->
            Mono.defer(
                () -> {
                  if (holders.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet()
                      > 1) {
                    overlaps.incrementAndGet();
                  }
                  maxParallel.accumulateAndGet(running.incrementAndGet(), Math::max);
                  reconciles.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                  // Release before the result is emitted: once it is, the queue may hand the
                  // key to another worker.
                  return Mono.delay(Duration.ofMillis(1))
                      .then(
                          Mono.fromSupplier(
                              () -> {
                                running.decrementAndGet();
                                holders.get(key).decrementAndGet();
                                return Result.done();
                              }));
                }));

    List<String> keys = List.of("a", "b", "c", "d", "e");
    Mono.when(
            IntStream.range(0, 4)
                .mapToObj(
                    t ->
                        Mono.fromRunnable(
                                () -> {
                                  for (int i = 0; i < 2_000; i++) {
                                    queue.add(keys.get(i % keys.size()));
                                  }
                                })
                            .subscribeOn(Schedulers.parallel()))
                .toList())
        .block(Duration.ofSeconds(10));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> queue.depth() == 0 && queue.processingCount() == 0);
    assertThat(overlaps).hasValue(0);
    assertThat(reconciles).containsOnlyKeys(keys);
    assertThat(maxParallel.get()).as("distinct keys do run in parallel").isGreaterThan(1);
  }

  @Test
  void aKeyAddedWhileItIsReconciledIsReconciledAgainAfterwards() {
    Sinks.One<Result> firstRun = Sinks.one();
    AtomicInteger calls = new AtomicInteger();
    run(2, key -> calls.incrementAndGet() == 1 ? firstRun.asMono() : Mono.just(Result.done()));

    queue.add("a");
    await().until(() -> queue.processingCount() == 1);
    queue.add("a");
    queue.add("a");

    assertThat(queue.depth()).isZero();
    assertThat(calls).hasValue(1);

    firstRun.tryEmitValue(Result.done());

    await().until(() -> calls.get() == 2 && queue.processingCount() == 0);
    assertThat(calls).hasValue(2);
  }

  @Test
  void anErrorRetriesWithBackoffAndSuccessForgetsIt() {
    AtomicInteger calls = new AtomicInteger();
    List<Integer> requeuesSeen = new CopyOnWriteArrayList<>();
    run(
        1,
        key -> {
          requeuesSeen.add(queue.numRequeues(key));
          return calls.incrementAndGet() <= 3
              ? Mono.error(new IllegalStateException("conflict"))
              : Mono.just(Result.done());
        });

    queue.add("a");

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> calls.get() == 4 && queue.processingCount() == 0);
    assertThat(requeuesSeen).containsExactly(0, 1, 2, 3);
    assertThat(queue.numRequeues("a")).isZero();
    assertThat(registry.get("workqueue.retries").tag("name", "pods").counter().count())
        .isEqualTo(3);
  }

  @Test
  void requeueResultRetriesWithBackoff() {
    AtomicInteger calls = new AtomicInteger();
    run(1, key -> Mono.just(calls.incrementAndGet() < 3 ? Result.requeue() : Result.done()));

    queue.add("a");

    await().until(() -> calls.get() == 3 && queue.processingCount() == 0);
    assertThat(queue.numRequeues("a")).isZero();
  }

  @Test
  void requeueAfterReconcilesAgainAfterTheDelay() {
    List<Long> startedAt = new CopyOnWriteArrayList<>();
    run(
        1,
        key -> {
          startedAt.add(System.nanoTime());
          return Mono.just(
              startedAt.size() == 1 ? Result.requeueAfter(Duration.ofMillis(200)) : Result.done());
        });

    queue.add("a");

    await().atMost(Duration.ofSeconds(5)).until(() -> startedAt.size() == 2);
    assertThat(Duration.ofNanos(startedAt.get(1) - startedAt.get(0)))
        .isGreaterThanOrEqualTo(Duration.ofMillis(200));
  }

  @Test
  void aReconcileThatThrowsIsRetriedLikeAnErrorSignal() {
    AtomicInteger calls = new AtomicInteger();
    run(
        1,
        key -> {
          if (calls.incrementAndGet() == 1) {
            throw new IllegalStateException("boom");
          }
          return Mono.just(Result.done());
        });

    queue.add("a");

    await().until(() -> calls.get() == 2 && queue.processingCount() == 0);
  }

  @Test
  void disposeCancelsTheReconcileInFlightAndHandsOutNoQueuedKey() {
    AtomicBoolean cancelled = new AtomicBoolean();
    List<String> seen = new CopyOnWriteArrayList<>();
    run(
        1,
        key -> {
          seen.add(key);
          return key.equals("a")
              ? Mono.<Result>never().doOnCancel(() -> cancelled.set(true))
              : Mono.just(Result.done());
        });
    queue.add("a");
    await().until(() -> queue.processingCount() == 1);
    queue.add("b");
    queue.add("c");
    queue.addAfter("delayed", Duration.ofMillis(50));

    workers.dispose();
    queue.add("after-shutdown");

    StepVerifier.create(workers.terminated()).expectComplete().verify(Duration.ofSeconds(5));
    assertThat(cancelled).as("the reconcile in flight was cancelled").isTrue();
    await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(2))
        .until(() -> seen.equals(List.of("a")));
    assertThat(workers.active()).isZero();
    assertThat(queue.processingCount()).isZero();
  }

  @Test
  void terminatesAtOnceWhenTheQueueIsAlreadyEmpty() {
    run(3, key -> Mono.just(Result.done()));

    queue.shutDown();

    StepVerifier.create(workers.terminated()).expectComplete().verify(Duration.ofSeconds(1));
  }

  @Test
  void recordsWorkDurationForEveryReconcile() {
    AtomicInteger calls = new AtomicInteger();
    run(2, key -> Mono.fromCallable(() -> calls.incrementAndGet()).thenReturn(Result.done()));

    queue.add("a");
    queue.add("b");

    await().until(() -> calls.get() == 2 && queue.processingCount() == 0);
    assertThat(registry.get("workqueue.work.duration").tag("name", "pods").timer().count())
        .isEqualTo(2);
    assertThat(registry.get("workqueue.depth").tag("name", "pods").gauge().value()).isZero();
  }
}
