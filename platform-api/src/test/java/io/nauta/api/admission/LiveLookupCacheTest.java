package io.nauta.api.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.cache.CachedObject;
import io.nauta.api.support.MovableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Upstream's live lookups behind an empty cache: remembered for 30 s, shared while in flight. */
class LiveLookupCacheTest {

  private final MovableClock clock = new MovableClock();
  private final AtomicInteger liveReads = new AtomicInteger();

  private static CachedObject quota(String ns) {
    ObjectNode node = JsonMapper.builder().build().createObjectNode();
    return new CachedObject(ns + "\0q", ns, "q", 7, node, "{}", Map.of());
  }

  private Mono<List<CachedObject>> live(List<CachedObject> answer) {
    return Mono.fromSupplier(
        () -> {
          liveReads.incrementAndGet();
          return answer;
        });
  }

  @Test
  void aLiveAnswerIsRememberedPerNamespaceForThirtySeconds() {
    LiveLookupCache lookups = new LiveLookupCache(100, clock);
    List<CachedObject> found = List.of(quota("a"));

    StepVerifier.create(lookups.get("a", () -> live(found))).expectNext(found).verifyComplete();
    clock.advance(Duration.ofSeconds(29));
    StepVerifier.create(lookups.get("a", () -> live(List.of()))).expectNext(found).verifyComplete();
    StepVerifier.create(lookups.get("b", () -> live(List.of())))
        .expectNext(List.of())
        .verifyComplete();
    assertThat(liveReads).hasValue(2);

    clock.advance(Duration.ofSeconds(2));

    StepVerifier.create(lookups.get("a", () -> live(List.of())))
        .expectNext(List.of())
        .verifyComplete();
    assertThat(liveReads).hasValue(3);
  }

  @Test
  void concurrentMissesShareOneLiveReadAndAFailureIsNotRemembered() {
    LiveLookupCache lookups = new LiveLookupCache(100, clock);
    Sinks.One<List<CachedObject>> answer = Sinks.one();
    Mono<List<CachedObject>> slow =
        Mono.defer(
            () -> {
              liveReads.incrementAndGet();
              return answer.asMono();
            });

    StepVerifier first =
        StepVerifier.create(lookups.get("a", () -> slow))
            .expectNext(List.of())
            .expectComplete()
            .verifyLater();
    StepVerifier second =
        StepVerifier.create(lookups.get("a", () -> slow))
            .expectNext(List.of())
            .expectComplete()
            .verifyLater();
    answer.tryEmitValue(List.of());
    first.verify(Duration.ofSeconds(5));
    second.verify(Duration.ofSeconds(5));
    assertThat(liveReads).hasValue(1);

    StepVerifier.create(lookups.get("b", () -> Mono.error(new IllegalStateException("redis down"))))
        .expectError(IllegalStateException.class)
        .verify(Duration.ofSeconds(5));
    StepVerifier.create(lookups.get("b", () -> live(List.of())))
        .expectNext(List.of())
        .verifyComplete();
    assertThat(liveReads).hasValue(2);
  }

  @Test
  void theLeastRecentlyUsedNamespaceIsForgottenBeyondCapacity() {
    LiveLookupCache lookups = new LiveLookupCache(2, clock);
    for (String ns : List.of("a", "b", "a", "c", "a", "b")) {
      lookups.get(ns, () -> live(List.of())).block();
    }
    // a, b read live; a remembered; c pushes out b (a was used since); a remembered; b read again
    assertThat(liveReads).hasValue(4);
  }
}
