package io.nauta.core.workqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ItemExponentialBackoffTest {

  private final ItemExponentialBackoff<String> backoff = new ItemExponentialBackoff<>();

  @Test
  void doublesFromFiveMillisecondsPerFailureOfAKey() {
    assertThat(backoff.when("a")).isEqualTo(Duration.ofMillis(5));
    assertThat(backoff.when("a")).isEqualTo(Duration.ofMillis(10));
    assertThat(backoff.when("a")).isEqualTo(Duration.ofMillis(20));
    assertThat(backoff.when("a")).isEqualTo(Duration.ofMillis(40));
    assertThat(backoff.numRequeues("a")).isEqualTo(4);
  }

  @Test
  void tracksEachKeySeparately() {
    backoff.when("a");
    backoff.when("a");

    assertThat(backoff.when("b")).isEqualTo(Duration.ofMillis(5));
    assertThat(backoff.numRequeues("b")).isEqualTo(1);
  }

  @Test
  void capsAtAThousandSecondsWithoutOverflowing() {
    Duration last = Duration.ZERO;
    for (int i = 0; i < 200; i++) {
      last = backoff.when("a");
    }
    assertThat(last).isEqualTo(Duration.ofSeconds(1000));
  }

  @Test
  void forgetStartsAgainFromTheBaseDelay() {
    backoff.when("a");
    backoff.when("a");

    backoff.forget("a");

    assertThat(backoff.numRequeues("a")).isZero();
    assertThat(backoff.when("a")).isEqualTo(Duration.ofMillis(5));
  }

  @Test
  void rejectsABaseLargerThanTheMaximum() {
    assertThatThrownBy(
            () -> new ItemExponentialBackoff<String>(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
