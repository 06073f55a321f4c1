package io.nauta.core.workqueue;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

class WorkQueueTest {

  private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final WorkQueue<String> queue =
      WorkQueue.<String>builder("test").meterRegistry(registry).timer(time).build();

  private List<String> drainKeys() {
    List<String> keys = new ArrayList<>();
    for (Optional<String> k = queue.poll(); k.isPresent(); k = queue.poll()) {
      keys.add(k.get());
      queue.done(k.get());
    }
    return keys;
  }

  @Test
  void aQueueBuiltAfterOneOfTheSameNameShutDownOwnsTheDepthGauge() {
    queue.add("a");
    queue.shutDown();
    WorkQueue<String> next =
        WorkQueue.<String>builder("test").meterRegistry(registry).timer(time).build();
    next.add("x");
    next.add("y");

    assertThat(registry.get("workqueue.depth").tag("name", "test").gauge().value()).isEqualTo(2);
  }

  @Test
  void deduplicatesKeysThatAreWaiting() {
    queue.add("a");
    queue.add("b");
    queue.add("a");
    queue.add("a");

    assertThat(queue.depth()).isEqualTo(2);
    assertThat(drainKeys()).containsExactly("a", "b");
  }

  @Test
  void handsOutKeysInFifoOrder() {
    queue.add("c");
    queue.add("a");
    queue.add("b");

    assertThat(drainKeys()).containsExactly("c", "a", "b");
  }

  @Test
  void doesNotHandOutAKeyThatIsBeingProcessed() {
    queue.add("a");
    assertThat(queue.poll()).contains("a");

    queue.add("a");

    assertThat(queue.depth()).isZero();
    assertThat(queue.poll()).isEmpty();
  }

  @Test
  void requeuesAKeyAddedWhileProcessingOnceItIsDone() {
    queue.add("a");
    queue.poll();
    queue.add("a");
    queue.add("a");

    queue.done("a");

    assertThat(queue.depth()).isEqualTo(1);
    assertThat(queue.poll()).contains("a");
    queue.done("a");
    assertThat(queue.poll()).isEmpty();
  }

  @Test
  void doneWithoutAnAddWhileProcessingDoesNotRequeue() {
    queue.add("a");
    queue.poll();
    queue.done("a");

    assertThat(queue.depth()).isZero();
  }

  @Test
  void addAfterHandsKeysOutByDeadlineNotByCallOrder() {
    queue.addAfter("late", Duration.ofMillis(300));
    queue.addAfter("early", Duration.ofMillis(100));
    queue.addAfter("middle", Duration.ofMillis(200));

    time.advanceTimeBy(Duration.ofMillis(99));
    assertThat(queue.depth()).isZero();

    time.advanceTimeBy(Duration.ofMillis(300));
    assertThat(drainKeys()).containsExactly("early", "middle", "late");
  }

  @Test
  void addAfterKeepsTheEarlierDeadlineOfAKey() {
    queue.addAfter("a", Duration.ofMillis(500));
    queue.addAfter("a", Duration.ofMillis(100));
    queue.addAfter("a", Duration.ofMillis(800));

    time.advanceTimeBy(Duration.ofMillis(100));
    assertThat(drainKeys()).containsExactly("a");

    time.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(queue.depth()).as("superseded delays must not fire").isZero();
  }

  @Test
  void addAfterWithZeroDelayAddsAtOnce() {
    queue.addAfter("a", Duration.ZERO);

    assertThat(queue.depth()).isEqualTo(1);
  }

  @Test
  void addRateLimitedWaitsTheKeysBackoff() {
    queue.addRateLimited("a"); // 5 ms
    time.advanceTimeBy(Duration.ofMillis(5));
    assertThat(drainKeys()).containsExactly("a");

    queue.addRateLimited("a"); // 10 ms
    time.advanceTimeBy(Duration.ofMillis(9));
    assertThat(queue.depth()).isZero();
    time.advanceTimeBy(Duration.ofMillis(1));
    assertThat(drainKeys()).containsExactly("a");

    assertThat(queue.numRequeues("a")).isEqualTo(2);
  }

  @Test
  void forgetResetsTheBackoff() {
    queue.addRateLimited("a");
    queue.addRateLimited("a");
    queue.addRateLimited("a");
    assertThat(queue.numRequeues("a")).isEqualTo(3);

    queue.forget("a");

    assertThat(queue.numRequeues("a")).isZero();
    time.advanceTimeBy(Duration.ofMillis(5));
    drainKeys();
    queue.addRateLimited("a");
    time.advanceTimeBy(Duration.ofMillis(5));
    assertThat(queue.depth()).as("back to the base delay").isEqualTo(1);
  }

  @Test
  void shutDownDropsQueuedKeysAndPendingDelaysAndIgnoresNewAdds() {
    queue.add("queued");
    queue.addAfter("delayed", Duration.ofMillis(10));

    queue.shutDown();
    queue.add("late");
    queue.addRateLimited("late");
    time.advanceTimeBy(Duration.ofSeconds(1));

    assertThat(queue.isShuttingDown()).isTrue();
    assertThat(queue.poll()).as("no key is handed out after shutDown").isEmpty();
    assertThat(queue.depth()).isZero();
  }

  @Test
  void aKeyBeingProcessedAtShutDownIsNotQueuedAgainWhenDone() {
    queue.add("a");
    assertThat(queue.poll()).contains("a");
    queue.add("a");

    queue.shutDown();
    queue.done("a");

    assertThat(queue.poll()).isEmpty();
    assertThat(queue.processingCount()).isZero();
  }

  @Test
  void registersMetricsTaggedByQueueName() {
    queue.add("a");
    queue.add("a");
    queue.add("b");
    queue.addRateLimited("c");
    queue.poll();
    queue.done("a");

    assertThat(registry.get("workqueue.depth").tag("name", "test").gauge().value()).isEqualTo(1);
    assertThat(registry.get("workqueue.adds").tag("name", "test").counter().count()).isEqualTo(3);
    assertThat(registry.get("workqueue.retries").tag("name", "test").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("workqueue.queue.duration").tag("name", "test").timer().count())
        .isEqualTo(1);
    assertThat(registry.get("workqueue.work.duration").tag("name", "test").timer().count())
        .isEqualTo(1);
  }
}
