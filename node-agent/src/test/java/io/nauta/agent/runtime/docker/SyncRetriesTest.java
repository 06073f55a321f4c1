package io.nauta.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.agent.runtime.PodEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

class SyncRetriesTest {

  @Test
  void aBurstOfWakeUpsWaitsForASlowRuntimeInsteadOfEndingTheStream() {
    SyncRetries retries = new SyncRetries(Clock.systemUTC());
    List<String> woken = new CopyOnWriteArrayList<>();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    // Each wake-up costs the runtime a blocking read of the pod, here 20 ms.
    Disposable runtime =
        retries
            .wakeUps()
            .concatMap(ref -> Mono.delay(Duration.ofMillis(20)).thenReturn(ref.uid()))
            .subscribe(woken::add, failed::set);
    try {
      for (int i = 0; i < 100; i++) {
        retries.after(new PodEvents.PodRef("ns", "p" + i, "u" + i), Duration.ZERO);
      }

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> woken.size() == 100 || failed.get() != null);
      assertThat(failed.get()).isNull();
      // And the stream goes on.
      retries.after(new PodEvents.PodRef("ns", "late", "u-late"), Duration.ZERO);
      await().atMost(Duration.ofSeconds(5)).until(() -> woken.contains("u-late"));
    } finally {
      runtime.dispose();
    }
  }
}
