package io.nauta.api.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

class NamespaceTerminationSweepsTest {

  private static final Duration PERIOD = Duration.ofSeconds(1);

  @Test
  void aSweepLongerThanThePeriodSkipsTicksAndTheLoopGoesOn() {
    VirtualTimeScheduler timer = VirtualTimeScheduler.create();
    AtomicInteger started = new AtomicInteger();
    AtomicBoolean ended = new AtomicBoolean();
    Disposable loop =
        NamespaceTermination.sweeps(
                PERIOD,
                timer,
                () -> true,
                () -> {
                  started.incrementAndGet();
                  // The first sweep takes three and a half periods, the others a tenth of one.
                  Duration took =
                      started.get() == 1
                          ? PERIOD.multipliedBy(7).dividedBy(2)
                          : PERIOD.dividedBy(10);
                  return Mono.delay(took, timer).then();
                })
            .subscribe(v -> {}, e -> ended.set(true), () -> ended.set(true));

    timer.advanceTimeBy(PERIOD.multipliedBy(10));

    assertThat(ended).as("the loop ended").isFalse();
    // Ticks 1..10: the first sweep runs from 1 s to 4.5 s, ticks 2-4 are skipped, 5-10 each sweep.
    assertThat(started).hasValue(7);
    loop.dispose();
  }

  @Test
  void aFailedSweepIsLoggedAndTheNextTickSweepsAgain() {
    VirtualTimeScheduler timer = VirtualTimeScheduler.create();
    AtomicInteger started = new AtomicInteger();
    AtomicBoolean ended = new AtomicBoolean();
    Disposable loop =
        NamespaceTermination.sweeps(
                PERIOD,
                timer,
                () -> true,
                () -> {
                  if (started.incrementAndGet() == 1) {
                    throw new IllegalStateException("the cache is gone");
                  }
                  return Mono.error(new IllegalStateException("storage timeout"));
                })
            .subscribe(v -> {}, e -> ended.set(true), () -> ended.set(true));

    timer.advanceTimeBy(PERIOD.multipliedBy(3));

    assertThat(ended).isFalse();
    assertThat(started).hasValue(3);
    loop.dispose();
  }

  @Test
  void noSweepBeforeTheCachesAreSynced() {
    VirtualTimeScheduler timer = VirtualTimeScheduler.create();
    AtomicInteger started = new AtomicInteger();
    AtomicBoolean synced = new AtomicBoolean();
    Disposable loop =
        NamespaceTermination.sweeps(
                PERIOD,
                timer,
                synced::get,
                () -> {
                  started.incrementAndGet();
                  return Mono.empty();
                })
            .subscribe();

    timer.advanceTimeBy(PERIOD.multipliedBy(3));
    assertThat(started).hasValue(0);
    synced.set(true);
    timer.advanceTimeBy(PERIOD.multipliedBy(2));
    assertThat(started).hasValue(2);
    loop.dispose();
  }
}
