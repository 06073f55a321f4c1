package io.nauta.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class LogBytesTest {

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String s(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void cutsTheChunkThatCrossesTheLimitAndCancelsTheSource() {
    AtomicBoolean cancelled = new AtomicBoolean();
    Flux<byte[]> endless =
        Flux.just(b("one\n"), b("two\n"), b("three\n"))
            .concatWith(Flux.never())
            .doOnCancel(() -> cancelled.set(true));
    StepVerifier.create(LogBytes.limit(endless, 6L).map(LogBytesTest::s))
        .expectNext("one\n", "tw")
        .verifyComplete();
    assertThat(cancelled).isTrue();
  }

  @Test
  void aLimitOnAChunkBoundaryEndsThere() {
    StepVerifier.create(LogBytes.limit(Flux.just(b("ab"), b("cd")), 2L).map(LogBytesTest::s))
        .expectNext("ab")
        .verifyComplete();
  }

  @Test
  void noLimitPassesEverything() {
    StepVerifier.create(LogBytes.limit(Flux.just(b("ab"), b("cd")), null).map(LogBytesTest::s))
        .expectNext("ab", "cd")
        .verifyComplete();
  }
}
