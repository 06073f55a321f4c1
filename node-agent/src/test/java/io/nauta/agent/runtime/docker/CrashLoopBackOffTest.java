package io.nauta.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CrashLoopBackOffTest {

  @ParameterizedTest(name = "after restart {0}, having run {1}s: {2}s")
  @CsvSource({
    "0, 0, 10",
    "1, 0, 20",
    "2, 0, 40",
    "4, 0, 160",
    "5, 0, 300",
    "30, 0, 300",
    "1000, 5, 300",
    // A container that ran ten minutes before exiting starts over at 10 s, as the kubelet's does.
    "6, 600, 10",
  })
  void backOffDoublesFromTenSecondsToFiveMinutes(int restartCount, int ranSeconds, int expected) {
    assertThat(CrashLoopBackOff.backOff(restartCount, Duration.ofSeconds(ranSeconds)))
        .isEqualTo(Duration.ofSeconds(expected));
  }
}
