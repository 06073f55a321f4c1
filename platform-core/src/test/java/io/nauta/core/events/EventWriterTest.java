package io.nauta.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class EventWriterTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final EventWriter writer = new EventWriter(2, 3, registry, "test.events.dropped");
  private final List<Sinks.Empty<Void>> writes = new ArrayList<>();
  private final AtomicInteger started = new AtomicInteger();

  private boolean write() {
    Sinks.Empty<Void> w = Sinks.empty();
    writes.add(w);
    return writer.write(
        () -> {
          started.incrementAndGet();
          return w.asMono();
        });
  }

  @Test
  void runsAtMostMaxInFlightWritesAndStartsTheNextWhenOneFinishes() {
    write();
    write();
    write();

    assertThat(started).hasValue(2);
    assertThat(writer.backlog()).isEqualTo(1);

    writes.get(0).tryEmitEmpty();

    assertThat(started).hasValue(3);
    assertThat(writer.backlog()).isZero();
  }

  @Test
  void dropsAndCountsEventsOnceTheBacklogIsFull() {
    for (int i = 0; i < 5; i++) {
      assertThat(write()).isTrue();
    }

    assertThat(write()).isFalse();
    assertThat(registry.counter("test.events.dropped").count()).isEqualTo(1);
    assertThat(writer.backlog()).isEqualTo(3);
  }

  @Test
  void aFailedWriteFreesItsSlot() {
    writer.write(() -> Mono.error(new IllegalStateException("refused")));
    write();
    write();

    assertThat(started).hasValue(2);
  }

  @Test
  void stopDropsTheBacklogAndCancelsWritesInFlight() {
    AtomicInteger cancelled = new AtomicInteger();
    writer.write(() -> Mono.<Void>never().doOnCancel(cancelled::incrementAndGet));
    write();
    write();

    writer.stop();

    assertThat(cancelled).hasValue(1);
    assertThat(writer.backlog()).isZero();
    assertThat(writer.inFlight()).isZero();
    assertThat(write()).isTrue();
    assertThat(started).as("nothing starts while stopped").hasValue(1);

    writer.start();
    write();
    assertThat(started).hasValue(2);
  }
}
