package io.nauta.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CrashLoopBackOffTest {

  @ParameterizedTest(name = "after restart {0}, having run {1}s: {2}s")
  @CsvSource({
    // The first exit is restarted at once: the kubelet's back-off entry starts with that restart.
    "0, 0, 0",
    "1, 0, 10",
    "2, 0, 20",
    "3, 0, 40",
    "5, 0, 160",
    "6, 0, 300",
    "30, 0, 300",
    "1000, 5, 300",
    // A container that ran ten minutes before exiting starts over, as the kubelet's entry expires.
    "6, 600, 0",
  })
  void backOffIsZeroThenDoublesFromTenSecondsToFiveMinutes(
      int restartCount, int ranSeconds, int expected) {
    assertThat(CrashLoopBackOff.backOff(restartCount, Duration.ofSeconds(ranSeconds)))
        .isEqualTo(Duration.ofSeconds(expected));
  }
}
