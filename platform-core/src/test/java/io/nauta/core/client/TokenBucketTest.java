package io.nauta.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** client-go's token bucket: a burst at once, then one request per 1/qps, first come first out. */
class TokenBucketTest {

  private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();

  @Test
  void aBurstGoesAtOnceAndTheRestOnePerTickInTheOrderTheyAsked() {
    TokenBucket bucket = new TokenBucket(new ClientRateLimit(10, 3), clock);
    StepVerifier.withVirtualTime(
            () -> Flux.range(0, 6).flatMap(i -> bucket.take().thenReturn(i)),
            () -> clock,
            Long.MAX_VALUE)
        .expectSubscription()
        .expectNext(0, 1, 2)
        .expectNoEvent(Duration.ofMillis(99))
        .thenAwait(Duration.ofMillis(1))
        .expectNext(3)
        .expectNoEvent(Duration.ofMillis(99))
        .thenAwait(Duration.ofMillis(1))
        .expectNext(4)
        .expectNoEvent(Duration.ofMillis(99))
        .thenAwait(Duration.ofMillis(1))
        .expectNext(5)
        .verifyComplete();
  }

  @Test
  void aQuietSpellRefillsTheBucketButNeverBeyondTheBurst() {
    TokenBucket bucket = new TokenBucket(new ClientRateLimit(10, 3), clock);
    List<Long> sent = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 3; i++) {
      bucket.take().subscribe(null, null, () -> sent.add(clock.now(TimeUnit.MILLISECONDS)));
    }
    clock.advanceTimeBy(Duration.ofSeconds(60));
    for (int i = 0; i < 5; i++) {
      bucket.take().subscribe(null, null, () -> sent.add(clock.now(TimeUnit.MILLISECONDS)));
    }
    clock.advanceTimeBy(Duration.ofSeconds(1));
    // 60 s refill 600 tokens' worth, but the bucket holds 3: the fourth and fifth wait.
    assertThat(sent).containsExactly(0L, 0L, 0L, 60_000L, 60_000L, 60_000L, 60_100L, 60_200L);
  }

  @Test
  void aRateBelowOnePerSecondSpacesRequestsBySeconds() {
    TokenBucket bucket = new TokenBucket(new ClientRateLimit(0.5, 1), clock);
    StepVerifier.withVirtualTime(
            () -> Flux.range(0, 3).concatMap(i -> bucket.take().thenReturn(i)),
            () -> clock,
            Long.MAX_VALUE)
        .expectSubscription()
        .expectNext(0)
        .expectNoEvent(Duration.ofMillis(1999))
        .thenAwait(Duration.ofMillis(1))
        .expectNext(1)
        .thenAwait(Duration.ofSeconds(2))
        .expectNext(2)
        .verifyComplete();
  }

  @Test
  void aCancelledWaitStillSpentItsToken() {
    // As golang.org/x/time/rate's Wait after its reservation: the slot is not handed back, so a
    // caller that gives up cannot make the bucket let more than qps through.
    TokenBucket bucket = new TokenBucket(new ClientRateLimit(10, 1), clock);
    assertThat(bucket.reserve()).isZero();
    bucket.take().subscribe().dispose();
    assertThat(bucket.reserve()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
  }

  @Test
  void anUnlimitedClientHasNoBucket() {
    assertThatThrownBy(() -> new TokenBucket(ClientRateLimit.UNLIMITED, clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ClientRateLimit(5, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
